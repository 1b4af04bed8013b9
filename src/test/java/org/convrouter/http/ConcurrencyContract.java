package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Simultaneous routing and triage over real HTTP keep least-busy exact and loads consistent. */
abstract class ConcurrencyContract {

    static final int AGENTS = 8;
    static final int CHATS_EACH = 5;

    protected TestServer server;

    protected abstract TestServer startServer() throws Exception;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void setUp() throws Exception {
        server = startServer();
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            String id = "agent" + i;
            agents.add("\"" + id + "\"");
            server.admin("POST", "/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"Agent " + i + "\",\"email\":\"" + id
                    + "@example.com\",\"seat\":\"service\",\"available\":true}");
        }
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Chat\"}");
        server.admin("PUT", "/api/v1/channels/chat/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                + "\"users\":" + agents + ",\"teams\":[]},\"onlyAvailable\":true}");
    }

    private String newChat(int i) {
        return newChat("chat", i);
    }

    private String newChat(String channelId, int i) {
        TestServer.Answer answer = server.post("/api/v1/conversations", TestServer.ADMIN,
                "{\"channelId\":\"" + channelId + "\",\"message\":{\"text\":\"chat " + i + "\"}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    @Test
    void simultaneousChatsGiveEveryAgentExactlyTheirShare() throws Exception {
        setUp();
        chatsAtOnceLeaveEveryAgentTheirShare(n -> "chat");
        server.admin("GET", "/api/v1/users", null).get("items")
                .forEach(u -> assertThat(u.get("openChats").asInt()).as(u.get("id").asText()).isEqualTo(CHATS_EACH));
    }

    @Test
    void R4_chatsOnAChannelSelectingATeamAndOneSelectingItsMembersDirectlyStillShareExactly() throws Exception {
        setUp();
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add("\"agent" + i + "\"");
        }
        server.admin("POST", "/api/v1/teams", "{\"id\":\"crew\",\"name\":\"Crew\",\"primaryMembers\":" + agents + "}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"team-chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Team chat\"}");
        server.admin("PUT", "/api/v1/channels/team-chat/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                + "\"users\":[],\"teams\":[\"crew\"]},\"onlyAvailable\":true}");
        chatsAtOnceLeaveEveryAgentTheirShare(n -> n % 2 == 0 ? "chat" : "team-chat");
    }

    /** Sends every agent's share of chats at once, on the channel each is given, and checks each agent got exactly its share. */
    private void chatsAtOnceLeaveEveryAgentTheirShare(java.util.function.IntFunction<String> channel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < AGENTS * CHATS_EACH; i++) {
                int n = i;
                sent.add(pool.submit(() -> newChat(channel.apply(n), n)));
            }
            for (Future<String> f : sent) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Map<String, Integer> stored = openChatsByAssignee();
        for (int i = 0; i < AGENTS; i++) {
            assertThat(stored.get("agent" + i)).as("agent" + i + " conversations").isEqualTo(CHATS_EACH);
        }
    }

    @Test
    void simultaneousFirstMessagesFromOneNewEmailShareOneContact() throws Exception {
        setUp();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<String> contactIds = new ArrayList<>();
        try {
            List<Future<String>> sent = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                sent.add(pool.submit(() -> {
                    TestServer.Answer answer = server.post("/api/v1/conversations", TestServer.ADMIN,
                            "{\"channelId\":\"chat\",\"contact\":{\"email\":\"New.Visitor@Example.com\"},"
                                    + "\"message\":{\"text\":\"hello " + n + "\"}}");
                    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
                    return answer.json().get("contactId").asText();
                }));
            }
            for (Future<String> f : sent) {
                contactIds.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(contactIds).as("every conversation names the same contact").containsOnly(contactIds.get(0));
        List<String> stored = new ArrayList<>();
        server.admin("GET", "/api/v1/contacts?limit=200", null).get("items").forEach(k -> {
            if ("new.visitor@example.com".equals(k.path("email").asText())) {
                stored.add(k.get("id").asText());
            }
        });
        assertThat(stored).as("one stored contact for the email").containsExactly(contactIds.get(0));
    }

    @Test
    void manualAndAutomaticAssignmentRacingLeaveOneAssigneeAndConsistentLoads() throws Exception {
        setUp();
        List<String> existing = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            existing.add(newChat(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < existing.size(); i++) {
                    String id = existing.get(i);
                    String target = "agent" + ((i + round) % AGENTS);
                    work.add(pool.submit(() -> server.post("/api/v1/conversations/" + id + "/assignment", TestServer.ADMIN,
                            "{\"assignee\":{\"type\":\"user\",\"id\":\"" + target + "\"}}")));
                }
                int n = round;
                work.add(pool.submit(() -> newChat(100 + n)));
                work.add(pool.submit(() -> server.post("/api/v1/conversations/" + existing.get(n) + "/close", TestServer.ADMIN, null)));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        for (String id : existing) {
            JsonNode c = server.admin("GET", "/api/v1/conversations/" + id, null);
            assertThat(c.get("assignee").get("type").asText()).isEqualTo("user");
            JsonNode history = c.get("assignmentHistory");
            assertThat(history.get(history.size() - 1).get("to")).isEqualTo(c.get("assignee"));
        }
        Map<String, Integer> stored = openChatsByAssignee();
        server.admin("GET", "/api/v1/users", null).get("items").forEach(u -> assertThat(u.get("openChats").asInt())
                .as("load of " + u.get("id").asText()).isEqualTo(stored.getOrDefault(u.get("id").asText(), 0)));
    }

    /** Open conversations per user assignee, counted from what is stored. */
    private Map<String, Integer> openChatsByAssignee() {
        Map<String, Integer> counts = new HashMap<>();
        String cursor = null;
        do {
            JsonNode page = server.admin("GET", "/api/v1/conversations?view=all&status=open&limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            page.get("items").forEach(c -> {
                if (c.get("assignee").path("type").asText().equals("user")) {
                    counts.merge(c.get("assignee").get("id").asText(), 1, Integer::sum);
                }
            });
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return counts;
    }
}
