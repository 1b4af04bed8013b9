package org.convrouter.instances;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.convrouter.access.Principal;
import org.convrouter.access.TokenService;
import org.convrouter.conversation.ConversationEvent;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.AccountService;
import org.convrouter.directory.DirectoryService;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;
import org.convrouter.error.ConflictException;
import org.convrouter.error.RefusedException;
import org.convrouter.outbox.Webhook;
import org.convrouter.outbox.Webhooks;
import org.convrouter.store.Changes;
import org.convrouter.store.Database;
import org.convrouter.store.JdbiAccountStore;
import org.convrouter.store.JdbiContactStore;
import org.convrouter.store.JdbiDirectoryStore;
import org.convrouter.store.JdbiTokenStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the directory and token services on one database, each polling the change
 * counters every 200 ms as the service does: what one changes is in force on the other within a
 * second, and races between them are decided by the database. No mocks.
 */
abstract class SeveralInstancesContract {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    @TempDir
    Path dataDir;

    private final List<Database> databases = new ArrayList<>();
    private final List<Changes> pollers = new ArrayList<>();
    private final List<String> printed = new ArrayList<>();
    private Instance a;
    private Instance b;

    /** The database for another instance; the first call makes a new one, later calls reach the same one. */
    protected abstract Database open();

    /** Releases what {@link #open} made, after every database it returned is closed. */
    protected void dispose() {}

    private record Instance(DirectoryService directory, TokenService tokens, JdbiContactStore contacts, AccountService account,
                            Webhooks webhooks) {}

    private Instance instance(String adminToken) {
        Database database = open();
        if (!databases.contains(database)) {
            databases.add(database);
        }
        DirectoryService directory = new DirectoryService(new JdbiDirectoryStore(database.jdbi()),
                new JdbiContactStore(database.jdbi()));
        TokenService tokens = TokenService.start(new JdbiTokenStore(database.jdbi()), adminToken, dataDir, printed::add,
                Clock.systemUTC(), userId -> directory.get().user(userId).map(User::active).orElse(true));
        AccountService account = new AccountService(new JdbiAccountStore(database.jdbi()));
        AtomicInteger webhookIds = new AtomicInteger();
        Webhooks webhooks = new Webhooks(database.jdbi(), Clock.systemUTC(), () -> "w" + pollers.size() + "-" + webhookIds.incrementAndGet());
        Changes changes = new Changes(database.jdbi(), Duration.ofMillis(200));
        changes.onChange(Changes.WEBHOOKS, webhooks::reload);
        changes.onChange(Changes.DIRECTORY, directory::reload);
        changes.onChange(Changes.DIRECTORY, account::reload);
        changes.onChange(Changes.TOKENS, tokens::refresh);
        directory.onDeactivated(tokens::forgetUser);
        changes.start();
        pollers.add(changes);
        return new Instance(directory, tokens, new JdbiContactStore(database.jdbi()), account, webhooks);
    }

    @BeforeEach
    void twoInstances() {
        a = instance(null);
        b = instance(null);
    }

    @AfterEach
    void close() {
        pollers.forEach(Changes::close);
        databases.forEach(Database::close);
        dispose();
    }

    @Test
    void aUserCreatedThroughOneInstanceIsFoundByTheOtherWithinASecond() {
        a.directory().createUser(agent("ana"));

        awaitWithin(() -> b.directory().get().user("ana").isPresent());
        assertThat(b.directory().user("ana")).isEqualTo(agent("ana"));
    }

    @Test
    void aWebhookRegisteredOrDeletedThroughOneInstanceIsInForceOnTheOtherWithinASecond() {
        assertThat(b.webhooks().anySubscribedTo(ConversationEvent.CLOSED)).isFalse();

        Webhook hook = a.webhooks().create("https://a.example/hook", "s".repeat(32), List.of(ConversationEvent.CLOSED));
        assertThat(a.webhooks().anySubscribedTo(ConversationEvent.CLOSED)).isTrue(); // at once where it was registered
        awaitWithin(() -> b.webhooks().anySubscribedTo(ConversationEvent.CLOSED));
        assertThat(b.webhooks().anySubscribedTo(ConversationEvent.CREATED)).isFalse();

        a.webhooks().delete(hook.id());
        assertThat(a.webhooks().anySubscribedTo(ConversationEvent.CLOSED)).isFalse();
        awaitWithin(() -> !b.webhooks().anySubscribedTo(ConversationEvent.CLOSED));
    }

