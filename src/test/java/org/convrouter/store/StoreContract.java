package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.autoToOwner;
import static org.convrouter.World.seatless;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.access.Principal;
import org.convrouter.access.StoredToken;
import org.convrouter.access.TokenInfo;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssignmentChange;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationQuery;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.ConversationEvent;
import org.convrouter.conversation.ConversationStore;
import org.convrouter.error.StorageFailedException;
import org.convrouter.conversation.Message;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.Team;
import org.convrouter.outbox.Webhook;
import org.convrouter.outbox.Webhooks;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.CandidateRole;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.routing.Strategy;
import org.convrouter.rules.Activation;
import org.convrouter.rules.ActivationHistory;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSetStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One suite for every database: H2 always, PostgreSQL when ROUTER_TEST_PG_URL is set. No mocks. */
abstract class StoreContract {

    private static final Instant T0 = Instant.parse("2026-11-01T09:00:00.123456Z");

    protected Database database;
    private JdbiDirectoryStore directory;
    private JdbiConversationStore conversations;
    private Webhooks webhooks;

    protected abstract Database open() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        database = open();
        directory = new JdbiDirectoryStore(database.jdbi());
        AtomicInteger webhookIds = new AtomicInteger();
        webhooks = new Webhooks(database.jdbi(), Clock.systemUTC(), () -> "w" + webhookIds.incrementAndGet());
        conversations = new JdbiConversationStore(database, webhooks::anySubscribedTo);
        directory.save(agent("ana"));
        directory.save(agent("bo"));
        directory.save(seatless("cy"));
        directory.save(new Team("tier1", "Tier 1", List.of("ana"), List.of("cy")));
        directory.save(new Inbox("open", "Open", null));
        directory.save(new Inbox("vip", "VIP", List.of("tier1")));
        directory.save(new Channel("chat", "open", ChannelKind.CHAT, "Chat"));
        directory.save(new Channel("mail", "open", ChannelKind.EMAIL, "Mail"));
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void theDirectoryRoundTripsAndSavesAreUpserts() {
        directory.saveSettings("chat", autoTo(List.of("ana"), List.of("tier1")));
        directory.saveSettings("mail", autoToOwner("bo"));
        directory.save(agent("bo").withAvailable(false));
        directory.save(new Team("tier1", "Tier One", List.of("ana", "bo"), List.of()));

        Directory loaded = directory.load();
        assertThat(loaded.users()).hasSize(3);
        assertThat(loaded.user("bo").orElseThrow().available()).isFalse();
        assertThat(loaded.team("tier1").orElseThrow()).isEqualTo(new Team("tier1", "Tier One", List.of("ana", "bo"), List.of()));
        assertThat(loaded.inbox("open").orElseThrow().teams()).isNull();
        assertThat(loaded.inbox("vip").orElseThrow().teams()).containsExactly("tier1");
        assertThat(loaded.channel("mail").orElseThrow().kind()).isEqualTo(ChannelKind.EMAIL);
        assertThat(loaded.settings("chat")).isEqualTo(autoTo(List.of("ana"), List.of("tier1")));
        assertThat(loaded.settings("mail")).isEqualTo(autoToOwner("bo"));
    }

