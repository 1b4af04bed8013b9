package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.seatless;
import static org.convrouter.World.world;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.Policy;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.RefusedException;
import org.convrouter.routing.RoutingEngine;
import org.convrouter.routing.AgentLoads;
import org.convrouter.store.Database;
import org.convrouter.store.JdbiContactStore;
import org.convrouter.store.JdbiConversationStore;
import org.convrouter.store.JdbiDirectoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Manual triage M1-M7 on a real (in-memory H2) database, with the real rules. */
class ConversationServiceTest {

    private final World world = world()
            .users(agent("ana"), agent("bo"), seatless("cy"), agent("di"), agent("admin"))
            .team("tier1", List.of("ana"), List.of("cy"))
            .team("tier2", List.of("bo"), List.of())
            .inbox("open")
            .restrictedInbox("vip", "tier1")
            .channel("chat", "open", ChannelKind.CHAT)
            .channel("vipchat", "vip", ChannelKind.CHAT)
            .channel("mail", "open", ChannelKind.EMAIL)
            .routing("chat", autoTo(List.of("ana", "bo"), List.of()));
    private final Database database = Database.open("jdbc:h2:mem:" + java.util.UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    private final JdbiConversationStore store = new JdbiConversationStore(database, event -> false); // no webhooks here
    private final AgentLoads loads = store.loads();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
    private final ConversationService service = new ConversationService(world::directory, store,
            new RoutingEngine(Policy.active(), new Random(3), clock), new ManualAssignmentPolicy(Policy.active()),
            clock, () -> "id" + ids.incrementAndGet(), decision -> { });

    /** The users' rows hold their loads: the world's users are stored as the directory would store them. */
    @BeforeEach
    void storeUsers() {
        JdbiDirectoryStore users = new JdbiDirectoryStore(database.jdbi());
        world.directory().users().forEach(users::save);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    private Conversation arrive(String channelId) {
        return service.receive(new NewConversation(null, channelId, "Where is my parcel?", null, null)).conversation();
    }

    @Test
    void aTakenConversationIdIsAConflictAndStoresNothingOfTheSecondRequest() {
        service.receive(new NewConversation("c-1", "chat", "first", null, null));

        assertThatThrownBy(() -> service.receive(new NewConversation("c-1", "chat", "again", null,
                NewConversation.ContactRef.byEmail("new@customer.test", "New"))))
                .isInstanceOf(org.convrouter.error.ConflictException.class).hasMessageContaining("'c-1' already exists");
        assertThat(new JdbiContactStore(database.jdbi()).findByEmail("new@customer.test")).as("no contact left behind").isEmpty();
        assertThat(loads.of("ana").openChats() + loads.of("bo").openChats()).as("only the first was routed").isEqualTo(1);
    }

    @Test
    void M1_anUnroutedConversationSitsInTheUnassignedView() {
        Conversation conversation = arrive("mail");
        assertThat(conversation.isUnassigned()).isTrue();
        var unassigned = service.list(new ConversationQuery(null, true, null, null, null, 50));
        assertThat(unassigned).extracting(Conversation::id).containsExactly(conversation.id());
        service.assign(conversation.id(), Assignee.user("bo"), Actor.user("bo"));
        assertThat(service.list(new ConversationQuery(null, true, null, null, null, 50))).isEmpty();
    }

    @Test
    void M2_aUserWithAccessTakesAnUnassignedConversationForThemselvesOnly() {
        Conversation conversation = arrive("mail");
        assertThatThrownBy(() -> service.assign(conversation.id(), Assignee.user("bo"), Actor.user("ana")))
                .isInstanceOf(ForbiddenException.class);
        Conversation taken = (service.assign(conversation.id(), Assignee.user("ana"), Actor.user("ana")));
        assertThat(taken.assignee()).isEqualTo(Assignee.user("ana"));
        assertThat(taken.history()).last().satisfies(change -> {
            assertThat(change.byUserId()).isEqualTo("ana");
            assertThat(change.cause()).isEqualTo(AssignmentChange.Cause.MANUAL);
        });
    }

    @Test
    void M2_anAdminAssignsAnUnassignedConversationToAnyone() {
        Conversation conversation = arrive("mail");
        assertThat((service.assign(conversation.id(), Assignee.user("di"), Actor.admin(null))).assignee())
                .isEqualTo(Assignee.user("di"));
    }

    @Test
    void M2_aUserWithoutAccessCannotTakeIt() {
        Conversation vip = arrive("vipchat");
        assertThatThrownBy(() -> service.assign(vip.id(), Assignee.user("bo"), Actor.user("bo")))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("no access");
    }

    @Test
    void M3_replyingToAnUnassignedConversationAssignsTheReplier() {
        Conversation conversation = arrive("mail");
        Conversation replied = (service.reply(conversation.id(), "On its way!", Actor.user("di")));
        assertThat(replied.assignee()).isEqualTo(Assignee.user("di"));
        assertThat(replied.messages()).hasSize(2).last().satisfies(m -> assertThat(m.authorUserId()).isEqualTo("di"));
        assertThat(replied.history()).last().satisfies(c -> assertThat(c.cause()).isEqualTo(AssignmentChange.Cause.REPLY));
        // Now it is di's: someone else may not reply (M4), and the refused reply is not kept.
        assertThatThrownBy(() -> service.reply(conversation.id(), "Me too", Actor.user("bo")))
                .isInstanceOf(ForbiddenException.class);
        assertThat(service.find(conversation.id()).messages()).hasSize(2);
        assertThat((service.reply(conversation.id(), "And more", Actor.user("di"))).messages()).hasSize(3);
    }

    @Test
    void M3_aDeactivatedUserCannotTakeAConversationByReplying() {
        world.users(World.inactive("ex")); // the service reads the world's directory on every call
        Conversation conversation = arrive("mail");

        assertThatThrownBy(() -> service.reply(conversation.id(), "Still here", Actor.user("ex")))
                .isInstanceOfSatisfying(RefusedException.class, e -> assertThat(e.details()).containsExactly("deactivated"));
        Conversation unchanged = service.find(conversation.id());
        assertThat(unchanged.isUnassigned()).isTrue();
        assertThat(unchanged.messages()).as("the refused reply is not kept").hasSize(1);
    }

    @Test
    void M4_theAssigneeOrAnAdminReassignsToAUserOrTeam() {
        Conversation conversation = arrive("chat"); // routed to ana or bo
        String assignee = conversation.assignee().id();
        String other = assignee.equals("ana") ? "bo" : "ana";
        assertThatThrownBy(() -> service.assign(conversation.id(), Assignee.user("di"), Actor.user(other)))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("only the assignee");
        assertThat((service.assign(conversation.id(), Assignee.team("tier2"), Actor.user(assignee))).assignee())
                .isEqualTo(Assignee.team("tier2"));
        // bo is on tier2, the team that now owns it, so bo may pass it on.
        assertThat((service.assign(conversation.id(), Assignee.user("di"), Actor.user("bo"))).assignee())
                .isEqualTo(Assignee.user("di"));
        assertThat((service.assign(conversation.id(), Assignee.user("ana"), Actor.admin(null))).assignee())
                .isEqualTo(Assignee.user("ana"));
    }

    @Test
    void M5_inATeamRestrictedInboxOnlyItsTeamsAndTheirMembersAreTargets() {
        Conversation vip = arrive("vipchat");
        assertThatThrownBy(() -> service.assign(vip.id(), Assignee.user("bo"), Actor.admin(null)))
                .isInstanceOfSatisfying(RefusedException.class, e ->
                        assertThat(e.details()).containsExactly("not a member of a team with access to this inbox"));
        assertThatThrownBy(() -> service.assign(vip.id(), Assignee.team("tier2"), Actor.admin(null)))
                .isInstanceOf(RefusedException.class).hasMessageContaining("not a team with access");
        assertThat((service.assign(vip.id(), Assignee.user("cy"), Actor.admin(null))).assignee()).isEqualTo(Assignee.user("cy"));
        assertThat((service.assign(vip.id(), Assignee.team("tier1"), Actor.admin(null))).assignee()).isEqualTo(Assignee.team("tier1"));

        var targets = service.targets(vip.id());
        assertThat(targets.get(Assignee.user("ana"))).isEmpty();
        assertThat(targets.get(Assignee.user("bo"))).containsExactly("not a member of a team with access to this inbox");
        assertThat(targets.get(Assignee.team("tier1"))).isEmpty();
        assertThat(targets.get(Assignee.team("tier2"))).isNotEmpty();
    }

    @Test
    void M6_manualAssignmentNeedsNoPaidSeat() {
        Conversation conversation = arrive("mail");
        assertThat((service.assign(conversation.id(), Assignee.user("cy"), Actor.admin(null))).assignee())
                .isEqualTo(Assignee.user("cy"));
        assertThat((service.assign(arrive("mail").id(), Assignee.user("cy"), Actor.user("cy"))).assignee())
                .isEqualTo(Assignee.user("cy"));
    }

    @Test
    void M7_closingEndsTheWeightAndReassigningMovesIt() {
        Conversation first = (service.assign(arrive("mail").id(), Assignee.user("ana"), Actor.admin(null)));
        assertThat(loads.of("ana").openChats()).as("email is not a chat").isZero();

        Conversation chat = arrive("chat");
        String owner = chat.assignee().id();
        assertThat(loads.of(owner).openChats()).isEqualTo(1);
        assertThat(loads.of(owner).lastChatAssignedAt()).isEqualTo(clock.instant());

        service.assign(chat.id(), Assignee.user("di"), Actor.admin(null));
        assertThat(loads.of(owner).openChats()).isZero();
        assertThat(loads.of("di").openChats()).isEqualTo(1);

        service.assign(chat.id(), Assignee.team("tier1"), Actor.admin(null));
        assertThat(loads.of("di").openChats()).isZero();
        service.assign(chat.id(), Assignee.user("di"), Actor.admin(null));
        assertThat(loads.of("di").openChats()).isEqualTo(1);

        service.close(chat.id(), Actor.user("di"));
        service.close(chat.id(), Actor.user("di")); // closing twice counts once
        assertThat(loads.of("di").openChats()).isZero();
        assertThat(service.find(chat.id()).status()).isEqualTo(ConversationStatus.CLOSED);
        assertThat(first.isOpen()).isTrue();
    }

    @Test
    void M7_leastBusyRoutingSpreadsChatsEvenly() {
        for (int i = 0; i < 10; i++) {
            arrive("chat");
        }
        assertThat(loads.of("ana").openChats()).isEqualTo(5);
        assertThat(loads.of("bo").openChats()).isEqualTo(5);
    }

    @Test
    void r10_aChatClosedOrAssignedAwayTellsTheQueueWhoseLoadDropped_onceAndOnlyForChats() {
        List<String> freed = new ArrayList<>();
        ConversationService listening = new ConversationService(world::directory, store,
                new RoutingEngine(Policy.active(), new Random(3), clock), new ManualAssignmentPolicy(Policy.active()),
                clock, () -> "id" + ids.incrementAndGet(), decision -> { }, freed::add);
        Conversation chat = listening.receive(new NewConversation(null, "chat", "hi", null, null)).conversation();
        assertThat(chat.assignee()).as("routed to ana or bo").isNotNull();
        String first = chat.assignee().id();
        String second = first.equals("ana") ? "bo" : "ana";

        listening.assign(chat.id(), Assignee.user(second), Actor.admin(null));
        listening.assign(chat.id(), Assignee.user(second), Actor.admin(null)); // already hers: nothing moves
        listening.close(chat.id(), Actor.admin(null));
        listening.close(chat.id(), Actor.admin(null)); // closing twice frees nothing more
        Conversation mail = listening.receive(new NewConversation(null, "mail", "hi", null, null)).conversation();
        listening.assign(mail.id(), Assignee.user("di"), Actor.admin(null));
        listening.close(mail.id(), Actor.admin(null)); // an email weighs on no chat load

        assertThat(freed).containsExactly(first, second);
    }
}
