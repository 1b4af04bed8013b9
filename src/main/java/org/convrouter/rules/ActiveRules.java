package org.convrouter.rules;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Holds the rule set in force. Swapping is atomic; a request that has read {@link #current()}
 * finishes on that rule set even if another is activated meanwhile. Thread-safe.
 */
public final class ActiveRules {

    private final AtomicReference<RuleSet> current;
    private final List<Consumer<RuleSet>> listeners = new CopyOnWriteArrayList<>();

    public ActiveRules(RuleSet initial) {
        this.current = new AtomicReference<>(initial);
    }

    /**
     * Holds no rule set until the first {@link #activate}: the composition root builds and starts
     * the service around it while the first rule set compiles.
     */
    public ActiveRules() {
        this.current = new AtomicReference<>();
    }

    public RuleSet current() {
        RuleSet ruleSet = current.get();
        if (ruleSet == null) {
            throw new IllegalStateException("no rule set is active yet");
        }
        return ruleSet;
    }

    /** Whether a rule set is in force; false only while the first one is compiled and checked. */
    public boolean hasRuleSet() {
        return current.get() != null;
    }

    /** Swaps in {@code next}, then tells the listeners (on this thread, which is never a request's). */
    public void activate(RuleSet next) {
        current.set(next);
        listeners.forEach(listener -> listener.accept(next));
    }

    /** Hears of every rule set activated from now on. */
    public void onActivate(Consumer<RuleSet> listener) {
        listeners.add(listener);
    }
}
