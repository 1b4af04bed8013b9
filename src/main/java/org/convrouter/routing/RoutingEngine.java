package org.convrouter.routing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.convrouter.support.ForgetfulMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one routing request: runs the active rule set over the facts (policy: who is excluded
 * and why, which strategy, direct assignments, notifications), then executes the strategy the
 * rules chose over the eligible candidates (mechanism). Needs no HTTP and no database. When the
 * rule set allows it ({@link PureRuleCheck}), an outcome the rules reached for the same facts is
 * applied instead of running them again ({@link RuleOutcomes}).
 * Thread-safe when the random generator is (java.util.Random is).
 */
public final class RoutingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingEngine.class);

    private final ActiveRules rules;
    private final RandomGenerator random;
    private final Clock clock;
    private final Supplier<String> ids;
    private final LongAdder rulesRun = new LongAdder();
    private final LongAdder outcomesReused = new LongAdder();

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

    /**
     * Decides on a given rule set, as the service does. A run of the rules that is stopped (it fired
     * too often or too long) leaves the conversation unassigned, saying why.
     */
    public Decision decide(RoutingFacts facts, RuleSet ruleSet) {
        long started = System.nanoTime();
        try {
            return decide(facts, ruleSet, ruleSet.derived(JUDGES_BY_PROFILE).byProfile(), ruleSet.derived(REMEMBERED));
        } catch (RuleSet.RuleLoopException stopped) {
            return stopped(facts, ruleSet, stopped, started);
        }
    }

    /** How many decisions were left unassigned because their rules were stopped. */
    public long rulesStopped() {
        return rulesStopped.sum();
    }

    private final LongAdder rulesStopped = new LongAdder();
    private final java.util.Set<String> reportedStopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Unassigned, every candidate with the reason, and the rule set reported (logged once per version, counted always). */
    private Decision stopped(RoutingFacts facts, RuleSet ruleSet, RuleSet.RuleLoopException stopped, long started) {
        rulesStopped.increment();
        if (reportedStopped.add(ruleSet.version())) {
            LOG.error("rule set {} was stopped on a routing request, which was left unassigned: {}", ruleSet.version(),
                    stopped.getMessage());
        }
        List<CandidateOutcome> outcomes = new ArrayList<>(facts.candidates().size());
        for (Candidate candidate : facts.candidates()) {
            outcomes.add(new CandidateOutcome(candidate.userId(), candidate.role(), false, List.of("the rules were stopped")));
        }
        return new Decision(ids.get(), ruleSet.version(), Strategy.NONE, outcomes,
                stopped.lastRule() == null ? List.of() : List.of(stopped.lastRule()),
                List.of("left unassigned: " + stopped.getMessage()), null, List.of(),
                (System.nanoTime() - started) / 1_000, clock.instant());
    }

    /**
     * Decides as the rules are written: every candidate judged on their own and the rules run, with
     * nothing remembered. This is what the faster paths are tested to equal, and what scenarios
     * check before a rule set goes live (it needs neither check of the rule set).
     */
    public Decision decideAsWritten(RoutingFacts facts, RuleSet ruleSet) {
        return decide(facts, ruleSet, false, Optional.empty());
    }

    /**
     * Works out what this engine needs to know about a rule set (whether it judges by profile, and
     * whether its outcomes may be remembered) ahead of its first decision, which would otherwise
     * wait for it. Idempotent; safe to call from any thread.
     */
    public void prepare(RuleSet ruleSet) {
        ruleSet.derived(JUDGES_BY_PROFILE);
        ruleSet.derived(REMEMBERED);
    }

    /** How many decisions ran the rules. */
    public long rulesRun() {
        return rulesRun.sum();
    }

    /** How many decisions applied an outcome the rules had reached before for the same facts. */
    public long outcomesReused() {
        return outcomesReused.sum();
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

    /** Where each rule set's outcomes are remembered, if they may be; worked out (and logged) once per rule set. */
    private static final Function<RuleSet, Optional<RuleOutcomes>> REMEMBERED = ruleSet -> {
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(ruleSet.files());
        if (verdict.remember()) {
            LOG.info("rule set {} remembers its outcomes: {}", ruleSet.version(), verdict.reason());
            return Optional.of(RuleOutcomes.reading(verdict.reads()));
        }
        LOG.info("rule set {} runs its rules for every request: {}", ruleSet.version(), verdict.reason());
        return Optional.empty();
    };

    /**
     * {@code byProfile}: insert one selected candidate per profile and give its outcome to every
     * user of that profile; only right for rule sets {@link ProfileRuleCheck} accepts (tests compare
     * both ways on such rule sets). {@code remembered}: where outcomes are kept and looked up; only
     * right for rule sets {@link PureRuleCheck} accepts (tests compare with and without).
     */
    Decision decide(RoutingFacts facts, RuleSet ruleSet, boolean byProfile, Optional<RuleOutcomes> remembered) {
        long started = System.nanoTime();
        List<Candidate> candidates = facts.candidates();
        CandidateGroups groups = !byProfile ? CandidateGroups.each(candidates)
                : facts.grouping() != null ? CandidateGroups.of(candidates, facts.grouping()) // kept with the roster
                : CandidateGroups.byProfile(candidates);
        List<Candidate> judged = groups.judged();
        RuleOutcomes outcomes = remembered.orElse(null);
        RuleOutcomes.Key key = outcomes == null ? null : outcomes.keyOf(facts, judged);
        RuleOutcome concluded = key == null ? null : outcomes.get(key);
        boolean rememberedOutcome = concluded != null;
        if (rememberedOutcome) {
            outcomesReused.increment();
        } else {
            concluded = run(facts, ruleSet, judged);
            rulesRun.increment();
            if (key != null && concluded.reusable()) {
                outcomes.remember(key, concluded);
                rememberedOutcome = true;
            }
        }

        Expansion expansion = expansion(facts, groups, concluded, rememberedOutcome);
        int[] eligiblePositions = expansion.eligible();
        List<Candidate> eligible = new ArrayList<>(eligiblePositions.length);
        for (int position : eligiblePositions) {
            eligible.add(candidates.get(position)); // this request's instance: its current load
        }

        Candidate direct = concluded.assignee(judged);
        Candidate chosen = direct != null ? eligibleOrNull(direct, eligible) : switch (concluded.strategy()) {
            case LEAST_BUSY -> Selection.leastBusy(eligible);
            case RANDOM -> Selection.random(eligible, random);
            default -> null;
        };
        List<String> notes = new ArrayList<>(concluded.summaries().size() + 1);
        for (String template : concluded.summaries()) {
            notes.add(DecisionSummary.render(template, eligible.size(), chosen));
        }
        if (direct != null && chosen == null) {
            notes.add("the rules assigned " + direct.name() + " (" + direct.userId() + "), who is not eligible,"
                    + " so it was left unassigned");
        }
        long tookMicros = (System.nanoTime() - started) / 1_000;
        return new Decision(ids.get(), ruleSet.version(), concluded.strategy(), expansion.outcomes(), concluded.firedRules(),
                notes, chosen == null ? null : chosen.userId(), concluded.notifications(judged, facts.message()),
                tookMicros, clock.instant());
    }

    /**
     * Automatic routing assigns eligible users only (R1), whatever a rule's {@code assignTo} names: a
     * strategy rule that forgets its {@code not Exclusion(...)} guard leaves the conversation
     * unassigned, with a note saying so, rather than placing it on someone the rules excluded.
     */
    private static Candidate eligibleOrNull(Candidate direct, List<Candidate> eligible) {
        for (Candidate candidate : eligible) {
            if (candidate.role() == direct.role() && candidate.userId().equals(direct.userId())) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * An outcome spelled out per candidate of one roster: each candidate's recorded outcome, and
     * the positions of the eligible ones. Neither depends on loads, so requests that reuse both the
     * roster's grouping and the outcome reuse it too, and only read the eligible candidates' loads.
     */
    private record Expansion(List<CandidateOutcome> outcomes, int[] eligible) {}

    /** A remembered outcome over a roster's grouping (a roster stands for fixed users in a fixed order), by identity. */
    private record Expanded(ProfileGrouping grouping, RuleOutcome outcome) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Expanded e && e.grouping == grouping && e.outcome == outcome;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(grouping) * 31 + System.identityHashCode(outcome);
        }
    }

    private final ForgetfulMap<Expanded, Expansion> expansions = new ForgetfulMap<>(1024);

    /** {@code keep}: the outcome is remembered, so later requests may bring it again. */
    private Expansion expansion(RoutingFacts facts, CandidateGroups groups, RuleOutcome concluded, boolean keep) {
        ProfileGrouping grouping = facts.grouping();
        Expanded key = keep && grouping != null && groups.judgedFrom(grouping) ? new Expanded(grouping, concluded) : null;
        Expansion kept = key == null ? null : expansions.get(key);
        if (kept != null) {
            return kept;
        }
        List<Candidate> candidates = facts.candidates();
        CandidateOutcome[] outcomes = new CandidateOutcome[candidates.size()];
        int[] eligible = new int[candidates.size()];
        int eligibleCount = 0;
        List<List<String>> reasons = concluded.reasons();
        for (int i = 0; i < outcomes.length; i++) {
            Candidate candidate = candidates.get(i);
            List<String> why = reasons.get(groups.slotOf(i));
            if (why.isEmpty()) {
                eligible[eligibleCount++] = i;
            }
            outcomes[i] = new CandidateOutcome(candidate.userId(), candidate.role(), why.isEmpty(), why);
        }
        Expansion expansion = new Expansion(List.of(outcomes), Arrays.copyOf(eligible, eligibleCount));
        if (key != null) {
            expansions.put(key, expansion);
        }
        return expansion;
    }

    /** One session over the request's facts, with one fact per judged candidate. */
    private static RuleOutcome run(RoutingFacts facts, RuleSet ruleSet, List<Candidate> judged) {
        RoutingDecision decision = new RoutingDecision();
        List<Object> inserted = new ArrayList<>(judged.size() + 6);
        inserted.add(facts.channel());
        inserted.add(facts.inbox());
        inserted.add(facts.settings());
        if (facts.contact() != null) {
            inserted.add(facts.contact());
        }
        inserted.add(facts.message());
        inserted.add(decision);
        inserted.addAll(judged);
        return RuleOutcome.of(ruleSet.run(inserted, Exclusion.class), decision, judged);
    }
}
