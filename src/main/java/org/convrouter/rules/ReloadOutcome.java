package org.convrouter.rules;

import java.time.Instant;
import java.util.List;

/** The result of the last attempt to change the rule set: ok, or failed with every error. */
public record ReloadOutcome(boolean ok, Instant at, String triggeredBy, List<RuleError> errors) {

    public ReloadOutcome {
        errors = List.copyOf(errors);
    }
}