    @Test
    void eachChangeMadeWhileAChannelIsDrainedCommitsByItselfAndASecondDrainWaits() throws Exception {
        java.util.concurrent.CountDownLatch draining = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger seenByAnotherConnection = new java.util.concurrent.atomic.AtomicInteger(-1);
        java.util.concurrent.CompletableFuture<Void> first = java.util.concurrent.CompletableFuture.runAsync(() ->
                conversations.whileDraining("chat", () -> {
                    conversations.inTransaction(tx -> {
                        tx.moveChatLoad(null, Assignee.user("ana"), T0);
                        return null;
                    });
                    seenByAnotherConnection.set(java.util.concurrent.CompletableFuture.supplyAsync(() -> database.jdbi().withHandle(h ->
                            h.createQuery("SELECT open_chats FROM users WHERE id = 'ana'").mapTo(Integer.class).one())).join());
                    draining.countDown();
                    await(release);
                }));
        assertThat(draining.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(seenByAnotherConnection.get()).as("the attempt committed while the drain still runs").isEqualTo(1);

        java.util.concurrent.atomic.AtomicBoolean secondRan = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CompletableFuture<Void> second = java.util.concurrent.CompletableFuture.runAsync(() ->
                conversations.whileDraining("chat", () -> secondRan.set(true)));
        Thread.sleep(300);
        assertThat(secondRan).as("a second drain of the channel waits for the first").isFalse();
        release.countDown();
        first.get(10, java.util.concurrent.TimeUnit.SECONDS);
        second.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(secondRan).isTrue();
    }

    private static void await(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void contactsAreFoundByIdAndEmailAndPagedById() {
        JdbiContactStore contacts = new JdbiContactStore(database.jdbi());
        contacts.save(new Contact("c1", "one@x.test", "One", "ana", true));
        contacts.save(new Contact("c2", null, null, null, false));
        contacts.save(new Contact("c1", "one@x.test", "One", null, false));
        assertThat(contacts.find("c1")).contains(new Contact("c1", "one@x.test", "One", null, false));
        assertThat(contacts.findByEmail("one@x.test").map(Contact::id)).contains("c1");
        assertThat(contacts.list(null, 1)).extracting(Contact::id).containsExactly("c1");
        assertThat(contacts.list("c1", 10)).extracting(Contact::id).containsExactly("c2");
    }

    /** Runs one write in a transaction of its own. */
    private void write(java.util.function.Consumer<ConversationStore.Transaction> change) {
        conversations.inTransaction(tx -> {
            change.accept(tx);
            return null;
        });
    }

    @Test
    void theEventsOfOneChangeAreQueuedForEachWebhookThatAskedForThem() {
        Webhook both = webhooks.create("https://a.example/hook", "s".repeat(32), List.of(ConversationEvent.CREATED, ConversationEvent.ASSIGNED));
        Webhook assignedOnly = webhooks.create("https://b.example/hook", "s".repeat(32), List.of(ConversationEvent.ASSIGNED));
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        ConversationEvent created = new ConversationEvent("e1", ConversationEvent.CREATED, "conv1", "chat", null, "d1", at);
        ConversationEvent assigned = new ConversationEvent("e2", ConversationEvent.ASSIGNED, "conv1", "chat", Assignee.user("ana"), "d1", at);

        write(tx -> {
            tx.emit(created);
            tx.emit(assigned);
        });

        record Queued(String id, String event, String conversationId, String status, String body) {}
        List<Queued> queued = database.jdbi().withHandle(h -> h.createQuery("SELECT * FROM webhook_deliveries")
                .map((rs, ctx) -> new Queued(rs.getString("id"), rs.getString("event"), rs.getString("conversation_id"),
                        rs.getString("status"), rs.getString("body"))).list());
        assertThat(queued).extracting(Queued::id, Queued::event, Queued::conversationId, Queued::status).containsExactlyInAnyOrder(
                tuple("e1/" + both.id(), ConversationEvent.CREATED, "conv1", "pending"),
                tuple("e2/" + both.id(), ConversationEvent.ASSIGNED, "conv1", "pending"),
                tuple("e2/" + assignedOnly.id(), ConversationEvent.ASSIGNED, "conv1", "pending"));
        assertThat(queued).allSatisfy(q -> assertThat(q.body()) // the event itself, as receivers get it
                .contains("\"id\":\"" + q.id().substring(0, q.id().indexOf('/')) + "\"", "\"event\":\"" + q.event() + "\""));
    }

    @Test
    void anEventIsQueuedFromTheMomentAWebhookAsksForItUntilItIsDeleted() {
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        ConversationEvent closed = new ConversationEvent("e1", ConversationEvent.CLOSED, "conv1", "chat", null, null, at);
        write(tx -> tx.emit(closed));
        assertThat(queuedDeliveries()).isZero();

        Webhook hook = webhooks.create("https://a.example/hook", "s".repeat(32), List.of(ConversationEvent.CLOSED));
        write(tx -> tx.emit(new ConversationEvent("e2", ConversationEvent.CLOSED, "conv1", "chat", null, null, at)));
        assertThat(queuedDeliveries()).isEqualTo(1);

        webhooks.delete(hook.id()); // its pending delivery goes with it
        write(tx -> tx.emit(new ConversationEvent("e3", ConversationEvent.CLOSED, "conv1", "chat", null, null, at)));
        assertThat(queuedDeliveries()).isZero();
        assertThat(webhooks.anySubscribedTo(ConversationEvent.CLOSED)).isFalse();
    }

    private int queuedDeliveries() {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_deliveries").mapTo(Integer.class).one());
    }

    @Test
    void aConversationItsDecisionAndEveryChangeAreStored() {
        Decision decision = new Decision("d1", "abc123abc123", Strategy.CONTACT_OWNER,
                List.of(new CandidateOutcome("ana", CandidateRole.OWNER, true, List.of()),
                        new CandidateOutcome("cy", CandidateRole.FALLBACK, false, List.of("away", "no paid seat"))),
                List.of("rule a", "rule b"), List.of("the contact owner"), "ana",
                List.of(new Notification("email", "ana", "ana@example.com", "New", "Hello")), 42, T0);
        Conversation c = new Conversation("k1", "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, "d1",
                T0, List.of(new Message("m1", null, "Hello", "Subject", T0)), List.of());
        Conversation created = c.assigned(new AssignmentChange(T0, null, Assignee.user("ana"), null, AssignmentChange.Cause.ROUTING));
        write(tx -> tx.create(created, decision));

        Instant t1 = T0.plusSeconds(60);
        AssignmentChange toTeam = new AssignmentChange(t1, Assignee.user("ana"), Assignee.team("tier1"), "ana", AssignmentChange.Cause.MANUAL);
        Conversation reassigned = created.assigned(toTeam);
        write(tx -> tx.recordAssignment(reassigned, toTeam));
        Message reply = new Message("m2", "bo", "On it", null, t1.plusSeconds(1));
        Conversation replied = reassigned.withMessage(reply);
        write(tx -> tx.recordReply(replied, reply, null));
        write(tx -> tx.recordClose(replied.closed()));

        assertThat(conversations.find("k1").orElseThrow()).isEqualTo(replied.closed());
        assertThat(conversations.decisionOf("k1")).contains(decision);
        assertThat(conversations.find("nope")).isEmpty();
        assertThat(conversations.<java.util.Optional<Conversation>>inTransaction(tx -> tx.lock("k1"))).contains(replied.closed());
        assertThat(conversations.<java.util.Optional<Conversation>>inTransaction(tx -> tx.lock("nope"))).isEmpty();
    }

    @Test
    void decisionsWithTheSameLongCandidateListShareOneStoredRoster() {
        List<Decision> decisions = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            List<CandidateOutcome> candidates = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                List<String> why = i == n ? List.of("away") : List.of();
                candidates.add(new CandidateOutcome("u" + i, CandidateRole.SELECTED, why.isEmpty(), why));
            }
            Decision decision = new Decision("d" + n, "abc123abc123", Strategy.LEAST_BUSY, candidates, List.of("rule a"),
                    List.of(), "u39", List.of(), 7, T0);
            decisions.add(decision);
            // Every other one through a second store (another instance): it does not know the roster is stored.
            JdbiConversationStore store = n % 2 == 0 ? conversations : new JdbiConversationStore(database, webhooks::anySubscribedTo);
            Conversation c = new Conversation("r" + n, "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null,
                    decision.id(), T0, List.of(), List.of());
            store.inTransaction(tx -> {
                tx.create(c, decision);
                return null;
            });
        }
        JdbiConversationStore fresh = new JdbiConversationStore(database, webhooks::anySubscribedTo);
        for (int n = 0; n < 4; n++) {
            assertThat(fresh.decisionOf("r" + n)).contains(decisions.get(n));
        }
        int rosters = database.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM rosters").mapTo(Integer.class).one());
        assertThat(rosters).isEqualTo(1);
    }

