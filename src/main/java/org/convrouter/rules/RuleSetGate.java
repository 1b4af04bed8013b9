package org.convrouter.rules;

import java.util.List;

/** A check a compiled rule set must pass before it goes live (for example: every scenario passes). */
@FunctionalInterface
public interface RuleSetGate {

    RuleSetGate NONE = candidate -> List.of();

    /** The problems found; empty when the rule set may be activated. */
    List<RuleError> check(RuleSet candidate);
}
