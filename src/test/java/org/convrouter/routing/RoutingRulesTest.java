package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.autoToOwner;
import static org.convrouter.World.away;
import static org.convrouter.World.contact;
import static org.convrouter.World.inactive;
import static org.convrouter.World.seatless;
import static org.convrouter.World.world;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convrouter.Policy;
import org.convrouter.World;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.User;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;

/** Automatic routing rules R0-R9 against the repository's real rules/ folder. */
class RoutingRulesTest {

    private static final String ELIGIBILITY_SEAT = "Users without a paid seat are never routed automatically";
    private static final String ELIGIBILITY_ACTIVE = "Deactivated users are never routed automatically";
    private static final String ELIGIBILITY_ACCESS = "Users without access to the inbox are never routed automatically";
    private static final String ELIGIBILITY_SECONDARY = "Secondary members of a selected team are never routed automatically";
    private static final String ELIGIBILITY_AWAY = "Away users are skipped when only available users may be assigned";
    private static final String OWNER_COOKIE = "On chat channels the contact owner is used only for cookie-tracked contacts";
    private static final String R0 = "Channels with automatic assignment off leave conversations unassigned";
    private static final String R3 = "Email and form conversations go to a random eligible user";
    private static final String R4 = "Chat, bot and Messenger conversations go to the least busy eligible user";
    private static final String R6 = "Conversations go to the contact owner when the owner can take them";
    private static final String R7 = "Conversations go to an away contact owner, who is emailed the message";
    private static final String R8 = "Live chat the contact owner cannot take goes to the fallback user";
    private static final String OWNER_NOBODY = "Contact-owner routing with nobody able to take it leaves the conversation unassigned";

    private final Map<String, AgentLoad> loads = new HashMap<>();
    private Random random = new Random(42);

    private Decision decide(World world, String channelId, Contact contact) {
        return decide(world, channelId, contact, Policy.active());
    }

    private Decision decide(World world, String channelId, Contact contact, ActiveRules rules) {
        Directory dir = world.directory();
        var channel = dir.channel(channelId).orElseThrow();
        var inbox = dir.inbox(channel.inboxId()).orElseThrow();
        RoutingSettings settings = dir.settings(channelId);
        var engine = new RoutingEngine(rules, random, Clock.systemUTC());
        return engine.decide(new CandidateFactory().facts(dir, channel, inbox, settings, contact,
                new IncomingMessage("Hello, my order is late", null), id -> loads.getOrDefault(id, AgentLoad.NONE)));
    }

    private static World support(ChannelKind kind, RoutingSettings settings) {
        return world().inbox("support").channel("ch", "support", kind).routing("ch", settings);
    }

    private static CandidateOutcome outcome(Decision decision, String userId) {
        return decision.candidates().stream().filter(c -> c.userId().equals(userId)).findFirst().orElseThrow();
    }

    @Test
    void R0_autoAssignOffLeavesEveryConversationUnassigned() {
        World w = support(ChannelKind.CHAT, new RoutingSettings(false, AssignTo.usersAndTeams(List.of("ana"), null), true))
                .users(agent("ana"));
        Decision decision = decide(w, "ch", null);
        assertThat(decision.assignee()).isNull();
        assertThat(decision.strategy()).isEqualTo(Strategy.UNASSIGNED);
        assertThat(decision.firedRules()).contains(R0).doesNotContain(R4);
    }

    @Test
    void R0_routingSettingsDefaultToAutoAssignOff() {
        World w = world().inbox("support").channel("ch", "support", ChannelKind.EMAIL).users(agent("ana"));
        Decision decision = decide(w, "ch", null);
        assertThat(RoutingSettings.DEFAULT.autoAssign()).isFalse();
        assertThat(RoutingSettings.DEFAULT.onlyAvailable()).isTrue();
        assertThat(decision.assignee()).isNull();
        assertThat(decision.firedRules()).contains(R0);
    }

