package org.convrouter.rules;

import java.util.List;

/** A rules folder that does not compile; carries every error, never a half-loaded rule set. */
public class RuleCompilationException extends RuntimeException {

    private final List<RuleError> errors;

    public RuleCompilationException(List<RuleError> errors) {
        super(errors.size() + " rule error(s): " + errors);
        this.errors = List.copyOf(errors);
    }

    public List<RuleError> errors() {
        return errors;
    }
}
