package org.convrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the real jar: everything answered 2xx survives kill -9 and a restart, and least-busy
 * routing continues exactly where it stopped.
 */
class DurabilityIT {

    @TempDir
    Path data;

    @Test
    void answeredChangesSurviveKillDashNineAndLeastBusyRoutingContinuesExactly() throws Exception {
        Path rules = Path.of("rules");
        Map<String, String> assigneeById = new HashMap<>();
        Map<String, String> emailById = new HashMap<>();
        Map<String, JsonNode> decisionsBefore = new HashMap<>();
        JsonNode usersBefore;
        String settingsBefore;
        String closedId;
        try (JarProcess jar = JarProcess.start(data, rules)) {
            Http http = new Http(jar.base(), JarProcess.ADMIN);
            for (String id : List.of("ana", "bo", "cy")) {
                http.post("/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"email\":\"" + id
                        + "@example.com\",\"seat\":\"service\",\"available\":true}");
            }
            http.post("/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
            http.post("/api/v1/channels", "{\"id\":\"chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Chat\"}");
            http.call("PUT", "/api/v1/channels/chat/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                    + "\"users\":[\"ana\",\"bo\",\"cy\"],\"teams\":[]},\"onlyAvailable\":true}", 200);
            // A channel with 20 candidates: its decisions refer to a stored roster (16 or more candidates).
            List<String> team = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String id = "t" + i;
                team.add("\"" + id + "\"");
                http.post("/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"email\":\"" + id
                        + "@example.com\",\"seat\":\"service\",\"available\":" + (i % 3 != 0) + "}");
            }
            http.post("/api/v1/channels", "{\"id\":\"team-chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Team\"}");
            http.call("PUT", "/api/v1/channels/team-chat/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                    + "\"users\":[" + String.join(",", team) + "],\"teams\":[]},\"onlyAvailable\":true}", 200);
            for (int i = 0; i < 3; i++) {
                String id = http.post("/api/v1/conversations", "{\"channelId\":\"team-chat\",\"message\":{\"text\":\"team " + i + "\"}}")
                        .get("id").asText();
                decisionsBefore.put(id, http.get("/api/v1/conversations/" + id + "/decision"));
            }
            for (int i = 0; i < 8; i++) {
                // New contacts are written in their conversation's transaction: three visitors, some twice.
                String email = "visitor" + (i % 3) + "@customer.test";
                JsonNode c = http.post("/api/v1/conversations", "{\"channelId\":\"chat\",\"contact\":{\"email\":\"" + email
                        + "\"},\"message\":{\"text\":\"chat " + i + "\"}}");
                assigneeById.put(c.get("id").asText(), c.get("assignee").get("id").asText());
                emailById.put(c.get("id").asText(), email);
            }
            // Shift the loads by hand so the restart has something non-trivial to restore.
            String first = assigneeById.keySet().iterator().next();
            http.call("POST", "/api/v1/conversations/" + first + "/assignment", "{\"assignee\":{\"type\":\"user\",\"id\":\"cy\"}}", 200);
            assigneeById.put(first, "cy");
            closedId = assigneeById.keySet().stream().filter(id -> !id.equals(first)).findFirst().orElseThrow();
            http.call("POST", "/api/v1/conversations/" + closedId + "/close", null, 200);
            usersBefore = http.get("/api/v1/users");
            settingsBefore = http.get("/api/v1/channels/chat/routing").toString();
            jar.killHard();
        }

        try (JarProcess jar = JarProcess.start(data, rules)) {
            Http http = new Http(jar.base(), JarProcess.ADMIN);
            for (var entry : assigneeById.entrySet()) {
                JsonNode c = http.get("/api/v1/conversations/" + entry.getKey());
                assertThat(c.get("assignee").get("id").asText()).as(entry.getKey()).isEqualTo(entry.getValue());
                assertThat(c.get("status").asText()).isEqualTo(entry.getKey().equals(closedId) ? "closed" : "open");
                JsonNode contact = http.get("/api/v1/contacts/" + c.get("contactId").asText());
                assertThat(contact.get("email").asText()).as(entry.getKey()).isEqualTo(emailById.get(entry.getKey()));
            }
            assertThat(http.get("/api/v1/contacts?limit=50").get("items")).as("one contact per visitor").hasSize(3);
            assertThat(http.get("/api/v1/users")).isEqualTo(usersBefore);
            assertThat(http.get("/api/v1/channels/chat/routing").toString()).isEqualTo(settingsBefore);
            for (var entry : decisionsBefore.entrySet()) {
                assertThat(entry.getValue().get("candidates")).hasSize(20);
                assertThat(http.get("/api/v1/conversations/" + entry.getKey() + "/decision")).as(entry.getKey())
                        .isEqualTo(entry.getValue());
            }

            List<JsonNode> users = new ArrayList<>();
            usersBefore.get("items").forEach(users::add);
            users.removeIf(u -> !List.of("ana", "bo", "cy").contains(u.get("id").asText())); // the chat channel's candidates
            String expected = users.stream().min(Comparator.<JsonNode>comparingInt(u -> u.get("openChats").asInt())
                    .thenComparing(u -> u.get("lastChatAssignedAt").asText())
                    .thenComparing(u -> u.get("id").asText())).orElseThrow().get("id").asText();
            JsonNode next = http.post("/api/v1/conversations", "{\"channelId\":\"chat\",\"message\":{\"text\":\"after restart\"}}");
            assertThat(next.get("assignee").get("id").asText()).isEqualTo(expected);
        }
    }

    @Test
    void aSecondProcessOnTheSameDataFolderIsRefusedWithAClearMessage() throws Exception {
        try (JarProcess first = JarProcess.start(data, Path.of("rules"))) {
            JarProcess.Exited second = JarProcess.runToEnd(data, Path.of("rules"));
            assertThat(second.exitCode()).isNotZero();
            assertThat(second.output()).contains("is in use by another process")
                    .contains("the embedded database serves one instance; run several on PostgreSQL (--db-url)");
            assertThat(new Http(first.base(), JarProcess.ADMIN).get("/health").get("status").asText())
                    .as("the first one goes on").isEqualTo("ok");
        }
    }
}