    @Test
    void viewsFilterAndCursorsPageNewestFirstWithoutGapsOrRepeats() {
        for (int i = 0; i < 7; i++) {
            // pairs share a timestamp, so the cursor must also order by id
            Instant at = T0.plus(i / 2, ChronoUnit.MINUTES);
            Assignee assignee = i % 3 == 0 ? null : Assignee.user(i % 3 == 1 ? "ana" : "bo");
            Conversation c = new Conversation("k" + i, "chat", ChannelKind.CHAT, i == 6 ? "vip" : "open", null,
                    i == 5 ? ConversationStatus.CLOSED : ConversationStatus.OPEN, null, null, at, List.of(), List.of());
            Conversation stored = assignee == null ? c
                    : c.assigned(new AssignmentChange(at, null, assignee, null, AssignmentChange.Cause.ROUTING));
            write(tx -> tx.create(stored, null));
        }
        assertThat(ids(new ConversationQuery(null, true, null, null, null, 50))).containsExactly("k6", "k3", "k0");
        assertThat(ids(new ConversationQuery(null, false, "ana", null, null, 50))).containsExactly("k4", "k1");
        assertThat(ids(new ConversationQuery(Set.of("vip"), false, null, null, null, 50))).containsExactly("k6");
        assertThat(ids(new ConversationQuery(Set.of(), false, null, null, null, 50))).isEmpty();
        assertThat(ids(new ConversationQuery(null, false, null, ConversationStatus.CLOSED, null, 50))).containsExactly("k5");

        List<String> paged = new ArrayList<>();
        ConversationQuery.Cursor cursor = null;
        do {
            List<Conversation> page = conversations.list(new ConversationQuery(null, false, null, null, cursor, 3));
            page.forEach(c -> paged.add(c.id()));
            cursor = page.size() < 3 ? null : new ConversationQuery.Cursor(page.get(2).createdAt(), page.get(2).id());
        } while (cursor != null);
        assertThat(paged).containsExactly("k6", "k5", "k4", "k3", "k2", "k1", "k0");
    }

