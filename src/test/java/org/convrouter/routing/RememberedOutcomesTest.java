package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.routing.ExtraRules.ESCALATIONS;
import static org.convrouter.routing.ExtraRules.SALES_SEATS;
import static org.convrouter.routing.ExtraRules.assertSameDecision;
import static org.convrouter.routing.ExtraRules.withRules;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;

/**
 * Applying a remembered outcome must decide exactly as running the rules does: same reasons for
 * every user, same strategy, rules fired, notes, assignee and notifications. Random requests are
 * drawn from small pools, so the same channels, settings, profiles and contacts come back (and
 * outcomes are reused) while loads, messages, names and addresses change with every request.
 */
class RememberedOutcomesTest {

    private static final int REQUESTS = 1_500;
    /** One instance, as the directory snapshot gives every request on a channel the same ones. */
    private static final Inbox INBOX = new Inbox("inbox", "Inbox", null);

    @Test
    void theShippedPolicyDecidesTheSameFromRememberedOutcomes() {
        assertSameDecisions(RuleSetCompiler.read(Policy.RULES), REQUESTS / 3);
    }

    /**
     * Through the candidate factory over a real directory, as the service decides: rosters keep
     * their profile grouping, the engine keeps outcomes spelled out per candidate, loads change on
     * every request and availability now and then. Compared with judging every candidate and
     * running the rules every time.
     */
    @Test
    void requestsOnRealChannelsDecideTheSameAsRunningTheRulesForEveryCandidate() {
        // a profile-only rule that excludes some users from chats only: two channels sharing one
        // roster (the same settings) then get outcomes with different reasons
        List<RuleFile> files = withRules(SALES_SEATS);
        RuleSet ruleSet = new RuleSetCompiler().compile(files);
        assertThat(ProfileRuleCheck.check(files).byProfile()).isTrue();
        org.convrouter.World world = org.convrouter.World.world();
        List<String> t1 = new ArrayList<>();
        List<String> t2 = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String id = "u" + i;
            org.convrouter.directory.User user = i % 7 == 0 ? org.convrouter.World.seatless(id)
                    : i % 11 == 0 ? org.convrouter.World.inactive(id) : org.convrouter.World.agent(id);
            if (i % 4 == 1) {
                user = new org.convrouter.directory.User(id, user.name(), user.email(), Seat.SALES, user.available(), user.active());
            }
            world.users(i % 3 == 0 ? user.withAvailable(false) : user);
            (i < 25 ? t1 : t2).add(id);
        }
        RoutingSettings shared = org.convrouter.World.autoTo(List.of("u1", "u2"), List.of("t1", "t2"));
        world.team("t1", t1.subList(0, 20), t1.subList(20, 25)).team("t2", t2, List.of()).inbox("open")
                .channel("chat", "open", ChannelKind.CHAT).channel("mail", "open", ChannelKind.EMAIL)
                .routing("chat", shared).routing("mail", shared);
        org.convrouter.directory.Directory directory = world.directory();
        java.util.Map<String, AgentLoad> loads = new java.util.HashMap<>();
        CandidateFactory factory = new CandidateFactory();
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(ruleSet.files());
        Optional<RuleOutcomes> remembered = Optional.of(RuleOutcomes.reading(verdict.reads()));
        RoutingEngine remembering = new RoutingEngine(new ActiveRules(ruleSet), new Random(5), Clock.systemUTC());
        RoutingEngine running = new RoutingEngine(new ActiveRules(ruleSet), new Random(5), Clock.systemUTC());
        Random r = new Random(8);

