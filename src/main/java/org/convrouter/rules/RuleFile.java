package org.convrouter.rules;

import org.convrouter.support.Sha256;

/** A policy file as read: its name in the rules folder, its text and the text's SHA-256. */
public record RuleFile(String name, byte[] content, String sha256) {

    public static RuleFile of(String name, byte[] content) {
        return new RuleFile(name, content, Sha256.hex(content));
    }

    /** Compiled policy files: DRL and Drools decision tables. Everything else in the folder is ignored. */
    public static boolean isPolicyFile(String name) {
        return name.endsWith(".drl") || isDecisionTable(name);
    }

    /** Drools decision tables: a spreadsheet (CSV or Excel) from which Drools generates rules. */
    public static boolean isDecisionTable(String name) {
        return name.endsWith(".drl.csv") || name.endsWith(".drl.xlsx");
    }
}