    @Test
    void aTransactionThatFailsStoresNothingOfItsWork() {
        Conversation c = openChat("dup");
        write(tx -> tx.create(c, null));
        assertThatThrownBy(() -> write(tx -> {
            tx.contactForEmail("lee@customer.test", "Lee", "k-lee");
            tx.moveChatLoad(null, Assignee.user("ana"), T0);
            tx.create(c, null); // its id is taken
        })).isInstanceOf(StorageFailedException.class);

        assertThat(new JdbiContactStore(database.jdbi()).findByEmail("lee@customer.test")).isEmpty();
        assertThat(conversations.loads().of("ana")).isEqualTo(AgentLoad.NONE);
    }

    @Test
    void aContactNamedByEmailIsFoundWithoutRegardToCaseOrMadeOnce() {
        Contact kim = conversations.inTransaction(tx -> tx.contactForEmail("Kim@Customer.test", "Kim", "k-kim"));
        assertThat(kim).isEqualTo(new Contact("k-kim", "kim@customer.test", "Kim", null, false));
        assertThat(conversations.<Contact>inTransaction(tx -> tx.contactForEmail("kim@customer.test", "Other", "k-other"))).isEqualTo(kim);
        assertThat(conversations.<java.util.Optional<Contact>>inTransaction(tx -> tx.contact("k-kim"))).contains(kim);
        assertThat(new JdbiContactStore(database.jdbi()).find("k-other")).isEmpty();
    }