    @Test
    void R1_eachFailedConditionIsRecordedAsAReason() {
        World w = world().users(agent("ana"), seatless("bo"), inactive("cy"), away("di"), agent("ed"), agent("fay"))
                .team("tier1", List.of("ed"), List.of("fay"))
                .team("other", List.of(), List.of())
                .restrictedInbox("vip", "tier1")
                .channel("ch", "vip", ChannelKind.CHAT)
                .routing("ch", autoTo(List.of("ana", "bo", "cy", "di"), List.of("tier1")));
        // ana, bo, cy, di are named directly but are not in tier1, so they lack inbox access too.
        Decision decision = decide(w, "ch", null);
        assertThat(outcome(decision, "bo").reasons()).containsExactlyInAnyOrder("no paid seat", "no access to the inbox");
        assertThat(outcome(decision, "cy").reasons()).containsExactlyInAnyOrder("deactivated", "no access to the inbox");
        assertThat(outcome(decision, "di").reasons()).containsExactlyInAnyOrder("away", "no access to the inbox");
        assertThat(outcome(decision, "ana").reasons()).containsExactly("no access to the inbox");
        assertThat(outcome(decision, "fay").reasons()).containsExactly("only a secondary member of a selected team");
        assertThat(outcome(decision, "ed").eligible()).isTrue();
        assertThat(decision.assignee()).isEqualTo("ed");
        assertThat(decision.firedRules()).contains(ELIGIBILITY_SEAT, ELIGIBILITY_ACTIVE, ELIGIBILITY_ACCESS,
                ELIGIBILITY_SECONDARY, ELIGIBILITY_AWAY, R4);
    }

    @Test
    void R1_availabilityIsIgnoredWhenOnlyAvailableIsOff() {
        World w = support(ChannelKind.CHAT, new RoutingSettings(true, AssignTo.usersAndTeams(List.of("di"), null), false))
                .users(away("di"));
        Decision decision = decide(w, "ch", null);
        assertThat(decision.assignee()).isEqualTo("di");
        assertThat(decision.firedRules()).doesNotContain(ELIGIBILITY_AWAY);
    }

    @Test
    void R1_primaryMembersOfASelectedTeamAreSelected() {
        World w = support(ChannelKind.EMAIL, autoTo(List.of(), List.of("tier1")))
                .users(agent("ed"), agent("fay"))
                .team("tier1", List.of("ed"), List.of("fay"));
        Decision decision = decide(w, "ch", null);
        assertThat(decision.assignee()).isEqualTo("ed");
        assertThat(outcome(decision, "fay").eligible()).isFalse();
    }

    @Test
    void R1_aUserNamedDirectlyIsSelectedThoughOnlyASecondaryMemberOfASelectedTeam() {
        World w = support(ChannelKind.CHAT, autoTo(List.of("fay"), List.of("tier1")))
                .users(agent("ed"), agent("fay")).team("tier1", List.of("ed"), List.of("fay"));
        loads.put("ed", new AgentLoad(3, null)); // busier, so fay is chosen if she is eligible at all
        Decision decision = decide(w, "ch", null);
        assertThat(outcome(decision, "fay").reasons()).isEmpty();
        assertThat(decision.assignee()).isEqualTo("fay");
    }

    @Test
    void R1_aPrimaryMemberOfOneSelectedTeamIsSelectedThoughSecondaryInAnother() {
        World w = support(ChannelKind.CHAT, autoTo(List.of(), List.of("tier1", "tier2")))
                .users(agent("ed"), agent("fay")).team("tier1", List.of("ed"), List.of())
                .team("tier2", List.of("fay"), List.of("ed"));
        Decision decision = decide(w, "ch", null);
        assertThat(outcome(decision, "ed").reasons()).isEmpty();
        assertThat(outcome(decision, "fay").reasons()).isEmpty();
        assertThat(decision.eligibleCount()).isEqualTo(2);
    }

