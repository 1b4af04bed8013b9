package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.autoToOwner;
import static org.convrouter.World.seatless;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.convrouter.access.Principal;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssignmentChange;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationQuery;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.Message;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.Team;
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

    protected abstract Database open() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        database = open();
        directory = new JdbiDirectoryStore(database.jdbi());
        conversations = new JdbiConversationStore(database);
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
        conversations.close();
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

    @Test
    void aConversationItsDecisionAndEveryChangeAreStored() {
        Decision decision = new Decision("d1", "abc123abc123", Strategy.CONTACT_OWNER,
                List.of(new CandidateOutcome("ana", CandidateRole.OWNER, true, List.of()),
                        new CandidateOutcome("cy", CandidateRole.FALLBACK, false, List.of("away", "no paid seat"))),
                List.of("rule a", "rule b"), List.of("the contact owner"), "ana",
                List.of(new Notification("email", "ana", "ana@example.com", "New", "Hello")), 42, T0);
        Conversation c = new Conversation("k1", "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, "d1",
                T0, List.of(new Message("m1", null, "Hello", "Subject", T0)), List.of());
        c = c.assigned(new AssignmentChange(T0, null, Assignee.user("ana"), null, AssignmentChange.Cause.ROUTING));
        conversations.create(c, decision).join();

        Instant t1 = T0.plusSeconds(60);
        AssignmentChange toTeam = new AssignmentChange(t1, Assignee.user("ana"), Assignee.team("tier1"), "ana", AssignmentChange.Cause.MANUAL);
        Conversation reassigned = c.assigned(toTeam);
        conversations.recordAssignment(reassigned, toTeam).join();
        Message reply = new Message("m2", "bo", "On it", null, t1.plusSeconds(1));
        Conversation replied = reassigned.withMessage(reply);
        conversations.recordReply(replied, reply, null).join();
        conversations.recordClose(replied.closed()).join();

        try (JdbiConversationStore fresh = new JdbiConversationStore(database)) { // reads the database, not the queue
            assertThat(fresh.find("k1").orElseThrow()).isEqualTo(replied.closed());
            assertThat(fresh.decisionOf("k1")).contains(decision);
            assertThat(fresh.find("nope")).isEmpty();
        }
    }

    @Test
    void decisionsWithTheSameLongCandidateListShareOneStoredRoster() {
        List<Decision> decisions = new java.util.ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Void>> inFlight = new java.util.ArrayList<>();
        for (int n = 0; n < 4; n++) {
            List<CandidateOutcome> candidates = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                List<String> why = i == n ? List.of("away") : List.of();
                candidates.add(new CandidateOutcome("u" + i, CandidateRole.SELECTED, why.isEmpty(), why));
            }
            Decision decision = new Decision("d" + n, "abc123abc123", Strategy.LEAST_BUSY, candidates, List.of("rule a"),
                    List.of(), "u39", List.of(), 7, T0);
            decisions.add(decision);
            if (n == 3) { // the first three were in flight together, each writing the roster; this one only refers to it
                inFlight.forEach(java.util.concurrent.CompletableFuture::join);
            }
            inFlight.add(conversations.create(new Conversation("r" + n, "chat", ChannelKind.CHAT, "open", null,
                    ConversationStatus.OPEN, null, decision.id(), T0, List.of(), List.of()), decision));
        }
        inFlight.forEach(java.util.concurrent.CompletableFuture::join);

        try (JdbiConversationStore fresh = new JdbiConversationStore(database)) { // reads the database, not memory
            for (int n = 0; n < 4; n++) {
                assertThat(fresh.decisionOf("r" + n)).contains(decisions.get(n));
            }
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
            if (assignee != null) {
                c = c.assigned(new AssignmentChange(at, null, assignee, null, AssignmentChange.Cause.ROUTING));
            }
            conversations.create(c, null).join();
        }
        assertThat(ids(new ConversationQuery(null, true, null, null, null, 50))).containsExactly("k6", "k3", "k0");
        assertThat(ids(new ConversationQuery(null, false, "ana", null, null, 50))).containsExactly("k4", "k1");
        assertThat(ids(new ConversationQuery(Set.of("vip"), false, null, null, null, 50))).containsExactly("k6");
        assertThat(ids(new ConversationQuery(Set.of(), false, null, null, null, 50))).isEmpty();
        assertThat(ids(new ConversationQuery(null, false, null, ConversationStatus.CLOSED, null, 50))).containsExactly("k5");

        List<String> paged = new java.util.ArrayList<>();
        ConversationQuery.Cursor cursor = null;
        do {
            List<Conversation> page = conversations.list(new ConversationQuery(null, false, null, null, cursor, 3));
            page.forEach(c -> paged.add(c.id()));
            cursor = page.size() < 3 ? null : new ConversationQuery.Cursor(page.get(2).createdAt(), page.get(2).id());
        } while (cursor != null);
        assertThat(paged).containsExactly("k6", "k5", "k4", "k3", "k2", "k1", "k0");
    }

    @Test
    void queuedChangesAreVisibleAtOnceAndDurableWhenTheirFutureCompletes() {
        Conversation c = openChat("q1");
        var created = conversations.create(c, null);
        Conversation closed = c.closed();
        var close = conversations.recordClose(closed);
        assertThat(conversations.find("q1")).contains(closed);
        close.join();
        assertThat(created).isDone();
        try (JdbiConversationStore fresh = new JdbiConversationStore(database)) {
            assertThat(fresh.find("q1")).contains(closed);
        }
    }

    @Test
    void aWriteThatFailsFailsOnlyItsOwnFuture() {
        Conversation c = openChat("dup");
        conversations.create(c, null).join();
        var duplicate = conversations.create(c, null);
        var other = conversations.create(new Conversation("fine", "chat", ChannelKind.CHAT, "open", null,
                ConversationStatus.OPEN, null, null, T0, List.of(), List.of()), null);
        assertThat(other.handle((ok, e) -> e)).succeedsWithin(java.time.Duration.ofSeconds(10)).isNull();
        assertThat(duplicate).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(conversations.find("fine")).isPresent();
    }

    @Test
    void aNewContactIsStoredWithItsConversationOrNotAtAll() {
        JdbiContactStore contacts = new JdbiContactStore(database.jdbi());
        Contact kim = new Contact("k-kim", "kim@customer.test", "Kim", null, false);
        Conversation first = new Conversation("c-kim", "chat", ChannelKind.CHAT, "open", kim.id(), ConversationStatus.OPEN,
                null, null, T0, List.of(), List.of());
        conversations.create(first, null, kim).join();
        assertThat(contacts.findByEmail("kim@customer.test")).contains(kim);
        // A second request that carried the same new contact stores it again harmlessly.
        conversations.create(new Conversation("c-kim-2", "chat", ChannelKind.CHAT, "open", kim.id(), ConversationStatus.OPEN,
                null, null, T0, List.of(), List.of()), null, kim).join();

        // The conversation cannot be stored (its id is taken): its new contact is not stored either.
        Contact lee = new Contact("k-lee", "lee@customer.test", "Lee", null, false);
        assertThat(conversations.create(first, null, lee)).failsWithin(java.time.Duration.ofSeconds(10));
        assertThat(contacts.find("k-lee")).isEmpty();
        assertThat(contacts.findByEmail("lee@customer.test")).isEmpty();
    }

    @Test
    void aChangeToAConversationThatIsNotStoredFailsInsteadOfWritingOrphanRows() {
        Conversation ghost = openChat("ghost");
        assertThat(conversations.recordClose(ghost.closed())).failsWithin(java.time.Duration.ofSeconds(10));
        AssignmentChange change = new AssignmentChange(T0, null, Assignee.user("ana"), null, AssignmentChange.Cause.MANUAL);
        assertThat(conversations.recordAssignment(ghost.assigned(change), change)).failsWithin(java.time.Duration.ofSeconds(10));
        int orphans = database.jdbi().withHandle(h -> h.createQuery(
                "SELECT COUNT(*) FROM assignment_changes WHERE conversation_id = 'ghost'").mapTo(Integer.class).one());
        assertThat(orphans).isZero();
        assertThat(conversations.find("ghost")).isEmpty();
    }

    @Test
    void whoeverAWriteAnswersReadsWhatIsStored() {
        Conversation ghost = openChat("ghost");
        // The service waits on these futures and then lets the next change to the conversation read it.
        var failedRead = conversations.recordClose(ghost.closed()).handle((ok, e) -> conversations.find("ghost"));
        assertThat(failedRead).succeedsWithin(java.time.Duration.ofSeconds(10)).isEqualTo(java.util.Optional.empty());

        Conversation c = openChat("r1");
        var storedRead = conversations.create(c, null).thenApply(ok -> conversations.find("r1"));
        assertThat(storedRead).succeedsWithin(java.time.Duration.ofSeconds(10)).isEqualTo(java.util.Optional.of(c));
    }

    @Test
    void writesAfterCloseFailAtOnceAndFlushWaitsForEarlierWrites() {
        Conversation c = openChat("f1");
        var created = conversations.create(c, null);
        // Many writes, so some land in later batches, which are answered on threads of their own.
        List<CompletableFuture<Void>> more = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            more.add(conversations.create(openChat("f1-" + i), null));
        }
        conversations.flush();
        assertThat(created).isCompleted();
        assertThat(more).allMatch(CompletableFuture::isDone);
        conversations.close();
        assertThat(conversations.recordClose(c.closed())).isCompletedExceptionally();
        conversations = new JdbiConversationStore(database); // for the suite's own cleanup
    }

    @Test
    void flushWaitsForWritesWhoseAnswersAreHeldUpBehindABlockedOne() throws Exception {
        var blocked = new CountDownLatch(1);
        var first = conversations.create(openChat("held-0"), null);
        first.thenRun(() -> { // an answer to a client that does not read: it holds its batch's thread
            try {
                blocked.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<CompletableFuture<Void>> behind = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            behind.add(conversations.create(openChat("held-" + i), null));
        }
        try {
            conversations.flush();
            assertThat(behind).allMatch(CompletableFuture::isDone);
        } finally {
            blocked.countDown();
        }
    }

    private static Conversation openChat(String id) {
        return new Conversation(id, "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, null, T0,
                List.of(), List.of());
    }

    @Test
    void chatLoadsAreRebuiltFromStoredConversations() {
        Instant t = T0;
        for (String id : List.of("a1", "a2", "a3")) {
            t = t.plusSeconds(10);
            Conversation c = new Conversation(id, "chat", ChannelKind.CHAT, "open", null, ConversationStatus.OPEN, null, null,
                    t, List.of(), List.of());
            c = c.assigned(new AssignmentChange(t, null, Assignee.user("ana"), null, AssignmentChange.Cause.ROUTING));
            conversations.create(c, null).join();
        }
        conversations.recordClose(conversations.find("a3").orElseThrow().closed()).join();
        Conversation email = new Conversation("e1", "mail", ChannelKind.EMAIL, "open", null, ConversationStatus.OPEN, null,
                null, t, List.of(), List.of());
        conversations.create(email.assigned(new AssignmentChange(t.plusSeconds(5), null, Assignee.user("bo"), null,
                AssignmentChange.Cause.ROUTING)), null).join();

        var loads = conversations.chatLoads();
        assertThat(loads.get("ana")).isEqualTo(new AgentLoad(2, t));
        assertThat(loads.get("bo")).isEqualTo(new AgentLoad(0, null));
        assertThat(loads.get("cy")).isEqualTo(AgentLoad.NONE);
    }

    @Test
    void tokensAreFoundByHashAndRevoked() {
        JdbiTokenStore tokens = new JdbiTokenStore(database.jdbi());
        Principal ana = new Principal(Principal.Kind.USER, "ana");
        tokens.save("h1", ana, null);
        tokens.save("h2", new Principal(Principal.Kind.INTEGRATION, "web"), "Website");
        assertThat(tokens.findByHash("h1")).contains(ana);
        tokens.revokeAll(ana);
        assertThat(tokens.findByHash("h1")).isEmpty();
        assertThat(tokens.findByHash("h2").map(Principal::kind)).contains(Principal.Kind.INTEGRATION);
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