    @Test
    void R12_theAccountTimeZoneSetThroughOneInstanceIsInForceOnTheOtherWithinASecond() {
        assertThat(b.account().timeZone()).isEqualTo(ZoneId.of("UTC"));

        a.account().setTimeZone("Europe/Paris");

        awaitWithin(() -> b.account().timeZone().equals(ZoneId.of("Europe/Paris")));
    }

    @Test
    void availabilityAndRoutingSettingsChangedThroughOneInstanceAreInForceOnTheOtherWithinASecond() {
        a.directory().createUser(agent("ana"));
        a.directory().createInbox(new Inbox("open", "Open", null));
        a.directory().createChannel(new Channel("chat", "open", ChannelKind.CHAT, "Chat"));
        RoutingSettings auto = new RoutingSettings(true, AssignTo.usersAndTeams(List.of("ana"), List.of()), true);
        a.directory().saveSettings("chat", auto);
        awaitWithin(() -> b.directory().get().settings("chat").equals(auto));

        a.directory().updateUser("ana", new DirectoryService.UserPatch(null, null, null, false, null));
        RoutingSettings manual = new RoutingSettings(false, auto.assignTo(), true);
        a.directory().saveSettings("chat", manual);

        awaitWithin(() -> !b.directory().get().user("ana").orElseThrow().available()
                && b.directory().get().settings("chat").equals(manual));
    }

    @Test
    void aWriteThroughAnInstanceThatHasNotHeardOfTheLastChangeIsCheckedAgainstTheDirectoryAsStored() {
        a.directory().createUser(agent("ana"));
        // Straight away, before B's poller can have seen it: B's write reads the directory under the lock.
        b.directory().createTeam(new Team("tier1", "Tier 1", List.of("ana"), List.of()));
        assertThatThrownBy(() -> a.directory().createTeam(new Team("tier2", "Tier 2", List.of("ana"), List.of())))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("user 'ana' is already a primary member of team 'tier1'");
        assertThatThrownBy(() -> b.directory().createUser(agent("ana"))).isInstanceOf(ConflictException.class);
        assertThat(a.directory().get().team("tier1")).isPresent(); // installed by A's own write, which read it
    }

    @Test
    void twoInstancesCreatingTheSameUserAtOnceGiveOneCreatedAndOneConflict() throws Exception {
        for (int round = 0; round < 20; round++) {
            User user = agent("u" + round);
            List<Outcome> outcomes = race(() -> a.directory().createUser(user), () -> b.directory().createUser(user));

            assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder(Outcome.DONE, Outcome.CONFLICT);
        }
    }

    @Test
    void aUserIsAPrimaryMemberOfOneTeamEvenWhenTwoInstancesRace() throws Exception {
        for (int round = 0; round < 20; round++) {
            String user = "u" + round;
            a.directory().createUser(agent(user));
            Team one = new Team("a" + round, "A", List.of(user), List.of());
            Team other = new Team("b" + round, "B", List.of(user), List.of());
            List<Outcome> outcomes = race(() -> a.directory().createTeam(one), () -> b.directory().createTeam(other));

            assertThat(outcomes).as("round " + round).containsExactlyInAnyOrder(Outcome.DONE, Outcome.REFUSED);
        }
        awaitWithin(() -> b.directory().get().teams().size() == 20 && a.directory().get().teams().size() == 20);
    }

    @Test
    void aContactIdOrEmailIsTakenOnceWhenTwoInstancesRace() throws Exception {
        for (int round = 0; round < 20; round++) {
            Contact kim = new Contact("k" + round, "kim" + round + "@customer.test", "Kim", null, false);
            Contact sameId = new Contact("k" + round, null, "Kim", null, false);
            Contact lee = new Contact("l" + round, "lee" + round + "@customer.test", "Lee", null, false);
            Contact sameEmail = new Contact("m" + round, lee.email(), "Lee", null, false);

            assertThat(race(() -> a.directory().createContact(kim), () -> b.directory().createContact(sameId)))
                    .as("round " + round).containsExactlyInAnyOrder(Outcome.DONE, Outcome.CONFLICT);
            assertThat(race(() -> a.directory().createContact(lee), () -> b.directory().createContact(sameEmail)))
                    .as("round " + round).containsExactlyInAnyOrder(Outcome.DONE, Outcome.CONFLICT);
        }
    }