    @Test
    void R3_emailGoesToARandomEligibleUserEachEquallyLikely() {
        World w = support(ChannelKind.EMAIL, autoTo(List.of("ana", "bo", "cy", "di"), List.of()))
                .users(agent("ana"), agent("bo"), agent("cy"), seatless("di"));
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            Decision decision = decide(w, "ch", null);
            assertThat(decision.strategy()).isEqualTo(Strategy.RANDOM);
            picks.merge(decision.assignee(), 1, Integer::sum);
        }
        assertThat(picks).containsOnlyKeys("ana", "bo", "cy");
        // Expected 1000 each; +-100 is more than 5 standard deviations (sd ~ 25.8).
        picks.values().forEach(n -> assertThat(n).isBetween(870, 1130));
    }

    @Test
    void R3_formsAreRoutedLikeEmailAndTheSeedMakesItDeterministic() {
        World w = support(ChannelKind.FORM, autoTo(List.of("ana", "bo", "cy"), List.of()))
                .users(agent("ana"), agent("bo"), agent("cy"));
        random = new Random(7);
        List<String> first = java.util.stream.IntStream.range(0, 20).mapToObj(i -> decide(w, "ch", null).assignee()).toList();
        random = new Random(7);
        List<String> second = java.util.stream.IntStream.range(0, 20).mapToObj(i -> decide(w, "ch", null).assignee()).toList();
        assertThat(first).isEqualTo(second);
        assertThat(decide(w, "ch", null).firedRules()).contains(R3);
    }

    @Test
    void R4_chatGoesToTheLeastBusyEligibleUser() {
        World w = support(ChannelKind.CHAT, autoTo(List.of("ana", "bo", "cy"), List.of()))
                .users(agent("ana"), agent("bo"), away("cy"));
        loads.put("ana", new AgentLoad(3, Instant.parse("2026-01-01T00:00:00Z")));
        loads.put("bo", new AgentLoad(1, Instant.parse("2026-01-02T00:00:00Z")));
        Decision decision = decide(w, "ch", null);
        assertThat(decision.strategy()).isEqualTo(Strategy.LEAST_BUSY);
        assertThat(decision.assignee()).isEqualTo("bo"); // cy has 0 chats but is away
        assertThat(decision.firedRules()).contains(R4);
    }

    @Test
    void R4_tieGoesToLeastRecentlyAssigned() {
        World w = support(ChannelKind.MESSENGER, autoTo(List.of("ana", "bo"), List.of()))
                .users(agent("ana"), agent("bo"));
        loads.put("ana", new AgentLoad(2, Instant.parse("2026-01-05T00:00:00Z")));
        loads.put("bo", new AgentLoad(2, Instant.parse("2026-01-04T00:00:00Z")));
        assertThat(decide(w, "ch", null).assignee()).isEqualTo("bo");
    }

    @Test
    void R4_neverAssignedCountsAsLongestAgo() {
        World w = support(ChannelKind.BOT, autoTo(List.of("ana", "bo"), List.of()))
                .users(agent("ana"), agent("bo"));
        loads.put("ana", new AgentLoad(0, Instant.parse("2020-01-01T00:00:00Z")));
        assertThat(decide(w, "ch", null).assignee()).isEqualTo("bo");
    }

    @Test
    void R4_remainingTieGoesToSmallestUserId() {
        World w = support(ChannelKind.CHAT, autoTo(List.of("zed", "bo", "mia"), List.of()))
                .users(agent("zed"), agent("bo"), agent("mia"));
        assertThat(decide(w, "ch", null).assignee()).isEqualTo("bo");
    }

    @Test
    void R5_noEligibleUserLeavesItUnassignedWithAReasonForEveryCandidate() {
        World w = support(ChannelKind.CHAT, autoTo(List.of("ana", "bo", "cy"), List.of()))
                .users(seatless("ana"), away("bo"), inactive("cy"));
        Decision decision = decide(w, "ch", null);
        assertThat(decision.assignee()).isNull();
        assertThat(decision.strategy()).isEqualTo(Strategy.LEAST_BUSY);
        assertThat(decision.candidates()).hasSize(3).allSatisfy(c -> {
            assertThat(c.eligible()).isFalse();
            assertThat(c.reasons()).isNotEmpty();
        });
        assertThat(decision.eligibleCount()).isZero();
        assertThat(DecisionSummary.of(decision, id -> id)).isEqualTo("Left unassigned: nobody was eligible; "
                + "ana skipped: no paid seat; bo skipped: away; cy skipped: deactivated");
    }

    @Test
    void R6_contactOwnerGetsTheConversation() {
        World w = support(ChannelKind.EMAIL, autoToOwner(null)).users(agent("ana"), agent("bo"));
        Decision decision = decide(w, "ch", contact("c1", "ana", false));
        assertThat(decision.assignee()).isEqualTo("ana");
        assertThat(decision.strategy()).isEqualTo(Strategy.CONTACT_OWNER);
        assertThat(decision.firedRules()).contains(R6).doesNotContain(R7);
        assertThat(decision.notifications()).isEmpty();
    }

    @Test
    void R6_onChatKindsTheContactMustBeCookieTracked() {
        World w = support(ChannelKind.MESSENGER, autoToOwner(null)).users(agent("ana"));
        Decision untracked = decide(w, "ch", contact("c1", "ana", false));
        assertThat(untracked.assignee()).isNull();
        assertThat(outcome(untracked, "ana").reasons()).containsExactly("contact not tracked by cookie");
        assertThat(untracked.firedRules()).contains(OWNER_COOKIE, OWNER_NOBODY).doesNotContain(R6);
        assertThat(decide(w, "ch", contact("c1", "ana", true)).assignee()).isEqualTo("ana");
    }

    @Test
    void R6_onBotChannelsTooTheContactMustBeCookieTracked() {
        World w = support(ChannelKind.BOT, autoToOwner(null)).users(agent("ana"));
        Decision untracked = decide(w, "ch", contact("c1", "ana", false));
        assertThat(untracked.assignee()).isNull();
        assertThat(outcome(untracked, "ana").reasons()).containsExactly("contact not tracked by cookie");
        assertThat(decide(w, "ch", contact("c1", "ana", true)).assignee()).isEqualTo("ana");
        // Email kinds do not track by cookie: the owner takes it either way.
        World form = support(ChannelKind.FORM, autoToOwner(null)).users(agent("ana"));
        assertThat(decide(form, "ch", contact("c1", "ana", false)).assignee()).isEqualTo("ana");
    }

    @Test
    void R6_ownerNeedsAPaidSeatAndInboxAccess() {
        World w = world().users(seatless("ana"), agent("bo")).team("vip", List.of("ana"), List.of())
                .restrictedInbox("vipbox", "vip").channel("ch", "vipbox", ChannelKind.EMAIL)
                .routing("ch", autoToOwner(null));
        Decision noSeat = decide(w, "ch", contact("c1", "ana", true));
        assertThat(noSeat.assignee()).isNull();
        assertThat(outcome(noSeat, "ana").reasons()).containsExactly("no paid seat");
        Decision noAccess = decide(w, "ch", contact("c2", "bo", true));
        assertThat(noAccess.assignee()).isNull();
        assertThat(outcome(noAccess, "bo").reasons()).containsExactly("no access to the inbox");
    }

    @Test
    void R7_awayOwnerIsStillAssignedAndEmailedTheMessage() {
        World w = support(ChannelKind.CHAT, autoToOwner(null)).users(away("ana"));
        Decision decision = decide(w, "ch", contact("c1", "ana", true));
        assertThat(decision.assignee()).isEqualTo("ana");
        assertThat(decision.notifications()).singleElement().satisfies(n -> {
            assertThat(n.channel()).isEqualTo("email");
            assertThat(n.userId()).isEqualTo("ana");
            assertThat(n.address()).isEqualTo("ana@example.com");
            assertThat(n.text()).isEqualTo("Hello, my order is late");
        });
        assertThat(decision.strategy()).isEqualTo(Strategy.CONTACT_OWNER);
        assertThat(decision.firedRules()).contains(R7).doesNotContain(R6);
    }

    @Test
    void R7_anAwayOwnerIsEmailedAlsoWhenOnlyAvailableIsOff() {
        World w = support(ChannelKind.EMAIL, new RoutingSettings(true, AssignTo.contactOwner(null), false)).users(away("ana"));
        Decision decision = decide(w, "ch", contact("c1", "ana", true));
        assertThat(decision.assignee()).isEqualTo("ana");
        assertThat(decision.notifications()).singleElement().satisfies(n -> assertThat(n.userId()).isEqualTo("ana"));
        assertThat(decision.firedRules()).contains(R7).doesNotContain(R6);
    }

    /** A policy that adds a rule ahead of the owner rules, like an office-hours rule: it wins the strategy group. */
    @Test
    void R7_anAwayOwnerWhoseChatAnotherStrategyRuleLeavesUnassignedIsNotEmailed() {
        ActiveRules rules = new ActiveRules(new RuleSetCompiler().compile(ExtraRules.withRules("""
                rule "Nothing from contact c1 is assigned automatically"
                    @summary("contact c1 is handled by hand")
                    salience 60
                    activation-group "strategy"
                when
                    $decision : RoutingDecision()
                    Contact( id == "c1" )
                then
                    $decision.leaveUnassigned();
                end
                """)));
        World w = support(ChannelKind.CHAT, autoToOwner(null)).users(away("ana"));

        Decision decision = decide(w, "ch", contact("c1", "ana", true), rules);

        assertThat(decision.assignee()).isNull();
        assertThat(decision.strategy()).isEqualTo(Strategy.UNASSIGNED);
        assertThat(decision.notifications()).isEmpty();
        assertThat(decision.firedRules()).doesNotContain(R7);
        assertThat(decide(w, "ch", contact("c2", "ana", true), rules).notifications()).hasSize(1);
    }

    /** A rule outside the strategy group that runs after it and leaves the chat unassigned: the email follows the outcome. */
    @Test
    void R7_anAwayOwnerIsNotEmailedWhenALaterRuleLeavesTheChatUnassigned() {
        ActiveRules rules = new ActiveRules(new RuleSetCompiler().compile(ExtraRules.withRules("""
                rule "Chats from contact c1 wait for a person"
                    salience -10
                when
                    $decision : RoutingDecision()
                    Contact( id == "c1" )
                then
                    $decision.leaveUnassigned();
                end
                """)));
        World w = support(ChannelKind.CHAT, autoToOwner(null)).users(away("ana"));

        Decision decision = decide(w, "ch", contact("c1", "ana", true), rules);

        assertThat(decision.assignee()).isNull();
        assertThat(decision.notifications()).isEmpty();
    }

    @Test
    void aRuleThatAssignsANamedCandidateRecordsTheStrategyDirect() {
        ActiveRules rules = new ActiveRules(new RuleSetCompiler().compile(ExtraRules.withRules("""
                rule "Bo takes every chat"
                    @summary("{assignee} takes every chat")
                    salience 60
                    activation-group "strategy"
                when
                    $decision : RoutingDecision()
                    $bo : Candidate( userId == "bo" )
                    not Exclusion( candidate == $bo )
                then
                    $decision.assignTo( $bo );
                end
                """)));
        World w = support(ChannelKind.CHAT, autoTo(List.of("ana", "bo"), List.of())).users(agent("ana"), agent("bo"));

        Decision decision = decide(w, "ch", null, rules);

        assertThat(decision.assignee()).isEqualTo("bo");
        assertThat(decision.strategy()).isEqualTo(Strategy.DIRECT);
        assertThat(DecisionSummary.of(decision, id -> id)).isEqualTo("Assigned to bo: Bo takes every chat");
    }

    @Test
    void aDecisionNoStrategyRuleFiredForRecordsThatByName() {
        ActiveRules rules = new ActiveRules(new RuleSetCompiler().compile(List.of(
                org.convrouter.rules.RuleFile.of("empty.drl", ExtraRules.HEADER.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        World w = support(ChannelKind.CHAT, autoTo(List.of("ana"), List.of())).users(agent("ana"));

        Decision decision = decide(w, "ch", null, rules);

        assertThat(decision.strategy()).isEqualTo(Strategy.NO_STRATEGY_RULE);
        assertThat(DecisionSummary.of(decision, id -> id)).isEqualTo("Left unassigned: no rule chose an assignee");
    }

    @Test
    void R8_liveChatFallsBackWhenOwnerCannotTakeIt() {
        World w = support(ChannelKind.CHAT, autoToOwner("fb")).users(agent("ana"), agent("fb"));
        Decision noOwner = decide(w, "ch", contact("c1", null, true));
        assertThat(noOwner.assignee()).isEqualTo("fb");
        assertThat(noOwner.strategy()).isEqualTo(Strategy.FALLBACK_USER);
        assertThat(noOwner.firedRules()).contains(R8);
        Decision untracked = decide(w, "ch", contact("c2", "ana", false));
        assertThat(untracked.assignee()).isEqualTo("fb");
        Decision ownerFine = decide(w, "ch", contact("c3", "ana", true));
        assertThat(ownerFine.assignee()).isEqualTo("ana");
        assertThat(ownerFine.firedRules()).doesNotContain(R8);
    }

    @Test
    void R8_fallbackMustBeEligibleAndOnlyLiveChatHasOne() {
        World awayFallback = support(ChannelKind.CHAT, autoToOwner("fb")).users(away("fb"));
        Decision decision = decide(awayFallback, "ch", contact("c1", null, true));
        assertThat(decision.assignee()).isNull();
        assertThat(outcome(decision, "fb").reasons()).containsExactly("away");

        World bot = support(ChannelKind.BOT, autoToOwner("fb")).users(agent("fb"));
        assertThat(decide(bot, "ch", contact("c1", null, true)).assignee()).isNull();
        World email = support(ChannelKind.EMAIL, autoToOwner("fb")).users(agent("fb"));
        assertThat(decide(email, "ch", contact("c1", null, true)).assignee()).isNull();
    }

    @Test
    void R8_theFallbackUserMustHaveASeatBeActiveAndHaveAccessToTheInbox() {
        for (User fallback : List.of(seatless("fb"), inactive("fb"))) {
            World w = support(ChannelKind.CHAT, autoToOwner("fb")).users(fallback);
            Decision decision = decide(w, "ch", contact("c1", null, true));
            assertThat(decision.assignee()).as("fallback %s", fallback).isNull();
            assertThat(outcome(decision, "fb").reasons()).containsExactly(fallback.active() ? "no paid seat" : "deactivated");
        }
        World noAccess = world().users(agent("fb"), agent("ana")).team("vip", List.of("ana"), List.of())
                .restrictedInbox("vipbox", "vip").channel("ch", "vipbox", ChannelKind.CHAT).routing("ch", autoToOwner("fb"));
        Decision decision = decide(noAccess, "ch", contact("c1", null, true));
        assertThat(decision.assignee()).isNull();
        assertThat(outcome(decision, "fb").reasons()).containsExactly("no access to the inbox");
        // Availability counts only when onlyAvailable is on.
        World awayAllowed = support(ChannelKind.CHAT, new RoutingSettings(true, AssignTo.contactOwner("fb"), false)).users(away("fb"));
        assertThat(decide(awayAllowed, "ch", contact("c1", null, true)).assignee()).isEqualTo("fb");
    }

    @Test
    void R8_messengerAndFormChannelsHaveNoFallbackAndTheDecisionSaysWhy() {
        for (ChannelKind kind : List.of(ChannelKind.MESSENGER, ChannelKind.FORM)) {
            World w = support(kind, autoToOwner("fb")).users(agent("fb"));
            Decision decision = decide(w, "ch", contact("c1", null, true));
            assertThat(decision.assignee()).as(kind.name()).isNull();
            assertThat(decision.firedRules()).doesNotContain(R8);
            // R5: the decision says why the fallback user, eligible otherwise, was not used.
            assertThat(outcome(decision, "fb").reasons()).containsExactly("only live chat channels have a fallback user");
        }
    }

    @Test
    void R9_everyDecisionRecordsVersionStrategyCandidatesRulesAssigneeAndTime() {
        World w = support(ChannelKind.CHAT, autoTo(List.of("ana", "bo"), List.of())).users(agent("ana"), seatless("bo"));
        Decision decision = decide(w, "ch", null);
        assertThat(decision.id()).isNotBlank();
        assertThat(decision.ruleSetVersion()).isEqualTo(Policy.repoRules().version()).hasSize(12);
        assertThat(decision.strategy()).isEqualTo(Strategy.LEAST_BUSY);
        assertThat(decision.candidates()).extracting(CandidateOutcome::userId).containsExactly("ana", "bo");
        assertThat(decision.firedRules()).containsExactly(ELIGIBILITY_SEAT, R4);
        assertThat(decision.assignee()).isEqualTo("ana");
        assertThat(decision.tookMicros()).isPositive();
        assertThat(decision.decidedAt()).isNotNull();
    }

    @Test
    void R9_theSummaryExplainsTheDecisionInPlainLanguageFromRuleMetadata() {
        World w = support(ChannelKind.CHAT, autoTo(List.of("ana", "bo", "cy", "di"), List.of()))
                .users(agent("ana"), away("bo"), seatless("cy"), agent("di"));
        loads.put("ana", new AgentLoad(1, Instant.parse("2026-01-01T00:00:00Z")));
        loads.put("di", new AgentLoad(2, null));
        Decision decision = decide(w, "ch", null);
        String summary = DecisionSummary.of(decision, id -> Character.toUpperCase(id.charAt(0)) + id.substring(1));
        assertThat(summary).isEqualTo("Assigned to Ana: least busy of 2 eligible users (1 open chat); "
                + "Bo skipped: away; Cy skipped: no paid seat");

        World owner = support(ChannelKind.CHAT, autoToOwner(null)).users(away("ana"));
        assertThat(DecisionSummary.of(decide(owner, "ch", contact("c", "ana", true)), id -> id))
                .isEqualTo("Assigned to ana: the contact owner, who is away and was emailed the message");
        World off = support(ChannelKind.EMAIL, RoutingSettings.DEFAULT).users(agent("ana"));
        assertThat(DecisionSummary.of(decide(off, "ch", null), id -> id))
                .isEqualTo("Left unassigned: automatic assignment is off for this channel");
    }

    @Test
    void automaticRoutingNeverAssignsATeam() {
        World w = support(ChannelKind.CHAT, autoTo(List.of(), List.of("tier1")))
                .users(agent("ed")).team("tier1", List.of("ed"), List.of());
        assertThat(decide(w, "ch", null).assignee()).isEqualTo("ed");
    }
}
