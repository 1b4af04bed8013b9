package org.convrouter.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kie.api.KieBase;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.runtime.ClassObjectFilter;
import org.kie.api.runtime.KieSession;

/**
 * A compiled, immutable rule set: the KieBase, its content-derived version and the files it came
 * from. Thread-safe: every {@link #run} uses a session of its own, so requests in flight keep using
 * this rule set even after a newer one becomes active. Sessions are not pooled: a
 * {@code KieSessionsPool} session, once reset, kept its activation groups' "already fired" state
 * in Drools 10.2.0, and the next request's strategy rules then never fired
 * (see {@code RuleSetCompilerTest.activationGroupsFireAgainOnEveryRun}).
 */
public final class RuleSet {

    private final String version;
    private final List<RuleFile> files;
    private final KieBase kieBase;

    RuleSet(String version, List<RuleFile> files, KieBase kieBase) {
        this.version = version;
        this.files = List.copyOf(files);
        this.kieBase = kieBase;
    }

    public String version() { return version; }
    public List<RuleFile> files() { return files; }

    /** Names of every rule in this set, for tooling and explanations. */
    public Set<String> ruleNames() {
        Set<String> names = new LinkedHashSet<>();
        kieBase.getKiePackages().forEach(p -> p.getRules().forEach(r -> names.add(r.getName())));
        return names;
    }

    /**
     * Inserts the facts, fires every rule, and returns the rules that fired (each name once, in
     * order of first firing) with every fact of the given types the rules derived or touched.
     */
    public Firing run(Collection<?> facts, Class<?>... collect) {
        KieSession session = kieBase.newKieSession();
        FiredRules fired = new FiredRules();
        session.addEventListener(fired);
        try {
            for (Object fact : facts) {
                session.insert(fact);
            }
            int limit = firingLimit(facts.size());
            if (session.fireAllRules(limit + 1) > limit) { // one more than allowed: a run of exactly the limit is fine
                throw new RuleLoopException(limit);
            }
            List<Object> collected = new ArrayList<>();
            for (Class<?> type : collect) {
                // A ClassObjectFilter lets the session walk only that class's facts, not every candidate.
                collected.addAll(session.getObjects(new ClassObjectFilter(type)));
            }
            return new Firing(List.copyOf(fired.names), List.copyOf(fired.summaries), collected);
        } finally {
            session.removeEventListener(fired);
            session.dispose(); // returns the session to the pool, reset
        }
    }

    /**
     * The most firings one run may take before it is stopped as a loop (a consequence that keeps
     * changing a fact its own rule matches). Real policy fires a few rules per fact, so this is far
     * above any honest run with thousands of candidates, and reached in milliseconds by a loop.
     */
    static int firingLimit(int facts) {
        return Math.max(10_000, 100 * facts);
    }

    /** A run stopped at the firing limit: the rule set loops, and its outcome is not trusted. */
    public static final class RuleLoopException extends RuntimeException {
        RuleLoopException(int limit) {
            super("the rules fired " + limit + " times for one request and were stopped: a rule probably changes"
                    + " (update/modify/insert) a fact that makes it, or another rule, match again");
        }
    }

    /**
     * What one run produced: the rules that fired, the {@code @summary} metadata of those that carry
     * one (in firing order), and the collected facts.
     */
    public record Firing(List<String> firedRules, List<String> summaries, List<Object> facts) {

        public <T> List<T> factsOf(Class<T> type) {
            return facts.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    private static final class FiredRules extends DefaultAgendaEventListener {
        final Set<String> names = new LinkedHashSet<>();
        final Set<String> summaries = new LinkedHashSet<>();

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            var rule = event.getMatch().getRule();
            if (names.add(rule.getName())) {
                Object summary = rule.getMetaData().get("summary");
                if (summary != null) {
                    summaries.add(summary.toString());
                }
            }
        }
    }
}
