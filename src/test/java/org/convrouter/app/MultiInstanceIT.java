package org.convrouter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.Policy;
import org.convrouter.PostgresDatabases;
import org.convrouter.PostgresSchemas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real jars on one fresh PostgreSQL database, each with its own data and rules folders: they
 * decide as one instance would, a change made through one is in force on the other within its
 * bound (1 s for the directory and settings, 2 s for rule sets), and killing one mid-load loses
 * nothing it acknowledged. Runs wherever PostgreSQL answers; skipped only outside CI without
 * ROUTER_TEST_PG_URL, so CI cannot pass without running it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

    private static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4");
    /** The propagation bounds, and the slack allowed for a loaded machine and the polling of this test. */
    private static final long DIRECTORY_BOUND_MS = 1000;
    private static final long RULES_BOUND_MS = 2000;
    private static final long SLACK_MS = 500;

    @TempDir
    static Path dir;
    private String databaseUrl;
    private JarProcess a;
    private JarProcess b;
    private Http viaA;
    private Http viaB;

    @BeforeAll
    void startTwoInstancesOnOneFreshDatabase() throws Exception {
        String ci = System.getenv("CI");
        boolean inCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
        if (PostgresSchemas.url() == null && inCi) {
            fail("CI is set but ROUTER_TEST_PG_URL is not: the multi-instance tests need PostgreSQL (see .ci/run)");
        }
        assumeTrue(PostgresSchemas.url() != null, "ROUTER_TEST_PG_URL is not set: no PostgreSQL for two instances to share");
        databaseUrl = PostgresDatabases.create();

        a = start("a");
        viaA = new Http(a.base(), JarProcess.ADMIN);
        // The directory is written before B starts, so B reads it at start-up: routing and failover are
        // then tested apart from directory propagation, which the tests further down measure.
        createUsers("a1", "a2", "a3", "a4", "p1", "p2", "q1");
        viaA.post("/api/v1/teams", "{\"id\":\"support\",\"name\":\"Support\",\"primaryMembers\":[\"a1\",\"a2\",\"a3\",\"a4\"]}");
        viaA.post("/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
        channel("chat", "{\"type\":\"users_and_teams\",\"users\":[],\"teams\":[\"support\"]}");
        channel("avail-chat", "{\"type\":\"users_and_teams\",\"users\":[\"p1\",\"p2\"],\"teams\":[]}");
        channel("settings-chat", "{\"type\":\"users_and_teams\",\"users\":[\"q1\"],\"teams\":[]}");
        b = start("b");
        viaB = new Http(b.base(), JarProcess.ADMIN);
    }

    @AfterAll
    void stopInstancesAndDropTheDatabase() throws Exception {
        try {
            for (JarProcess jar : new JarProcess[] {a, b}) {
                if (jar != null) {
                    jar.close();
                }
            }
        } finally {
            if (databaseUrl != null) {
                PostgresDatabases.drop(databaseUrl);
            }
        }
    }

    @Test
    @Order(1)
    void chatsPostedConcurrentlyThroughBothInstancesAreSpreadExactlyByLeastBusy() throws Exception {
        int chats = 40;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<String>> assignees = new ArrayList<>();
        try {
            for (int i = 0; i < chats; i++) {
                Http via = i % 2 == 0 ? viaA : viaB;
                String text = "chat " + i;
                assignees.add(pool.submit(() -> newChat(via, text).get("assignee").get("id").asText()));
            }
            Map<String, Integer> perAssignee = new HashMap<>();
            for (Future<String> assignee : assignees) {
                perAssignee.merge(assignee.get(60, TimeUnit.SECONDS), 1, Integer::sum);
            }
            int each = chats / AGENTS.size();
            Map<String, Integer> expected = new HashMap<>();
            AGENTS.forEach(id -> expected.put(id, each));
            assertThat(perAssignee).as("assignees of the %d created conversations", chats).isEqualTo(expected);
            for (String agent : AGENTS) {
                for (Http via : List.of(viaA, viaB)) {
                    assertThat(via.get("/api/v1/users/" + agent).get("openChats").asInt()).as("openChats of " + agent).isEqualTo(each);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void availabilitySetThroughOneInstanceIsInForceOnTheOtherWithinOneSecond() throws Exception {
        String simulation = "{\"channelId\":\"avail-chat\",\"message\":{\"text\":\"hello\"}}";
        assertThat(eligible(viaB.call("POST", "/api/v1/routing/simulate", simulation, 200), "p1")).as("p1 eligible on B before").isTrue();

        Check skipsP1 = via -> {
            JsonNode decision = via.call("POST", "/api/v1/routing/simulate", simulation, 200);
            return !eligible(decision, "p1") && "p2".equals(decision.path("assignee").path("id").asText());
        };
        viaA.call("PUT", "/api/v1/users/p1/availability", "{\"available\":false}", 200);
        long tookMs = inForceOnB("p1 unavailable", DIRECTORY_BOUND_MS, skipsP1);
        report("availability set unavailable through A, routing through B skips p1", tookMs, DIRECTORY_BOUND_MS);
    }

    @Test
    @Order(3)
    void routingSettingsChangedThroughOneInstanceAreInForceOnTheOtherWithinOneSecond() throws Exception {
        String simulation = "{\"channelId\":\"settings-chat\",\"message\":{\"text\":\"hello\"}}";
        assertThat(viaB.call("POST", "/api/v1/routing/simulate", simulation, 200).path("assignee").path("id").asText())
                .as("B assigns settings-chat before").isEqualTo("q1");

        Check leavesUnassigned = via -> via.call("POST", "/api/v1/routing/simulate", simulation, 200).path("assignee").isNull();
        viaA.call("PUT", "/api/v1/channels/settings-chat/routing", "{\"autoAssign\":false,\"assignTo\":{\"type\":\"users_and_teams\","
                + "\"users\":[\"q1\"],\"teams\":[]},\"onlyAvailable\":true}", 200);
        long tookMs = inForceOnB("autoAssign off", DIRECTORY_BOUND_MS, leavesUnassigned);
        report("autoAssign turned off through A, routing through B leaves it unassigned", tookMs, DIRECTORY_BOUND_MS);
    }

    @Test
    @Order(4)
    void aUserCreatedThroughOneInstanceIsVisibleOnTheOtherWithinOneSecond() throws Exception {
        String id = "late-" + UUID.randomUUID().toString().substring(0, 8);
        createUsers(id);
        long tookMs = inForceOnB("user " + id, DIRECTORY_BOUND_MS, via -> via.send("GET", "/api/v1/users/" + id, null).status() == 200);
        report("user created through A, GET on B answers 200", tookMs, DIRECTORY_BOUND_MS);
    }

    @Test
    @Order(5)
    void aRuleFileUploadedThroughOneInstanceIsActiveOnTheOtherWithinTwoSeconds() throws Exception {
        String before = viaB.get("/api/v1/rules").get("version").asText();
        assertThat(viaA.get("/api/v1/rules").get("version").asText()).as("both run one version").isEqualTo(before);

        // The shipped strategy plus a comment: a new version (the version is the files' content) that decides the same.
        String strategy = Files.readString(Policy.RULES.resolve("strategy.drl"))
                + "\n// uploaded through one instance by MultiInstanceIT " + UUID.randomUUID() + "\n";
        String uploaded = viaA.call("PUT", "/api/v1/rules/files/strategy.drl", strategy, 200).get("version").asText();
        assertThat(uploaded).as("the upload's version").isNotEqualTo(before);
        long tookMs = inForceOnB("version " + uploaded, RULES_BOUND_MS, via -> via.get("/api/v1/rules").get("version").asText().equals(uploaded));
        report("rule file uploaded through A, version active on B", tookMs, RULES_BOUND_MS);
    }

    /** Last: it leaves one instance. */
    @Test
    @Order(6)
    void killingOneInstanceMidLoadLosesNothingItAcknowledgedAndTheOtherKeepsRoutingWithExactLoads() throws Exception {
        record Outcome(boolean throughA, boolean afterKill, String id, String assignee, String failure) {}
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger acknowledgedByA = new AtomicInteger();
        AtomicInteger acknowledgedByBAfterKill = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            workers.add(pool.submit(() -> {
                while (!stop.get()) {
                    boolean afterKill = killed.get();
                    boolean throughA = !afterKill && sent.getAndIncrement() % 2 == 0;
                    try {
                        Http.Answer answer = (throughA ? viaA : viaB).send("POST", "/api/v1/conversations",
                                "{\"channelId\":\"chat\",\"message\":{\"text\":\"under load\"}}");
                        if (answer.status() == 201) {
                            JsonNode c = answer.json();
                            outcomes.add(new Outcome(throughA, afterKill, c.get("id").asText(), c.get("assignee").get("id").asText(), null));
                            if (throughA) {
                                acknowledgedByA.incrementAndGet();
                            } else if (afterKill) {
                                acknowledgedByBAfterKill.incrementAndGet();
                            }
                        } else {
                            outcomes.add(new Outcome(throughA, afterKill, null, null, answer.status() + ": " + answer.body()));
                        }
                    } catch (Exception e) {
                        outcomes.add(new Outcome(throughA, afterKill, null, null, e.toString()));
                    }
                }
                return null;
            }));
        }
        try {
            awaitCount(acknowledgedByA, 15, "conversations acknowledged by A before the kill");
            a.killHard();
            killed.set(true);
            awaitCount(acknowledgedByBAfterKill, 20, "conversations acknowledged by B after the kill");
        } finally {
            stop.set(true);
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }

        List<Outcome> snapshot = List.copyOf(outcomes);
        List<Outcome> failedOnB = snapshot.stream().filter(o -> !o.throughA() && o.failure() != null).toList();
        assertThat(failedOnB).as("every request through B answered 201, before and after the kill").isEmpty();
        for (Outcome o : snapshot) {
            if (o.throughA() && o.id() != null) {
                JsonNode stored = viaB.get("/api/v1/conversations/" + o.id());
                assertThat(stored.get("assignee").get("id").asText()).as("assignee of " + o.id() + ", acknowledged by A").isEqualTo(o.assignee());
                assertThat(stored.get("status").asText()).isEqualTo("open");
            }
        }

        // Loads are exact: each agent's openChats is the number of open chats stored for it, and least
        // busy kept them level (no chat was closed, so they differ by at most one).
        List<JsonNode> open = openConversations(viaB);
        Map<String, Integer> stored = new HashMap<>();
        Set<String> storedIds = new HashSet<>();
        for (JsonNode c : open) {
            storedIds.add(c.get("id").asText());
            if (c.get("channelId").asText().equals("chat") && !c.get("assignee").isNull()) {
                stored.merge(c.get("assignee").get("id").asText(), 1, Integer::sum);
            }
        }
        Set<String> acknowledged = new HashSet<>();
        snapshot.stream().filter(o -> o.id() != null).forEach(o -> acknowledged.add(o.id()));
        assertThat(storedIds).as("every acknowledged conversation is stored").containsAll(acknowledged);
        Map<String, Integer> loads = new HashMap<>();
        for (String agent : AGENTS) {
            loads.put(agent, viaB.get("/api/v1/users/" + agent).get("openChats").asInt());
            assertThat(loads.get(agent)).as("openChats of " + agent + " against its stored open chats").isEqualTo(stored.getOrDefault(agent, 0));
        }
        assertThat(Collections.max(loads.values()) - Collections.min(loads.values())).as("spread of the loads " + loads).isLessThanOrEqualTo(1);
        System.out.printf("failover: A acknowledged %d, B acknowledged %d after the kill, %d requests through A got no answer, loads %s%n",
                acknowledgedByA.get(), acknowledgedByBAfterKill.get(),
                snapshot.stream().filter(o -> o.throughA() && o.failure() != null).count(), loads);
    }

    private JarProcess start(String name) throws Exception {
        Path rules = dir.resolve(name).resolve("rules");
        Policy.copyRulesTo(rules);
        return JarProcess.start(dir.resolve(name).resolve("data"), rules, "--db-url", databaseUrl);
    }

    private void createUsers(String... ids) throws Exception {
        for (String id : ids) {
            viaA.post("/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"email\":\"" + id
                    + "@example.com\",\"seat\":\"service\",\"available\":true}");
        }
    }

    private void channel(String id, String assignTo) throws Exception {
        viaA.post("/api/v1/channels", "{\"id\":\"" + id + "\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"" + id + "\"}");
        viaA.call("PUT", "/api/v1/channels/" + id + "/routing", "{\"autoAssign\":true,\"assignTo\":" + assignTo + ",\"onlyAvailable\":true}", 200);
    }

    private static JsonNode newChat(Http via, String text) throws Exception {
        return via.post("/api/v1/conversations", "{\"channelId\":\"chat\",\"message\":{\"text\":\"" + text + "\"}}");
    }

    private static boolean eligible(JsonNode decision, String userId) {
        for (JsonNode candidate : decision.get("candidates")) {
            if (candidate.get("userId").asText().equals(userId)) {
                return candidate.get("eligible").asBoolean();
            }
        }
        throw new AssertionError(userId + " is not a candidate: " + decision);
    }

    /** Whether a change is in force, as seen through one instance. */
    interface Check {
        boolean holds(Http via) throws Exception;
    }

    /**
     * How long after a change answered by A it is in force on B, polling B. It must already hold on A,
     * which proves the check itself right; polling gives up at twice the bound plus slack, so a missing
     * propagation fails in seconds.
     */
    private long inForceOnB(String change, long boundMs, Check check) throws Exception {
        long answeredAt = System.nanoTime();
        assertThat(check.holds(viaA)).as("%s in force on A, which answered the change", change).isTrue();
        long giveUp = answeredAt + TimeUnit.MILLISECONDS.toNanos(2 * boundMs + SLACK_MS);
        while (!check.holds(viaB)) {
            if (System.nanoTime() > giveUp) {
                fail("%s: not in force on B %d ms after A answered the change (bound %d ms)", change,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAt), boundMs);
            }
            Thread.sleep(10);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredAt);
    }

    private static void report(String what, long tookMs, long boundMs) {
        System.out.printf("%s: in force after %d ms (bound %d ms)%n", what, tookMs, boundMs);
        assertThat(tookMs).as("%s: in force after %d ms (bound %d ms, allowed %d ms)", what, tookMs, boundMs, boundMs + SLACK_MS)
                .isLessThanOrEqualTo(boundMs + SLACK_MS);
    }

    private static void awaitCount(AtomicInteger count, int atLeast, String what) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count.get() < atLeast) {
            assertThat(System.nanoTime()).as("%d %s within 20 s (got %d)", atLeast, what, count.get()).isLessThan(giveUp);
            Thread.sleep(10);
        }
    }

    /** Every open conversation, paged through the list. */
    private static List<JsonNode> openConversations(Http via) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = via.get("/api/v1/conversations?status=open&limit=500" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }
}
