package org.convrouter.rules;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.kie.api.builder.Message;

/**
 * Places a decision table's compile errors on the spreadsheet row they come from. Drools compiles a
 * table by generating DRL from it and reports errors at lines of that DRL (or at line -1), which the
 * analyst never sees; the generated text marks each rule with the cell its values come from
 * ("// rule values at A10, header at A5"), so the row is the nearest such mark above the error.
 */
final class DecisionTableRows {

    private static final Pattern ROW_MARK = Pattern.compile("^// rule values at [A-Z]+(\\d+)");

    private DecisionTableRows() {}

    /** What Drools compiles for this file: a DRL's own text, or the DRL generated from a table ("" if it cannot be). */
    static String compiledText(RuleFile file) {
        if (!RuleFile.isDecisionTable(file.name())) {
            return new String(file.content(), StandardCharsets.UTF_8);
        }
        try {
            return generated(file);
        } catch (RuntimeException e) {
            return ""; // reported by unreadable()
        }
    }

    /** The error for a decision table Drools cannot read as a spreadsheet at all (bad quoting, not Excel). */
    static Optional<RuleError> unreadable(RuleFile file) {
        if (!RuleFile.isDecisionTable(file.name())) {
            return Optional.empty();
        }
        try {
            generated(file);
            return Optional.empty();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
            return Optional.of(new RuleError(file.name(), 0, 0, "not a readable decision table: " + cause.getMessage()));
        }
    }

    private static String generated(RuleFile file) {
        InputType type = file.name().endsWith(".csv") ? InputType.CSV : InputType.XLS;
        return new SpreadsheetCompiler().compile(new ByteArrayInputStream(file.content()), type);
    }

    /** The spreadsheet row (from 1) of the rule an error is in; 0 when it cannot be told. */
    static int rowOf(Message message, String[] generated) {
        if (generated == null) {
            return 0;
        }
        int line = message.getLine() >= 1 && message.getLine() <= generated.length ? message.getLine() : lineQuoting(message, generated);
        for (int i = line - 1; i >= 0; i--) {
            Matcher mark = ROW_MARK.matcher(generated[i].strip());
            if (mark.find()) {
                return Integer.parseInt(mark.group(1));
            }
        }
        return 0;
    }

    /** The line (from 1) holding the expression the error quotes, when exactly one does; 0 otherwise. */
    private static int lineQuoting(Message message, String[] generated) {
        String expression = RuleSetCompiler.quotedExpression(message);
        int found = 0;
        for (int i = 0; expression != null && i < generated.length; i++) {
            if (generated[i].contains(expression)) {
                if (found > 0) {
                    return 0; // two rules say the same: which row is meant is unknown
                }
                found = i + 1;
            }
        }
        return found;
    }
}