        for (int request = 0; request < REQUESTS; request++) {
            if (r.nextInt(10) == 0) { // somebody goes away or comes back: a new directory snapshot
                var user = directory.user("u" + r.nextInt(40)).orElseThrow();
                directory = directory.withUser(user.withAvailable(!user.available()));
            }
            String someone = "u" + r.nextInt(40);
            loads.put(someone, new AgentLoad(r.nextInt(4), r.nextBoolean() ? null : Instant.ofEpochSecond(request)));
            Channel channel = directory.channel(r.nextBoolean() ? "chat" : "mail").orElseThrow();
            Contact contact = r.nextInt(3) == 0 ? null : new Contact("k" + request, null, null, null, r.nextBoolean());
            RoutingFacts facts = factory.facts(directory, channel, directory.inbox("open").orElseThrow(),
                    directory.settings(channel.id()), contact, new IncomingMessage("Message " + request, null),
                    id -> loads.getOrDefault(id, AgentLoad.NONE));

            Decision reused = remembering.decide(facts, ruleSet, true, remembered);
            Decision run = running.decide(facts, ruleSet, false, Optional.empty());

            String context = "request " + request + " on " + channel.id();
            assertSameDecision(context, reused, run);
        }
        assertThat(remembering.outcomesReused()).as("outcomes reused").isGreaterThan(REQUESTS / 2);
    }

    @Test
    void aRuleReadingTheContactsOwnerDecidesTheSameFromRememberedOutcomes() {
        assertSameDecisions(withRules("""
                rule "Sales owners of their own contacts take no conversations"
                    salience 100
                when
                    Contact( $owner : owner )
                    $c : Candidate( role == CandidateRole.OWNER, userId == $owner, seat == Seat.SALES )
                then
                    insert( new Exclusion( $c, "sales owners take none" ) );
                end
                """), REQUESTS / 4);
    }

    @Test
    void aRuleReadingTeamsJudgedForEveryCandidateDecidesTheSameFromRememberedOutcomes() {
        List<RuleFile> files = withRules(ESCALATIONS);
        assertThat(ProfileRuleCheck.check(files).byProfile()).isFalse();

        assertSameDecisions(files, REQUESTS / 10);
    }

    @Test
    void aRuleCountingCandidatesDecidesTheSameFromRememberedOutcomes() {
        assertSameDecisions(withRules("""
                rule "Crowded channels are routed at random"
                    activation-group "strategy"
                    salience 40
                when
                    $d : RoutingDecision()
                    RoutingSettings( autoAssign, assignsToUsersAndTeams )
                    Number( intValue > 12 ) from accumulate( $c : Candidate( available ), count( $c ) )
                then
                    $d.useStrategy( Strategy.RANDOM );
                end
                """), REQUESTS / 10);
    }

    @Test
    void aRuleSetReadingTheMessageRunsItsRulesForEveryRequest() {
        List<RuleFile> files = withRules("""
                rule "Refund requests go to a random user"
                    activation-group "strategy"
                    salience 40
                when
                    $d : RoutingDecision()
                    RoutingSettings( autoAssign, assignsToUsersAndTeams )
                    IncomingMessage( subject != null, subject.contains( "refund" ) )
                then
                    $d.useStrategy( Strategy.RANDOM );
                end
                """);
        RuleSet ruleSet = new RuleSetCompiler().compile(files);
        RoutingEngine engine = new RoutingEngine(new ActiveRules(ruleSet), new Random(1), Clock.systemUTC());
        Random world = new Random(3);

        for (int i = 0; i < 50; i++) {
            engine.decide(randomRequest(world, new Pools(world)), ruleSet);
        }

        assertThat(PureRuleCheck.check(files).reason()).contains("IncomingMessage.subject");
        assertThat(engine.outcomesReused()).isZero();
        assertThat(engine.rulesRun()).isEqualTo(50);
    }

    @Test
    void aRememberedOutcomeEmailsThisRequestsOwnerWithThisRequestsMessage() {
        RuleSet ruleSet = Policy.repoRules();
        RoutingEngine engine = new RoutingEngine(new ActiveRules(ruleSet), new Random(1), Clock.systemUTC());
        RoutingSettings toOwner = new RoutingSettings(true, AssignTo.contactOwner(null), true);
        Channel email = new Channel("mail", "inbox", ChannelKind.EMAIL, "Mail");
        Inbox inbox = new Inbox("inbox", "Inbox", null);

        Decision first = engine.decide(new RoutingFacts(email, inbox, toOwner, new Contact("k1", "a@x", "A", "ana", false),
                new IncomingMessage("first message", null), List.of(awayOwner("ana"))));
        Decision second = engine.decide(new RoutingFacts(email, inbox, toOwner, new Contact("k2", "b@x", "B", "bo", false),
                new IncomingMessage("second message", null), List.of(awayOwner("bo"))));

        assertThat(engine.outcomesReused()).isEqualTo(1); // the second request was not run through the rules
        assertThat(first.notifications()).singleElement().satisfies(n -> {
            assertThat(n.address()).isEqualTo("ana@example.com");
            assertThat(n.text()).isEqualTo("first message");
        });
        assertThat(second.assignee()).isEqualTo("bo");
        assertThat(second.notifications()).singleElement().satisfies(n -> {
            assertThat(n.userId()).isEqualTo("bo");
            assertThat(n.address()).isEqualTo("bo@example.com");
            assertThat(n.text()).isEqualTo("second message");
        });
    }

    private static Candidate awayOwner(String id) {
        return new Candidate(id, id.toUpperCase(), id + "@example.com", CandidateRole.OWNER, Seat.SERVICE, true, true, true,
                false, false, false, false, null, Set.of(), 2, null);
    }

    private static void assertSameDecisions(List<RuleFile> files, int atLeastReused) {
        RuleSet ruleSet = new RuleSetCompiler().compile(files);
        PureRuleCheck.Verdict verdict = PureRuleCheck.check(files);
        assertThat(verdict.remember()).as(verdict.reason()).isTrue();
        boolean byProfile = ProfileRuleCheck.check(files).byProfile();
        Optional<RuleOutcomes> remembered = Optional.of(RuleOutcomes.reading(verdict.reads()));
        RoutingEngine remembering = new RoutingEngine(new ActiveRules(ruleSet), new Random(11), Clock.systemUTC());
        RoutingEngine running = new RoutingEngine(new ActiveRules(ruleSet), new Random(11), Clock.systemUTC());
        Random world = new Random(42);
        Pools pools = new Pools(world);

        for (int request = 0; request < REQUESTS; request++) {
            RoutingFacts facts = randomRequest(world, pools);

            Decision reused = remembering.decide(facts, ruleSet, byProfile, remembered);
            Decision run = running.decide(facts, ruleSet, byProfile, Optional.empty());

            String context = "request " + request + ": " + facts.settings() + " on " + facts.channel().kind()
                    + " with " + facts.contact();
            assertSameDecision(context, reused, run);
        }
        assertThat(remembering.outcomesReused()).as("outcomes reused").isGreaterThanOrEqualTo(atLeastReused);
    }

    /**
     * Small pools of channels, settings, users and contacts, so that requests repeat what the rules
     * read. Users (and owners) keep their profile from request to request; now and then one of them
     * changes availability, as agents do.
     */
    private record Pools(List<Channel> channels, List<RoutingSettings> settings, List<Candidate> users,
                         java.util.Map<String, Candidate> standAlone, List<Contact> contacts) {
        Pools(Random r) {
            this(List.of(new Channel("chat", "inbox", ChannelKind.CHAT, "Chat"),
                            new Channel("mail", "inbox", ChannelKind.EMAIL, "Mail"),
                            new Channel("bot", "inbox", ChannelKind.BOT, "Bot")),
                    List.of(new RoutingSettings(true, AssignTo.usersAndTeams(List.of(), List.of("t")), true),
                            new RoutingSettings(true, AssignTo.usersAndTeams(List.of(), List.of("t")), false),
                            new RoutingSettings(false, AssignTo.usersAndTeams(List.of(), List.of("t")), true),
                            new RoutingSettings(true, AssignTo.contactOwner("fallback"), true),
                            new RoutingSettings(true, AssignTo.contactOwner(null), false)),
                    someUsers(r), new java.util.HashMap<>(), someContacts());
        }

        private static List<Candidate> someUsers(Random r) {
            List<Candidate> users = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                Seat seat = i % 7 == 0 ? Seat.NONE : i % 3 == 0 ? Seat.SALES : Seat.SERVICE;
                int selection = i % 3; // direct, primary, secondary
                Set<String> teams = i % 4 == 0 ? Set.of("escalations", "t") : Set.of("t");
                users.add(new Candidate("u" + i, "User " + i, "u" + i + "@example.com", CandidateRole.SELECTED, seat,
                        seat.isPaid(), i % 9 != 0, i % 11 != 0, r.nextBoolean(), selection == 0, selection == 1,
                        selection == 2, "t", teams, 0, null));
            }
            return users;
        }

        private static List<Contact> someContacts() {
            return List.of(new Contact("k0", "k0@x", "K0", null, true), new Contact("k1", "k1@x", "K1", "o1", true),
                    new Contact("k2", "k2@x", "K2", "o1", false), new Contact("k3", "k3@x", "K3", "o2", true));
        }

        /** An owner or fallback user, the same person with the same profile each time (but for availability changes). */
        Candidate standAlone(String id, CandidateRole role, Random r) {
            return standAlone.computeIfAbsent(id + "/" + role, key -> {
                Seat seat = r.nextInt(4) == 0 ? Seat.NONE : r.nextBoolean() ? Seat.SALES : Seat.SERVICE;
                return new Candidate(id, id.toUpperCase(), id + "@example.com", role, seat, seat.isPaid(),
                        r.nextInt(6) != 0, r.nextInt(6) != 0, r.nextBoolean(), false, false, false, null, Set.of(), 0, null);
            });
        }

        /** Now and then somebody goes away or comes back. */
        void availabilityMayChange(Random r) {
            if (r.nextInt(8) == 0) {
                int i = r.nextInt(users.size());
                users.set(i, with(users.get(i), !users.get(i).available()));
            }
            if (r.nextInt(8) == 0 && !standAlone.isEmpty()) {
                String key = new ArrayList<>(standAlone.keySet()).get(r.nextInt(standAlone.size()));
                standAlone.computeIfPresent(key, (k, c) -> with(c, !c.available()));
            }
        }
    }

    private static RoutingFacts randomRequest(Random r, Pools pools) {
        pools.availabilityMayChange(r);
        Channel channel = pools.channels().get(r.nextInt(pools.channels().size()));
        RoutingSettings settings = pools.settings().get(r.nextInt(pools.settings().size()));
        Contact contact = r.nextInt(5) == 0 ? null : pools.contacts().get(r.nextInt(pools.contacts().size()));
        if (contact != null && r.nextBoolean()) { // a new contact who differs only in what rules do not read
            int n = r.nextInt(1_000_000);
            contact = new Contact("new" + n, n + "@example.com", "New " + n, contact.owner(), contact.cookieTracked());
        }
        List<Candidate> candidates = new ArrayList<>();
        if (settings.assignsToUsersAndTeams()) {
            for (Candidate user : pools.users()) {
                candidates.add(withLoad(user, r));
            }
        } else {
            if (contact != null && contact.owner() != null) {
                String owner = r.nextInt(4) == 0 ? "o3" : contact.owner(); // now and then the facts disagree
                candidates.add(withLoad(pools.standAlone(owner, CandidateRole.OWNER, r), r));
            }
            if (settings.assignTo().fallbackUser() != null) {
                candidates.add(withLoad(pools.standAlone("fallback", CandidateRole.FALLBACK, r), r));
            }
        }
        String subject = r.nextInt(4) == 0 ? "Order " + r.nextInt(100) : null;
        return new RoutingFacts(channel, INBOX, settings, contact,
                new IncomingMessage("Message " + r.nextInt(1_000_000), subject), candidates);
    }

    private static Candidate with(Candidate c, boolean available) {
        return new Candidate(c.userId(), c.name(), c.email(), c.role(), c.seat(), c.paidSeat(), c.active(), c.inboxAccess(),
                available, c.selectedDirectly(), c.primaryMemberOfSelectedTeam(), c.secondaryMemberOfSelectedTeam(),
                c.primaryTeam(), c.teams(), c.openChats(), c.lastChatAssignedAt());
    }

    private static Candidate withLoad(Candidate c, Random r) {
        return c.withLoad(new AgentLoad(r.nextInt(5), r.nextBoolean() ? null : Instant.ofEpochSecond(r.nextInt(50))));
    }

}
