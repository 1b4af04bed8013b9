package org.convrouter.routing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;

/**
 * Decides one routing request: runs the active rule set over the facts (policy: who is excluded
 * and why, which strategy, direct assignments, notifications), then executes the strategy the
 * rules chose over the eligible candidates (mechanism). Needs no HTTP and no database.
 * Thread-safe when the random generator is (java.util.Random is).
 */
public final class RoutingEngine {

    private final ActiveRules rules;
    private final RandomGenerator random;
    private final Clock clock;
    private final Supplier<String> ids;

    public RoutingEngine(ActiveRules rules, RandomGenerator random, Clock clock, Supplier<String> ids) {
        this.rules = rules;
        this.random = random;
        this.clock = clock;
        this.ids = ids;
    }

    /** An engine whose decisions get random UUIDs (simulations, scenarios, tests). */
    public RoutingEngine(ActiveRules rules, RandomGenerator random, Clock clock) {
        this(rules, random, clock, () -> UUID.randomUUID().toString());
    }

    public Decision decide(RoutingFacts facts) {
        return decide(facts, rules.current());
    }

    /** Decides on a given rule set: used for scenarios and for validating a rule set before activation. */
    public Decision decide(RoutingFacts facts, RuleSet ruleSet) {
        long started = System.nanoTime();
        RoutingDecision outcome = new RoutingDecision();
        List<Object> inserted = new ArrayList<>(facts.candidates().size() + 6);
        inserted.add(facts.channel());
        inserted.add(facts.inbox());
        inserted.add(facts.settings());
        if (facts.contact() != null) {
            inserted.add(facts.contact());
        }
        inserted.add(facts.message());
        inserted.add(outcome);
        inserted.addAll(facts.candidates());

        RuleSet.Firing firing = ruleSet.run(inserted, Exclusion.class);

        Map<Candidate, List<String>> reasons = new IdentityHashMap<>();
        for (Object fact : firing.facts()) {
            Exclusion exclusion = (Exclusion) fact;
            reasons.computeIfAbsent(exclusion.candidate(), c -> new ArrayList<>(2)).add(exclusion.reason());
        }
        List<Candidate> eligible = new ArrayList<>();
        List<CandidateOutcome> outcomes = new ArrayList<>(facts.candidates().size());
        for (Candidate candidate : facts.candidates()) {
            List<String> why = reasons.getOrDefault(candidate, List.of());
            if (why.isEmpty()) {
                eligible.add(candidate);
            }
            if (why.size() > 1) {
                why.sort(null); // a stable order for people and tests, whatever order the rules fired in
            }
            outcomes.add(new CandidateOutcome(candidate.userId(), candidate.role(), why.isEmpty(), why));
        }

        Candidate chosen = switch (outcome.strategy()) {
            case LEAST_BUSY -> Selection.leastBusy(eligible);
            case RANDOM -> Selection.random(eligible, random);
            default -> outcome.assignee();
        };
        List<String> notes = new ArrayList<>(firing.summaries().size());
        for (String template : firing.summaries()) {
            notes.add(DecisionSummary.render(template, eligible.size(), chosen));
        }
        long tookMicros = (System.nanoTime() - started) / 1_000;
        return new Decision(ids.get(), ruleSet.version(), outcome.strategy(), outcomes,
                firing.firedRules(), notes, chosen == null ? null : chosen.userId(), outcome.notifications(),
                tookMicros, clock.instant());
    }
}
