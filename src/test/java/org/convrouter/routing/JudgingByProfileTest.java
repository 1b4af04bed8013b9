package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.convrouter.Policy;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Judging one selected candidate per profile must decide exactly as judging every candidate does,
 * for every rule set the check accepts: same reasons for every user, same rules fired, same notes,
 * same assignee, same notifications. Random requests with many users per profile.
 */
class JudgingByProfileTest {

    private static final int REQUESTS = 400;

    @TempDir
    Path rules;

    @Test
    void theShippedPolicyDecidesTheSameByProfileAsForEveryCandidate() {
        assertSameDecisions(Policy.repoRules());
    }

    @Test
    void anAnalystsProfileOnlyRuleDecidesTheSameByProfileAsForEveryCandidate() throws IOException {
        Policy.copyRulesTo(rules);
        Files.writeString(rules.resolve("sales.drl"), ExtraRules.HEADER + ExtraRules.SALES_SEATS);
        RuleSet ruleSet = new RuleSetCompiler().compile(rules);
        assertThat(ProfileRuleCheck.check(ruleSet.files()).byProfile()).isTrue();

        assertSameDecisions(ruleSet);
    }

    @Test
    void aRuleSetReadingLoadsIsJudgedForEveryCandidate() throws IOException {
        Policy.copyRulesTo(rules);
        Files.writeString(rules.resolve("busy.drl"), """
                package policy;
                import org.convrouter.routing.Candidate;
                import org.convrouter.routing.Exclusion;

                rule "Users with five open chats take no more"
                    salience 100
                when
                    $c : Candidate( openChats >= 5 )
                then
                    insert( new Exclusion( $c, "five open chats" ) );
                end
                """);
        RuleSet ruleSet = new RuleSetCompiler().compile(rules);
        RoutingEngine engine = new RoutingEngine(new ActiveRules(ruleSet), new Random(1), Clock.systemUTC());
        // two users with one profile, told apart only by their load
        List<Candidate> twins = List.of(selected("calm", Seat.SERVICE, true, 1), selected("busy", Seat.SERVICE, true, 7));

        Decision decision = engine.decide(facts(ChannelKind.CHAT, chatSettings(), null, twins), ruleSet);

        assertThat(decision.candidates()).extracting(CandidateOutcome::userId, CandidateOutcome::eligible)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("calm", true), org.assertj.core.groups.Tuple.tuple("busy", false));
        assertThat(decision.assignee()).isEqualTo("calm");
    }

    private static void assertSameDecisions(RuleSet ruleSet) {
        Random world = new Random(42);
        for (int request = 0; request < REQUESTS; request++) {
            RoutingFacts facts = randomRequest(world);
            long seed = world.nextLong();
            RoutingEngine byProfile = new RoutingEngine(new ActiveRules(ruleSet), new Random(seed), Clock.systemUTC());
            RoutingEngine each = new RoutingEngine(new ActiveRules(ruleSet), new Random(seed), Clock.systemUTC());

            Decision grouped = byProfile.decide(facts, ruleSet, true, java.util.Optional.empty());
            Decision oneByOne = each.decide(facts, ruleSet, false, java.util.Optional.empty());

            String context = "request " + request + ": " + facts.settings() + " on " + facts.channel().kind();
            ExtraRules.assertSameDecision(context, grouped, oneByOne);
        }
    }

    /** Up to 60 selected users over few profiles (so many share one), sometimes an owner and a fallback user. */
    private static RoutingFacts randomRequest(Random r) {
        ChannelKind kind = ChannelKind.values()[r.nextInt(ChannelKind.values().length)];
        boolean toOwner = r.nextInt(3) == 0;
        RoutingSettings settings = new RoutingSettings(r.nextInt(5) != 0,
                toOwner ? AssignTo.contactOwner("fallback") : AssignTo.usersAndTeams(List.of(), List.of()), r.nextBoolean());
        List<Candidate> candidates = new ArrayList<>();
        Contact contact = null;
        if (toOwner) {
            if (r.nextBoolean()) {
                contact = new Contact("contact", "c@example.com", "C", "owner", r.nextBoolean());
                candidates.add(randomCandidate(r, "owner", CandidateRole.OWNER));
            }
            if (r.nextBoolean()) {
                candidates.add(randomCandidate(r, "fallback", CandidateRole.FALLBACK));
            }
        } else {
            int n = r.nextInt(61);
            for (int i = 0; i < n; i++) {
                candidates.add(randomCandidate(r, "u" + i, CandidateRole.SELECTED));
            }
        }
        return facts(kind, settings, contact, candidates);
    }

    private static Candidate randomCandidate(Random r, String id, CandidateRole role) {
        Seat seat = Seat.values()[r.nextInt(Seat.values().length)];
        int selection = r.nextInt(3); // direct, primary, secondary
        boolean selected = role == CandidateRole.SELECTED;
        return new Candidate(id, id.toUpperCase(), id + "@example.com", role, seat, seat.isPaid(),
                r.nextInt(6) != 0, r.nextInt(6) != 0, r.nextBoolean(),
                selected && selection == 0, selected && selection == 1, selected && selection == 2,
                null, Set.of(), r.nextInt(4), r.nextBoolean() ? null : Instant.ofEpochSecond(r.nextInt(100)));
    }

    private static Candidate selected(String id, Seat seat, boolean available, int openChats) {
        return new Candidate(id, id, id + "@example.com", CandidateRole.SELECTED, seat, seat.isPaid(), true, true,
                available, true, false, false, null, Set.of(), openChats, null);
    }

    private static RoutingSettings chatSettings() {
        return new RoutingSettings(true, AssignTo.usersAndTeams(List.of(), List.of()), true);
    }

    private static RoutingFacts facts(ChannelKind kind, RoutingSettings settings, Contact contact, List<Candidate> candidates) {
        return new RoutingFacts(new Channel("channel", "inbox", kind, "Channel"), new Inbox("inbox", "Inbox", null),
                settings, contact, new IncomingMessage("Hello", null), candidates);
    }
}