    @Test
    void aConversationIsReadWithItsLatestMessagesAndPagedInFull() {
        Conversation c = new Conversation("long", "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, null,
                T0, List.of(new Message("long-0", null, "t".repeat(20_000), "s".repeat(500), T0)), List.of());
        write(tx -> tx.create(c, null));
        Conversation grown = c;
        for (int i = 1; i <= 60; i++) {
            Message reply = new Message("long-" + i, "ana", "m" + i, null, T0.plusSeconds(i));
            Conversation after = grown.withMessage(reply);
            write(tx -> tx.recordReply(after, reply, null));
            grown = after;
        }

        Conversation read = conversations.find("long").orElseThrow();
        assertThat(read).isEqualTo(grown);
        assertThat(read.messageCount()).isEqualTo(61);
        assertThat(read.messages()).hasSize(Conversation.RECENT_MESSAGES).first().extracting(Message::text).isEqualTo("m11");
        assertThat(conversations.messages("long", 0, 1)).singleElement()
                .satisfies(m -> assertThat(m.text()).hasSize(20_000)).satisfies(m -> assertThat(m.subject()).hasSize(500));
        assertThat(conversations.messages("long", 55, 10)).extracting(Message::text).containsExactly("m55", "m56", "m57", "m58", "m59", "m60");
        assertThat(conversations.messages("long", 61, 10)).isEmpty();
    }

    /** A notification's id is its decision's id, '/' and its place: with a decision id of 64 characters it must still fit. */
    @Test
    void notificationsOfADecisionWithALongIdAreStored() {
        String id = "d".repeat(64);
        Decision decision = new Decision(id, "abc123abc123", Strategy.CONTACT_OWNER, List.of(), List.of(), List.of(), null,
                List.of(new Notification("email", "ana", "ana@example.com", "New", "Hello"),
                        new Notification("email", "bo", "bo@example.com", "New", "Hello")), 1, T0);
        Conversation c = new Conversation("c".repeat(64), "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, id,
                T0, List.of(new Message("n1", null, "Hello", null, T0)), List.of());
        write(tx -> tx.create(c, decision));
        assertThat(conversations.decisionOf("c".repeat(64))).contains(decision);
    }

    private static Conversation openChat(String id) {
        return new Conversation(id, "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, null, T0,
                List.of(), List.of());
    }

    @Test
    void chatLoadsMoveWithTheChangesThatMoveThem() {
        write(tx -> tx.moveChatLoad(null, Assignee.user("ana"), T0));
        write(tx -> tx.moveChatLoad(null, Assignee.user("ana"), T0.plusSeconds(10)));
        write(tx -> tx.moveChatLoad(Assignee.user("ana"), Assignee.team("tier1"), T0.plusSeconds(20)));
        write(tx -> tx.moveChatLoad(Assignee.team("tier1"), Assignee.user("bo"), T0.plusSeconds(30)));
        write(tx -> tx.moveChatLoad(Assignee.user("bo"), null, null));

        assertThat(conversations.loads().of("ana")).isEqualTo(new AgentLoad(1, T0.plusSeconds(10)));
        assertThat(conversations.loads().of("bo")).isEqualTo(new AgentLoad(0, T0.plusSeconds(30)));
        assertThat(conversations.<AgentLoad>inTransaction(tx -> tx.readLoads(List.of("ana", "cy")).of("cy"))).isEqualTo(AgentLoad.NONE);
        assertThat(conversations.<AgentLoad>inTransaction(tx -> tx.readLoads(List.of("bo", "ana")).of("ana")))
                .isEqualTo(new AgentLoad(1, T0.plusSeconds(10)));
    }

