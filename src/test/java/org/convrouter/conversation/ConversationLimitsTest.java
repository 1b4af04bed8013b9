package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.autoToOwner;
import static org.convrouter.World.away;
import static org.convrouter.World.world;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.Policy;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.error.RefusedException;
import org.convrouter.routing.RoutingEngine;
import org.convrouter.store.Database;
import org.convrouter.store.JdbiContactStore;
import org.convrouter.store.JdbiConversationStore;
import org.convrouter.store.JdbiDirectoryStore;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a conversation holds in memory and in the database stays within its documented limits. */
class ConversationLimitsTest {

    /** Every id this service makes is as long as an id may be: what it composes from them must still fit. */
    private static final String LONG = "x".repeat(56);

    private final World world = world()
            .users(agent("ana"), away("owner"))
            .inbox("open")
            .channel("chat", "open", ChannelKind.CHAT)
            .channel("mail", "open", ChannelKind.EMAIL)
            .routing("chat", autoTo(List.of("ana"), List.of()))
            .routing("mail", autoToOwner(null));
    private final Database database = Database.open("jdbc:h2:mem:" + java.util.UUID.randomUUID()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    private final JdbiConversationStore store = new JdbiConversationStore(database, event -> false); // no webhooks here
    private final AtomicInteger ids = new AtomicInteger(10_000_000);
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
    private final ConversationService service = new ConversationService(world::directory, store,
            new RoutingEngine(Policy.active(), new Random(3), clock, () -> LONG + ids.incrementAndGet()),
            new ManualAssignmentPolicy(Policy.active()), clock, () -> LONG + ids.incrementAndGet(), decision -> { });

    @BeforeEach
    void storeUsers() {
        JdbiDirectoryStore users = new JdbiDirectoryStore(database.jdbi());
        world.directory().users().forEach(users::save);
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void aSixtyFourCharacterIdOnAnAwayOwnersChannelIsStoredWithItsNotification() {
        new JdbiContactStore(database.jdbi()).create(World.contact("carol", "owner", false));
        String id = "c".repeat(64);

        Received received = service.receive(new NewConversation(id, "mail", "Hello", null,
                NewConversation.ContactRef.byId("carol")));

        assertThat(received.decision().id()).hasSize(64);
        assertThat(received.decision().notifications()).hasSize(1);
        assertThat(received.conversation().assignee()).isEqualTo(Assignee.user("owner"));
        List<String> stored = database.jdbi().withHandle(h -> h.createQuery("SELECT id FROM notifications WHERE conversation_id = :c")
                .bind("c", id).mapTo(String.class).list());
        assertThat(stored).containsExactly(received.decision().id() + "/0");
    }

    @Test
    void aConversationCarriesItsLatestMessagesAndPagesReachEveryOne() {
        Conversation c = service.receive(new NewConversation(null, "chat", "m0", null, null)).conversation();
        for (int i = 1; i <= 60; i++) {
            c = service.reply(c.id(), "m" + i, Actor.user("ana"));
        }
        assertThat(c.messageCount()).isEqualTo(61);
        assertThat(c.messages()).hasSize(Conversation.RECENT_MESSAGES).last().extracting(Message::text).isEqualTo("m60");

        Conversation read = service.find(c.id());
        assertThat(read.messageCount()).isEqualTo(61);
        assertThat(read.messages()).extracting(Message::text).first().isEqualTo("m11");
        assertThat(read.messages()).extracting(Message::text).last().isEqualTo("m60");

        List<Message> first = service.messages(c.id(), 0, 40);
        List<Message> rest = service.messages(c.id(), 40, 40);
        assertThat(first).hasSize(40).first().extracting(Message::text).isEqualTo("m0");
        assertThat(rest).hasSize(21).last().extracting(Message::text).isEqualTo("m60");
    }

    @Test
    void aReplyPastTheMostMessagesIsRefusedAndChangesNothing() {
        Conversation c = service.receive(new NewConversation(null, "chat", "m0", null, null)).conversation();
        fillTo(c.id(), ConversationService.MAX_MESSAGES - 1);
        Conversation full = service.reply(c.id(), "the last one", Actor.user("ana"));
        assertThat(full.messageCount()).isEqualTo(ConversationService.MAX_MESSAGES);

        assertThatThrownBy(() -> service.reply(c.id(), "one more", Actor.user("ana")))
                .isInstanceOf(RefusedException.class).hasMessageContaining("holds the most messages a conversation may (10000)");
        Conversation after = service.find(c.id());
        assertThat(after.messageCount()).isEqualTo(ConversationService.MAX_MESSAGES);
        assertThat(after.messages()).last().extracting(Message::text).isEqualTo("the last one");
    }

    /** Stored messages numbered 1 to {@code count - 1}, written directly: 10,000 replies one by one would take long. */
    private void fillTo(String conversationId, int count) {
        database.jdbi().useHandle(h -> {
            PreparedBatch batch = h.prepareBatch("INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at) "
                    + "VALUES (:id, :c, :seq, NULL, 'filler', NULL, :at)");
            for (int seq = 1; seq < count; seq++) {
                batch.bind("id", "filler-" + seq).bind("c", conversationId).bind("seq", seq)
                        .bind("at", java.sql.Timestamp.from(clock.instant())).add();
            }
            batch.execute();
        });
    }
}
