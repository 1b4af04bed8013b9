package org.convrouter.rules;

import java.time.Duration;
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
        return run(RUN_TIME_LIMIT, facts, collect);
    }

    /**
     * As {@link #run(Collection, Class[])}, stopped once {@code limit} has passed. The compiler
     * refuses loops and unbounded value methods, so one firing takes bounded time; this bounds the
     * number of firings and the time they take together.
     */
    public Firing run(Duration limit, Collection<?> facts, Class<?>... collect) {
        KieSession session = kieBase.newKieSession();
        FiredRules fired = new FiredRules(session, System.nanoTime() + limit.toNanos());
        session.addEventListener(fired);
        try {
            for (Object fact : facts) {
                session.insert(fact);
            }
            int firings = firingLimit(facts.size());
            if (session.fireAllRules(firings + 1) > firings) { // one more than allowed: a run of exactly the limit is fine
                throw new RuleLoopException("the rules fired " + firings + " times for one request and were stopped: "
                        + LIKELY_LOOP, fired.last);
            }
            if (fired.overTime) {
                throw new RuleLoopException("the rules ran for more than " + limit.toMillis() + " ms for one request and"
                        + " were stopped: " + LIKELY_LOOP, fired.last);
            }
            List<Object> collected = new ArrayList<>();
            for (Class<?> type : collect) {
                // A ClassObjectFilter lets the session walk only that class's facts, not every candidate.
                collected.addAll(session.getObjects(new ClassObjectFilter(type)));
            }
            return new Firing(List.copyOf(fired.names), List.copyOf(fired.summaries), collected);
        } finally {
            session.removeEventListener(fired);
            session.dispose(); // every run has a session of its own (see above)
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

    private static final String LIKELY_LOOP =
            "a rule probably changes (update/modify/insert) a fact that makes it, or another rule, match again";

    /** How long one run may take: an honest decision over 1,000 candidates takes a few milliseconds. */
    public static final Duration RUN_TIME_LIMIT = Duration.ofSeconds(1);

    /** A run stopped at the firing or time limit: the rule set loops, and its outcome is not trusted. */
    public static final class RuleLoopException extends RuntimeException {
        private final String lastRule;

        RuleLoopException(String message, String lastRule) {
            super(lastRule == null ? message : message + " (last rule fired: \"" + lastRule + "\")");
            this.lastRule = lastRule;
        }

        /** The rule that fired last before the run was stopped, or null. */
        public String lastRule() {
            return lastRule;
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

    /** Records the rules fired, and halts the session at the first firing past its deadline. */
    private static final class FiredRules extends DefaultAgendaEventListener {
        final Set<String> names = new LinkedHashSet<>();
        final Set<String> summaries = new LinkedHashSet<>();
        private final KieSession session;
        private final long deadline;
        String last;
        boolean overTime;

        FiredRules(KieSession session, long deadline) {
            this.session = session;
            this.deadline = deadline;
        }

        @Override
        public void afterMatchFired(AfterMatchFiredEvent event) {
            var rule = event.getMatch().getRule();
            last = rule.getName();
            if (System.nanoTime() - deadline > 0) {
                overTime = true;
                session.halt(); // takes effect before the next firing
            }
            if (names.add(rule.getName())) {
                Object summary = rule.getMetaData().get("summary");
                if (summary != null) {
                    summaries.add(summary.toString());
                }
            }
        }
    }
}
