package org.convrouter.routing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one routing request: runs the active rule set over the facts (policy: who is excluded
 * and why, which strategy, direct assignments, notifications), then executes the strategy the
 * rules chose over the eligible candidates (mechanism). Needs no HTTP and no database.
 * Thread-safe when the random generator is (java.util.Random is).
 */
public final class RoutingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingEngine.class);

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
        return decide(facts, ruleSet, ruleSet.derived(JUDGES_BY_PROFILE).byProfile());
    }

    /** Whether each rule set may be run one candidate per profile; worked out (and logged) once per rule set. */
    private static final Function<RuleSet, ProfileRuleCheck.Verdict> JUDGES_BY_PROFILE = ruleSet -> {
        ProfileRuleCheck.Verdict verdict = ProfileRuleCheck.check(ruleSet.files());
        if (verdict.byProfile()) {
            LOG.info("rule set {} judges selected candidates one per profile", ruleSet.version());
        } else {
            LOG.info("rule set {} judges every candidate on their own: {}", ruleSet.version(), verdict.reason());
        }
        return verdict;
    };

    /**
     * {@code byProfile}: insert one selected candidate per profile and give its outcome to every
     * user of that profile; only right for rule sets {@link ProfileRuleCheck} accepts (tests compare
     * both ways on such rule sets).
     */
    Decision decide(RoutingFacts facts, RuleSet ruleSet, boolean byProfile) {
        long started = System.nanoTime();
        List<Candidate> candidates = facts.candidates();
        CandidateGroups groups = byProfile ? CandidateGroups.byProfile(candidates) : CandidateGroups.each(candidates);
        RoutingDecision outcome = new RoutingDecision();
        List<Object> inserted = new ArrayList<>(groups.judged().size() + 6);
        inserted.add(facts.channel());
        inserted.add(facts.inbox());
        inserted.add(facts.settings());
        if (facts.contact() != null) {
            inserted.add(facts.contact());
        }
        inserted.add(facts.message());
        inserted.add(outcome);
        inserted.addAll(groups.judged());

        RuleSet.Firing firing = ruleSet.run(inserted, Exclusion.class);

        Map<Candidate, List<String>> reasons = new IdentityHashMap<>();
        for (Object fact : firing.facts()) {
            Exclusion exclusion = (Exclusion) fact;
            reasons.computeIfAbsent(exclusion.candidate(), c -> new ArrayList<>(2)).add(exclusion.reason());
        }
        // a stable order for people and tests, whatever order the rules fired in; shared by a profile
        reasons.replaceAll((candidate, why) -> {
            why.sort(null);
            return List.copyOf(why);
        });
        List<Candidate> eligible = new ArrayList<>();
        List<CandidateOutcome> outcomes = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            List<String> why = reasons.getOrDefault(groups.judgedFor(i), List.of());
            if (why.isEmpty()) {
                eligible.add(candidate);
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