    @Test
    void aDecisionWaitsForAnotherHoldingTheSameRoutingLockAndSeesItsOutcome() throws Exception {
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> write(tx -> {
            tx.lockForRouting(List.of("tier1"), List.of("bo"));
            locked.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tx.moveChatLoad(null, Assignee.user("ana"), T0);
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<AgentLoad> waiting = CompletableFuture.supplyAsync(() ->
                conversations.inTransaction(tx -> {
                    tx.lockForRouting(List.of("tier1"), List.of());
                    return tx.readLoads(List.of("ana")).of("ana");
                }));
        Thread.sleep(300);
        assertThat(waiting).as("blocked by the other transaction's row lock").isNotDone();
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(new AgentLoad(1, T0));
    }

    @Test
    void tokensAreFoundByHashAndRevoked() {
        JdbiTokenStore tokens = new JdbiTokenStore(database.jdbi());
        Principal ana = new Principal(Principal.Kind.USER, "ana");
        tokens.save("h1", ana, null, null);
        tokens.save("h2", new Principal(Principal.Kind.INTEGRATION, "web"), "Website", null);
        assertThat(tokens.findByHash("h1")).contains(new StoredToken(ana, null));
        tokens.revokeAll(ana);
        assertThat(tokens.findByHash("h1")).isEmpty();
        assertThat(tokens.findByHash("h2").map(t -> t.principal().kind())).contains(Principal.Kind.INTEGRATION);
    }

    @Test
    void namedTokensAreListedByKindWithoutHashesAndRevokedByIdTellingTheOtherInstances() {
        JdbiTokenStore tokens = new JdbiTokenStore(database.jdbi());
        tokens.save("hash-pricing", new Principal(Principal.Kind.ANALYST, "an-1", "Pricing team"), "Pricing team", null);
        tokens.save("hash-support", new Principal(Principal.Kind.ANALYST, "an-2", "Support leads"), "Support leads", T0);
        tokens.save("hash-web", new Principal(Principal.Kind.INTEGRATION, "web"), "Website", null);
        assertThat(tokens.findByHash("hash-pricing"))
                .contains(new StoredToken(new Principal(Principal.Kind.ANALYST, "an-1", "Pricing team"), null));
        assertThat(tokens.findByHash("hash-support").orElseThrow().expiresAt()).isEqualTo(T0);

        assertThat(tokens.list(Principal.Kind.ANALYST)).extracting(TokenInfo::id, TokenInfo::name, TokenInfo::expiresAt)
                .containsExactlyInAnyOrder(tuple("an-1", "Pricing team", null), tuple("an-2", "Support leads", T0));
        assertThat(tokens.list(Principal.Kind.ANALYST)).allSatisfy(t -> assertThat(t.createdAt()).isNotNull());
        assertThat(tokens.list(Principal.Kind.INTEGRATION)).extracting(TokenInfo::id).containsExactly("web");

        long before = database.jdbi().withHandle(h -> Changes.version(h, Changes.TOKENS));
        assertThat(tokens.revokeAll(new Principal(Principal.Kind.ANALYST, "an-1"))).isTrue();
        long after = database.jdbi().withHandle(h -> Changes.version(h, Changes.TOKENS));
        assertThat(after).isGreaterThan(before);
        assertThat(tokens.findByHash("hash-pricing")).isEmpty();
        assertThat(tokens.list(Principal.Kind.ANALYST)).extracting(TokenInfo::id).containsExactly("an-2");
        assertThat(tokens.revokeAll(new Principal(Principal.Kind.ANALYST, "an-1"))).as("nothing left to revoke").isFalse();
    }

    @Test
    void aRuleActivationKeepsATriggerOfUpToAThousandCharacters() {
        JdbiRuleSetStore history = new JdbiRuleSetStore(database.jdbi());
        RuleFile a = RuleFile.of("a.drl", new byte[] {'a'});
        String who = "upload of a.drl by analyst '" + "N".repeat(200) + "' (id " + "i".repeat(64) + ") " + "x".repeat(600);
        history.publish(activation("v1", T0, who, a), List.of(a), history.activeSeq());
        assertThat(history.list(null, 1).get(0).activation().triggeredBy()).isEqualTo(who);
    }

    private static Activation activation(String version, Instant at, String triggeredBy, RuleFile... files) {
        return new Activation(version, at, java.util.Arrays.stream(files).map(f -> new Activation.FileHash(f.name(), f.sha256())).toList(),
                triggeredBy);
    }

    private long rulesCounter() {
        return database.jdbi().withHandle(h -> Changes.version(h, Changes.RULES));
    }

    @Test
    void ruleActivationsAreListedNewestFirst() {
        JdbiRuleSetStore history = new JdbiRuleSetStore(database.jdbi());
        RuleFile a = RuleFile.of("a.drl", new byte[] {'a'});
        history.publish(activation("v1", T0, "start-up", a), List.of(a), history.activeSeq());
        history.publish(activation("v2", T0.plusSeconds(1), "reload by admin"), List.of(a), history.activeSeq());
        history.publish(activation("v3", T0.plusSeconds(2), "upload of a.drl by admin"), List.of(a), history.activeSeq());
        List<ActivationHistory.Numbered> all = history.list(null, 10);
        assertThat(all).extracting(n -> n.activation().version()).containsExactly("v3", "v2", "v1");
        assertThat(all.get(2).activation().files()).containsExactly(new Activation.FileHash("a.drl", a.sha256()));
        assertThat(all.get(2).activation().triggeredBy()).isEqualTo("start-up");
        // Paging on from an activation's place: the ones older than it, as many as asked for.
        assertThat(history.list(all.get(0).seq(), 1)).extracting(n -> n.activation().version()).containsExactly("v2");
        assertThat(history.list(all.get(1).seq(), 10)).extracting(n -> n.activation().version()).containsExactly("v1");
        assertThat(history.list(all.get(2).seq(), 10)).isEmpty();
    }

    @Test
    void aPublishedRuleSetIsActiveWithItsFilesAndTellsTheOtherInstances() {
        JdbiRuleSetStore rules = new JdbiRuleSetStore(database.jdbi());
        assertThat(rules.active()).as("nothing published yet").isEmpty();
        RuleFile drl = RuleFile.of("a.drl", "rule \"é\" when then end".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        RuleFile table = RuleFile.of("t.drl.xlsx", new byte[] {(byte) 0x50, (byte) 0x4b, 0, (byte) 0xff, (byte) 0x80});
        long counter = rulesCounter();

        RuleSetStore.Publication published = rules.publish(activation("v1", T0, "start-up", drl, table), List.of(table, drl), rules.activeSeq());

        assertThat(published.result()).isEqualTo(RuleSetStore.Result.PUBLISHED);
        assertThat(rules.active()).contains(published.active());
        assertThat(rules.activeSeq()).isEqualTo(published.active().seq());
        assertThat(published.active().activation()).isEqualTo(activation("v1", T0, "start-up", drl, table));
        List<RuleFile> files = rules.files("v1");
        assertThat(files).extracting(RuleFile::name).containsExactly("a.drl", "t.drl.xlsx");
        assertThat(files).extracting(RuleFile::sha256).containsExactly(drl.sha256(), table.sha256());
        assertThat(rulesCounter()).as("the other instances hear of it").isEqualTo(counter + 1);
        assertThat(rules.seen("v1")).isTrue();
        assertThat(rules.seen("v2")).isFalse();
    }

    @Test
    void aPublishChecksAgainstAnOlderPointerChangesNothingAndTheActiveVersionIsNotPublishedTwice() {
        JdbiRuleSetStore rules = new JdbiRuleSetStore(database.jdbi());
        RuleFile a = RuleFile.of("a.drl", new byte[] {'a'});
        RuleFile b = RuleFile.of("b.drl", new byte[] {'b'});
        long before = rules.activeSeq();
        ActivationHistory.Numbered v1 = rules.publish(activation("v1", T0, "start-up", a), List.of(a), before).active();
        long counter = rulesCounter();

        RuleSetStore.Publication stale = rules.publish(activation("v2", T0.plusSeconds(1), "file change", b), List.of(b), before);
        assertThat(stale.result()).isEqualTo(RuleSetStore.Result.MOVED);
        assertThat(stale.active()).isEqualTo(v1);
        RuleSetStore.Publication same = rules.publish(activation("v1", T0.plusSeconds(2), "upload", a), List.of(a), v1.seq());
        assertThat(same.result()).isEqualTo(RuleSetStore.Result.ALREADY_ACTIVE);
        assertThat(same.active()).isEqualTo(v1);

        assertThat(rules.active()).contains(v1);
        assertThat(rules.files("v2")).isEmpty();
        assertThat(rules.list(null, 10)).containsExactly(v1);
        assertThat(rulesCounter()).isEqualTo(counter);

        // Back to a version published before: a new activation, its files kept from the first time.
        rules.publish(activation("v2", T0.plusSeconds(3), "file change", b), List.of(b), v1.seq());
        RuleSetStore.Publication again = rules.publish(activation("v1", T0.plusSeconds(4), "file change", a), List.of(a), rules.activeSeq());
        assertThat(again.result()).isEqualTo(RuleSetStore.Result.PUBLISHED);
        assertThat(rules.files("v1")).extracting(RuleFile::name).containsExactly("a.drl");
        assertThat(rules.list(null, 10)).extracting(n -> n.activation().version()).containsExactly("v1", "v2", "v1");
    }

    @Test
    void ofTwoPublishersCheckedAgainstTheSamePointerExactlyOneWins() throws Exception {
        JdbiRuleSetStore rules = new JdbiRuleSetStore(database.jdbi());
        RuleFile a = RuleFile.of("a.drl", new byte[] {'a'});
        long seq = rules.publish(activation("v0", T0, "start-up", a), List.of(a), rules.activeSeq()).active().seq();
        for (int round = 0; round < 10; round++) {
            CountDownLatch go = new CountDownLatch(1);
            long expected = seq;
            String left = "l" + round;
            String right = "r" + round;
            CompletableFuture<RuleSetStore.Result> one = CompletableFuture.supplyAsync(() -> await(go,
                    () -> rules.publish(activation(left, T0, "left", a), List.of(a), expected).result()));
            CompletableFuture<RuleSetStore.Result> two = CompletableFuture.supplyAsync(() -> await(go,
                    () -> rules.publish(activation(right, T0, "right", a), List.of(a), expected).result()));
            go.countDown();
            assertThat(List.of(one.get(10, TimeUnit.SECONDS), two.get(10, TimeUnit.SECONDS)))
                    .containsExactlyInAnyOrder(RuleSetStore.Result.PUBLISHED, RuleSetStore.Result.MOVED);
            seq = rules.activeSeq();
            assertThat(seq).isEqualTo(expected + 1);
            assertThat(rules.active().orElseThrow().activation().version()).isIn(left, right);
        }
        assertThat(rules.list(null, 100)).hasSize(11);
    }

    private static <T> T await(CountDownLatch go, java.util.function.Supplier<T> then) {
        try {
            go.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return then.get();
    }

    @Test
    void aFolderRemembersTheVersionAndPointerItWasLastInStepWith() {
        JdbiRuleSetStore rules = new JdbiRuleSetStore(database.jdbi());
        assertThat(rules.inStep("host:/rules")).isEmpty();
        rules.markInStep("host:/rules", new RuleSetStore.InStep("v1", 3));
        rules.markInStep("other:/rules", new RuleSetStore.InStep("v1", 3));
        rules.markInStep("host:/rules", new RuleSetStore.InStep("v2", 4));
        assertThat(rules.inStep("host:/rules")).contains(new RuleSetStore.InStep("v2", 4));
        assertThat(rules.inStep("other:/rules")).contains(new RuleSetStore.InStep("v1", 3));
    }

    private List<String> ids(ConversationQuery query) {
        return conversations.list(query).stream().map(Conversation::id).toList();
    }
}