    @Test
    void theDatabaseRefusesAContactWhoseIdOrEmailIsTakenEvenWhenNoCheckRanBefore() {
        a.contacts().create(new Contact("k1", "kim@customer.test", "Kim", null, false));

        assertThatThrownBy(() -> b.contacts().create(new Contact("k1", null, null, null, false)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> b.contacts().create(new Contact("k2", "kim@customer.test", null, null, false)))
                .isInstanceOf(ConflictException.class);
        b.contacts().create(new Contact("k2", "lee@customer.test", null, null, false));
        assertThatThrownBy(() -> a.contacts().save(new Contact("k2", "kim@customer.test", null, null, false)))
                .isInstanceOf(ConflictException.class);
        assertThat(a.contacts().find("k2").orElseThrow().email()).isEqualTo("lee@customer.test");
    }

    @Test
    void aUserTokenRenewedThroughOneInstanceStopsWorkingOnTheOtherWithinASecond() {
        a.directory().createUser(agent("ana"));
        String first = a.tokens().issueUserToken("ana");
        Principal ana = new Principal(Principal.Kind.USER, "ana");
        assertThat(b.tokens().authenticate(first)).contains(ana); // and now cached on B

        String second = a.tokens().issueUserToken("ana");

        awaitWithin(() -> b.tokens().authenticate(first).isEmpty());
        assertThat(b.tokens().authenticate(second)).contains(ana);
        assertThat(a.tokens().authenticate(first)).isEmpty();
    }

    @Test
    void aUserDeactivatedThroughOneInstanceLosesItsTokenThereAtOnceAndOnTheOtherWithinASecond() {
        a.directory().createUser(agent("ana"));
        String token = a.tokens().issueUserToken("ana");
        Principal ana = new Principal(Principal.Kind.USER, "ana");
        awaitWithin(() -> b.directory().get().user("ana").isPresent()); // B has heard of ana ...
        assertThat(b.tokens().authenticate(token)).contains(ana); // ... and caches the token

        a.directory().updateUser("ana", new DirectoryService.UserPatch(null, null, null, null, false));

        assertThat(a.tokens().check(token).refusal()).as("at once on the instance that deactivated").isNotNull();
        // B drops its cached token and reloads its directory as two steps of one poll: wait for both,
        // or an unfinished reload could install the deactivation after the reactivation below is seen.
        awaitWithin(() -> b.tokens().authenticate(token).isEmpty() && !b.directory().get().user("ana").orElseThrow().active());
        // Reactivated, the old token stays revoked: the user needs a new one.
        a.directory().updateUser("ana", new DirectoryService.UserPatch(null, null, null, null, true));
        awaitWithin(() -> b.directory().get().user("ana").map(User::active).orElse(false));
        assertThat(a.tokens().authenticate(token)).isEmpty();
        assertThat(b.tokens().authenticate(token)).isEmpty();
        String renewed = a.tokens().issueUserToken("ana");
        assertThat(b.tokens().authenticate(renewed)).contains(ana);
    }

    @Test
    void aUserTokenIssuedWhileItsUserIsInactiveWorksOnlyOnceTheUserIsActive() {
        a.directory().createUser(agent("ana"));
        a.directory().updateUser("ana", new DirectoryService.UserPatch(null, null, null, null, false));
        String token = b.tokens().issueUserToken("ana");

        assertThat(a.tokens().check(token).refusal()).isEqualTo("the token's user is deactivated");
        // B takes a user it has not heard of for active: until it refuses the token too, B accepting it
        // below would not show that the reactivation reached B.
        awaitWithin(() -> "the token's user is deactivated".equals(b.tokens().check(token).refusal()));
        a.directory().updateUser("ana", new DirectoryService.UserPatch(null, null, null, null, true));
        assertThat(a.tokens().authenticate(token)).isPresent();
        awaitWithin(() -> b.tokens().authenticate(token).isPresent());
    }

    @Test
    void theAdminTokenRotatedThroughOneInstanceStopsWorkingThereAtOnceAndOnTheOtherWithinASecond() {
        String old = printed.get(0);
        assertThat(b.tokens().authenticate(old)).contains(Principal.ADMIN);

        String rotated = a.tokens().rotateAdminToken();

        assertThat(rotated).isNotEqualTo(old).startsWith("adm_");
        assertThat(a.tokens().authenticate(old)).as("at once on the instance that rotated").isEmpty();
        assertThat(a.tokens().authenticate(rotated)).contains(Principal.ADMIN);
        awaitWithin(() -> b.tokens().authenticate(old).isEmpty() && b.tokens().authenticate(rotated).isPresent());
        assertThat(instance(null).tokens().authenticate(rotated)).as("a later start keeps it").contains(Principal.ADMIN);
        assertThat(printed).as("the rotated token is handed to the caller, never printed").hasSize(1);
    }

    @Test
    void anIntegrationTokenRevokedThroughOneInstanceStopsWorkingOnTheOtherWithinASecond() {
        String token = a.tokens().issueIntegrationToken("web", "Web form");
        assertThat(b.tokens().authenticate(token)).isPresent();

        a.tokens().revoke(Principal.Kind.INTEGRATION, "web");

        assertThat(a.tokens().authenticate(token)).isEmpty();
        awaitWithin(() -> b.tokens().authenticate(token).isEmpty());
    }

    @Test
    void anAnalystTokenRevokedThroughOneInstanceStopsWorkingOnTheOtherWithinASecond() {
        String token = a.tokens().issueAnalystToken("an-1", "Pricing team");
        Principal analyst = new Principal(Principal.Kind.ANALYST, "an-1", "Pricing team");
        assertThat(b.tokens().authenticate(token)).contains(analyst); // and now cached on B
        assertThat(b.tokens().list(Principal.Kind.ANALYST)).extracting(t -> t.name()).containsExactly("Pricing team");

        a.tokens().revoke(Principal.Kind.ANALYST, "an-1");

        assertThat(a.tokens().authenticate(token)).as("at once on the instance that revoked it").isEmpty();
        awaitWithin(() -> b.tokens().authenticate(token).isEmpty());
        assertThat(b.tokens().list(Principal.Kind.ANALYST)).isEmpty();
    }

    @Test
    void anIntegrationTokenIdIsTakenOnceWhenTwoInstancesRace() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "web" + round;
            assertThat(race(() -> a.tokens().issueIntegrationToken(id, "Web"), () -> b.tokens().issueIntegrationToken(id, "Web")))
                    .as("round " + round).containsExactlyInAnyOrder(Outcome.DONE, Outcome.CONFLICT);
        }
    }

    @Test
    void bothInstancesAcceptTheGeneratedAdminTokenWhichIsPrintedOnce() {
        assertThat(printed).hasSize(1);
        String admin = printed.get(0);

        assertThat(a.tokens().authenticate(admin)).contains(Principal.ADMIN);
        assertThat(b.tokens().authenticate(admin)).contains(Principal.ADMIN);
        assertThat(b.tokens().authenticate(admin + "x")).isEmpty();
    }

    @Test
    void anAdminTokenSetAtAStartReplacesTheStoredOneOnEveryInstanceWithinASecond() {
        String generated = printed.get(0);

        Instance c = instance("chosen-admin-token");

        assertThat(c.tokens().authenticate("chosen-admin-token")).contains(Principal.ADMIN);
        awaitWithin(() -> a.tokens().authenticate("chosen-admin-token").isPresent()
                && b.tokens().authenticate(generated).isEmpty());
        assertThat(instance(null).tokens().authenticate("chosen-admin-token")).as("a later start without one").contains(Principal.ADMIN);
        assertThat(printed).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------------

    private enum Outcome { DONE, CONFLICT, REFUSED }

    /** Runs both at the same moment on two threads. */
    private static List<Outcome> race(Callable<?> one, Callable<?> other) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<Outcome>> outcomes = new ArrayList<>();
            for (Callable<?> call : List.of(one, other)) {
                outcomes.add(threads.submit(() -> {
                    start.await();
                    try {
                        call.call();
                        return Outcome.DONE;
                    } catch (ConflictException e) {
                        return Outcome.CONFLICT;
                    } catch (RefusedException e) {
                        return Outcome.REFUSED;
                    }
                }));
            }
            List<Outcome> result = new ArrayList<>();
            for (Future<Outcome> outcome : outcomes) {
                result.add(outcome.get());
            }
            return result;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void awaitWithin(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not in force on the other instance within " + WITHIN);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static User agent(String id) {
        return new User(id, id, id + "@example.com", Seat.SERVICE, true, true);
    }
}
