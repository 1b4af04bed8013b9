package org.convrouter.routing;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides one routing request: runs the active rule set over the facts, every candidate included
 * (policy: who is excluded and why, which strategy, direct assignments, notifications), then
 * executes the strategy the rules chose over the eligible candidates (mechanism). Needs no HTTP and
 * no database. Thread-safe when the random generator is (java.util.Random is).
 */
public final class RoutingEngine {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingEngine.class);

    private final ActiveRules rules;
    private final RandomGenerator random;
    private final java.time.Clock clock;
    private final Supplier<ZoneId> zone;
    private final Supplier<String> ids;

    /** {@code zone}: the account's time zone, in which the rules see the {@link Clock} (R12); read per decision. */
    public RoutingEngine(ActiveRules rules, RandomGenerator random, java.time.Clock clock, Supplier<ZoneId> zone,
                         Supplier<String> ids) {
        this.rules = rules;
        this.random = random;
        this.clock = clock;
        this.zone = zone;
        this.ids = ids;
    }

    /** An engine whose rules see the time in {@code clock}'s own zone. */
    public RoutingEngine(ActiveRules rules, RandomGenerator random, java.time.Clock clock, Supplier<String> ids) {
        this(rules, random, clock, clock::getZone, ids);
    }

    /** An engine whose decisions get random UUIDs (simulations, scenarios, tests). */
    public RoutingEngine(ActiveRules rules, RandomGenerator random, java.time.Clock clock) {
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
        Instant now = clock.instant();
        try {
            return decide(facts, ruleSet, started, now);
        } catch (RuleSet.RuleLoopException stopped) {
            return stopped(facts, ruleSet, stopped, started, now);
        }
    }

    /** As {@link #decide(RoutingFacts, RuleSet)}, but a run that is stopped throws: scenarios report it as the rule set's fault. */
    public Decision decideOrThrow(RoutingFacts facts, RuleSet ruleSet) {
        return decide(facts, ruleSet, System.nanoTime(), clock.instant());
    }

    private Decision decide(RoutingFacts facts, RuleSet ruleSet, long started, Instant now) {
        RoutingDecision decision = new RoutingDecision();
        RuleSet.Firing firing = run(facts, Clock.at(now, zone.get()), ruleSet, decision);

        List<Candidate> candidates = facts.candidates();
        Map<Candidate, List<String>> reasons = reasonsByCandidate(firing, candidates.size());
        List<CandidateOutcome> outcomes = new ArrayList<>(candidates.size());
        List<Candidate> eligible = new ArrayList<>(candidates.size());
        for (Candidate candidate : candidates) {
            List<String> why = reasons.getOrDefault(candidate, List.of());
            if (why.isEmpty()) {
                eligible.add(candidate);
            }
            outcomes.add(new CandidateOutcome(candidate.userId(), candidate.role(), why.isEmpty(), why));
        }

        Candidate direct = decision.assignee();
        Candidate chosen = direct != null ? eligibleOrNull(direct, eligible) : switch (decision.strategy()) {
            case LEAST_BUSY -> Selection.leastBusy(eligible);
            case RANDOM -> Selection.random(eligible, random);
            default -> null;
        };
        List<String> notes = new ArrayList<>(firing.summaries().size() + 1);
        for (String template : firing.summaries()) {
            notes.add(DecisionSummary.render(template, eligible.size(), chosen));
        }
        if (direct != null && chosen == null) {
            notes.add("the rules assigned " + direct.name() + " (" + direct.userId() + "), who is not eligible,"
                    + " so it was left unassigned");
        }
        long tookMicros = (System.nanoTime() - started) / 1_000;
        return new Decision(ids.get(), ruleSet.version(), decision.strategy(), outcomes, firing.firedRules(), notes,
                chosen == null ? null : chosen.userId(), notifications(decision, chosen, facts.message()),
                tookMicros, now);
    }

    /** How many decisions were left unassigned because their rules were stopped. */
    public long rulesStopped() {
        return rulesStopped.sum();
    }

    private final LongAdder rulesStopped = new LongAdder();
    private final java.util.Set<String> reportedStopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Unassigned, every candidate with the reason, and the rule set reported (logged once per version, counted always). */
    private Decision stopped(RoutingFacts facts, RuleSet ruleSet, RuleSet.RuleLoopException stopped, long started,
                             Instant now) {
        rulesStopped.increment();
        if (reportedStopped.add(ruleSet.version())) {
            LOG.error("rule set {} was stopped on a routing request, which was left unassigned: {}", ruleSet.version(),
                    stopped.getMessage());
        }
        List<CandidateOutcome> outcomes = new ArrayList<>(facts.candidates().size());
        for (Candidate candidate : facts.candidates()) {
            outcomes.add(new CandidateOutcome(candidate.userId(), candidate.role(), false, List.of("the rules were stopped")));
        }
        return new Decision(ids.get(), ruleSet.version(), Strategy.NO_STRATEGY_RULE, outcomes,
                stopped.lastRule() == null ? List.of() : List.of(stopped.lastRule()),
                List.of("left unassigned: " + stopped.getMessage()), null, List.of(),
                (System.nanoTime() - started) / 1_000, now);
    }

    /** One session over the request's facts and the time, one fact per candidate; collects the Exclusions the rules made. */
    private static RuleSet.Firing run(RoutingFacts facts, Clock time, RuleSet ruleSet, RoutingDecision decision) {
        List<Object> inserted = new ArrayList<>(facts.candidates().size() + 7);
        inserted.add(time);
        inserted.add(facts.channel());
        inserted.add(facts.inbox());
        inserted.add(facts.settings());
        if (facts.contact() != null) {
            inserted.add(facts.contact());
        }
        inserted.add(facts.message());
        inserted.add(decision);
        inserted.addAll(facts.candidates());
        return ruleSet.run(inserted, Exclusion.class);
    }

    /** Each excluded candidate's reasons, sorted so people and tests see one order whatever order the rules fired in. */
    private static Map<Candidate, List<String>> reasonsByCandidate(RuleSet.Firing firing, int candidates) {
        Map<Candidate, List<String>> reasons = new IdentityHashMap<>(Math.min(candidates, firing.facts().size()) * 2);
        for (Object fact : firing.facts()) {
            Exclusion exclusion = (Exclusion) fact;
            reasons.computeIfAbsent(exclusion.candidate(), c -> new ArrayList<>(2)).add(exclusion.reason());
        }
        reasons.replaceAll((candidate, why) -> {
            why.sort(null);
            return List.copyOf(why);
        });
        return reasons;
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
     * The emails the rules asked for, addressed, carrying the customer's message where asked; one
     * meant for the assignee only if the conversation was assigned to them (R7).
     */
    private static List<Notification> notifications(RoutingDecision decision, Candidate chosen, IncomingMessage message) {
        List<Notification> notifications = new ArrayList<>(decision.emails().size());
        for (RoutingDecision.Email email : decision.emails()) {
            Candidate to = email.to();
            if (email.onlyIfAssigned() && (chosen == null || chosen.role() != to.role() || !chosen.userId().equals(to.userId()))) {
                continue;
            }
            notifications.add(new Notification("email", to.userId(), to.email(), email.subject(),
                    email.carriesMessage() ? message.text() : email.text()));
        }
        return notifications;
    }
}
