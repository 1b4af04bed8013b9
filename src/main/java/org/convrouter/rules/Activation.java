package org.convrouter.rules;

import java.time.Instant;
import java.util.List;

/** One rule-set version that went live: when, from which files, and who or what triggered it. */
public record Activation(String version, Instant activatedAt, List<FileHash> files, String triggeredBy) {

    public Activation {
        files = List.copyOf(files);
    }

    public record FileHash(String name, String sha256) {}

    static Activation of(RuleSet ruleSet, Instant at, String triggeredBy) {
        return new Activation(ruleSet.version(), at,
                ruleSet.files().stream().map(f -> new FileHash(f.name(), f.sha256())).toList(), triggeredBy);
    }
}
