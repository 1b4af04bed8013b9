package org.convrouter.http;

import org.convrouter.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.convrouter.PostgresDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * R10 with two whole services on one fresh PostgreSQL database: agents free up through both at
 * once, each instance drains the queue, and every waiting conversation is assigned exactly once,
 * oldest first, with loads that match the open chats. The sweep is an hour, so only the triggers drain.
 */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresWaitingQueueTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4");

    @TempDir
    Path folder;
    private String url;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() {
        url = PostgresDatabases.create();
        a = TestServer.start(folder.resolve("a"), url, Duration.ofHours(1));
        b = TestServer.start(folder.resolve("b"), url, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        PostgresDatabases.drop(url);
    }

    @Test
    void r10_agentsFreeingUpThroughTwoInstancesAtOnceAssignEachWaitingChatOnceOldestFirst() throws Exception {
        a.admin("POST", "/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
        a.admin("POST", "/api/v1/channels", "{\"id\":\"chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Chat\"}");
        for (String agent : AGENTS) {
            a.admin("POST", "/api/v1/users", "{\"id\":\"" + agent + "\",\"name\":\"" + agent + "\",\"email\":\"" + agent
                    + "@example.com\",\"seat\":\"service\",\"available\":true,\"chatCapacity\":1}");
        }
        a.admin("PUT", "/api/v1/channels/chat/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                + "\"users\":[\"a1\",\"a2\",\"a3\",\"a4\"],\"teams\":[]},\"onlyAvailable\":true}");
        await(() -> b.get("/api/v1/channels/chat/routing", TestServer.ADMIN).json().path("autoAssign").asBoolean());

        List<String> busy = new ArrayList<>();
        for (int i = 0; i < AGENTS.size(); i++) {
            JsonNode chat = chat(i % 2 == 0 ? a : b);
            assertThat(chat.path("assignee").isNull()).isFalse();
            busy.add(chat.path("id").asText());
        }
        List<String> waiting = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            JsonNode chat = chat(i % 2 == 0 ? a : b);
            assertThat(chat.path("assignee").isNull()).as("everyone is at capacity").isTrue();
            waiting.add(chat.path("id").asText());
        }

        closeAtOnce(busy);
        await(() -> assigned(waiting).size() == 4);
        assertThat(assigned(waiting).keySet()).as("the four oldest").containsExactlyInAnyOrderElementsOf(waiting.subList(0, 4));

        closeAtOnce(waiting.subList(0, 4));
        await(() -> assigned(waiting).size() == 8);

        Map<String, Integer> open = new HashMap<>();
        for (String id : waiting) {
            JsonNode conversation = a.admin("GET", "/api/v1/conversations/" + id, null);
            JsonNode history = conversation.path("assignmentHistory");
            assertThat(history).as("assigned exactly once: " + id).hasSize(1);
            assertThat(conversation.has("waitingSince")).isFalse();
            if (conversation.path("status").asText().equals("open")) {
                open.merge(conversation.path("assignee").path("id").asText(), 1, Integer::sum);
            }
        }
        assertThat(open).as("one open chat per agent, each at capacity 1").hasSize(4).allSatisfy((agent, n) -> assertThat(n).isEqualTo(1));
        for (String agent : AGENTS) {
            assertThat(a.admin("GET", "/api/v1/users/" + agent, null).path("openChats").asInt()).as(agent).isEqualTo(1);
        }
        assertThat(a.get("/metrics", null).body()).contains("routing_queue_waiting 0.0");
    }

    /** Closes these conversations at once, alternately through each instance. */
    private void closeAtOnce(List<String> ids) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(ids.size());
        try {
            List<Future<JsonNode>> done = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                TestServer through = i % 2 == 0 ? a : b;
                String id = ids.get(i);
                done.add(pool.submit(() -> through.admin("POST", "/api/v1/conversations/" + id + "/close", null)));
            }
            for (Future<JsonNode> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode chat(TestServer through) {
        return through.admin("POST", "/api/v1/conversations", "{\"channelId\":\"chat\",\"message\":{\"text\":\"Hi\"}}");
    }

    /** Those of these conversations that are assigned, with their assignee. */
    private Map<String, String> assigned(List<String> ids) {
        Map<String, String> assigned = new HashMap<>();
        for (String id : ids) {
            JsonNode assignee = b.admin("GET", "/api/v1/conversations/" + id, null).path("assignee");
            if (!assignee.isNull()) {
                assigned.put(id, assignee.path("id").asText());
            }
        }
        return assigned;
    }

    private static void await(BooleanSupplier condition) {
        Await.until("the queue to get there", WITHIN, condition);
    }
}
