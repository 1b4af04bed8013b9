package org.convrouter.rules;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the rule set in force. Swapping is atomic; a request that has read {@link #current()}
 * finishes on that rule set even if another is activated meanwhile. Thread-safe.
 */
public final class ActiveRules {

    private final AtomicReference<RuleSet> current;

    public ActiveRules(RuleSet initial) {
        this.current = new AtomicReference<>(initial);
    }

    public RuleSet current() {
        return current.get();
    }

    public void activate(RuleSet next) {
        current.set(next);
    }
}
