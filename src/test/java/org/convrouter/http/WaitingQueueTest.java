package org.convrouter.http;

import org.convrouter.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R10 (the waiting queue) and R11 (chat capacity) through the whole service over HTTP, on the
 * embedded database: conversations wait, and are routed again when capacity frees up.
 */
class WaitingQueueTest {

    private static final String A = TestServer.ADMIN;
    private static final Duration WITHIN = Duration.ofSeconds(40);

    @TempDir
    Path dir;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(Duration sweep) {
        server = TestServer.start(dir, null, sweep);
        return server;
    }

    // --- R11 -----------------------------------------------------------------------------------

    @Test
    void r11_aUserWithCapacity2IsNotGivenAThirdChat_andTheDecisionSaysWhy() {
        start(Duration.ofHours(1)).seedOneAgentChat("ana", "help", "chat");
        JsonNode ana = server.admin("PATCH", "/api/v1/users/ana", "{\"chatCapacity\":2}");
        assertThat(ana.path("chatCapacity").asInt()).isEqualTo(2);

        assertThat(assignee(chat("chat"))).isEqualTo("ana");
        assertThat(assignee(chat("chat"))).isEqualTo("ana");
        JsonNode third = chat("chat");

        assertThat(third.path("assignee").isNull()).as("the third chat is not given to ana").isTrue();
        JsonNode decision = server.admin("GET", "/api/v1/conversations/" + third.path("id").asText() + "/decision", null);
        assertThat(decision.path("candidates").get(0).path("reasons").get(0).asText()).isEqualTo("at capacity (2 open chats)");
        assertThat(decision.path("firedRules").toString()).contains("Users at their chat capacity are not given more chats");
        assertThat(server.admin("GET", "/api/v1/users/ana", null).path("openChats").asInt()).isEqualTo(2);
    }

    @Test
    void r11_capacityIsSetOnCreate_clearedWithNull_andRefusedBelowOne() {
        start(Duration.ofHours(1));
        JsonNode created = server.admin("POST", "/api/v1/users",
                "{\"id\":\"bo\",\"name\":\"Bo\",\"email\":\"bo@example.com\",\"seat\":\"service\",\"chatCapacity\":3}");
        assertThat(created.path("chatCapacity").asInt()).isEqualTo(3);
        assertThat(server.admin("GET", "/api/v1/users", null).path("items").get(0).path("chatCapacity").asInt()).isEqualTo(3);

        assertThat(server.admin("PATCH", "/api/v1/users/bo", "{\"name\":\"Bo B\"}").path("chatCapacity").asInt())
                .as("left out keeps it").isEqualTo(3);
        assertThat(server.admin("PATCH", "/api/v1/users/bo", "{\"chatCapacity\":null}").path("chatCapacity").isNull())
                .as("null means no limit").isTrue();

        TestServer.Answer zero = server.patch("/api/v1/users/bo", A, "{\"chatCapacity\":0}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.body()).contains("chatCapacity");
        TestServer.Answer text = server.post("/api/v1/users", A,
                "{\"id\":\"cy\",\"name\":\"Cy\",\"email\":\"cy@example.com\",\"seat\":\"service\",\"chatCapacity\":\"two\"}");
        assertThat(text.status()).isEqualTo(400);
        assertThat(server.get("/api/v1/users/cy", A).status()).as("nothing stored").isEqualTo(404);
        assertThat(server.admin("GET", "/api/v1/users/bo", null).path("chatCapacity").isNull()).isTrue();
    }

    // --- R10 -----------------------------------------------------------------------------------

    @Test
    void r10_threeChatsWaitForAnAwayAgent_andAreAssignedOldestFirstWhenSheComesBack() {
        start(Duration.ofHours(1)).seedOneAgentChat("ana", "help", "chat");
        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":false}");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode answer = chat("chat");
            assertThat(answer.path("assignee").isNull()).as("the request answers unassigned").isTrue();
            ids.add(answer.path("id").asText());
        }
        JsonNode unassigned = server.admin("GET", "/api/v1/conversations?view=unassigned", null).path("items");
        assertThat(unassigned).hasSize(3).allSatisfy(c -> assertThat(c.path("waitingSince").isTextual()).isTrue());
        assertThat(metric("routing_queue_waiting")).isEqualTo(3.0);

        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":true}");

        await(() -> ids.stream().allMatch(id -> "ana".equals(assigneeOf(id))));
        List<Instant> assignedAt = new ArrayList<>();
        for (String id : ids) {
            JsonNode conversation = server.admin("GET", "/api/v1/conversations/" + id, null);
            assertThat(conversation.has("waitingSince")).as("it left the queue").isFalse();
            JsonNode history = conversation.path("assignmentHistory");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).path("cause").asText()).isEqualTo("routing");
            assignedAt.add(Instant.parse(history.get(0).path("at").asText()));
            // The first attempt, perhaps a drain's while ana was away, then the one that assigned.
            JsonNode decisions = server.admin("GET", "/api/v1/conversations/" + id + "/decisions", null).path("items");
            assertThat(decisions.size()).isGreaterThanOrEqualTo(2);
            for (int i = 0; i < decisions.size() - 1; i++) {
                assertThat(decisions.get(i).path("assignee").isNull()).isTrue();
                assertThat(decisions.get(i).path("candidates").get(0).path("reasons").get(0).asText()).isEqualTo("away");
            }
            JsonNode last = decisions.get(decisions.size() - 1);
            assertThat(last.path("assignee").path("id").asText()).isEqualTo("ana");
            assertThat(last.path("id").asText()).isEqualTo(conversation.path("decisionId").asText());
        }
        assertThat(assignedAt).as("oldest first").isSorted();
        assertThat(server.admin("GET", "/api/v1/users/ana", null).path("openChats").asInt()).isEqualTo(3);
        assertThat(metric("routing_queue_waiting")).isEqualTo(0.0);
    }

    @Test
    void r10_aConversationNobodyCanTakeIsSkipped_closingAChatFreesCapacityForTheOnesBehindIt() {
        start(Duration.ofHours(1));
        seedOwnerChat();
        server.admin("PATCH", "/api/v1/users/ana", "{\"chatCapacity\":1}");
        String busy = chatFrom("owned").path("id").asText();
        assertThat(assigneeOf(busy)).isEqualTo("ana");

        String noOwner = chatFrom("orphan").path("id").asText();  // no owner, no fallback: nobody to wait for
        String second = chatFrom("owned").path("id").asText();   // ana at capacity
        String third = chatFrom("owned").path("id").asText();
        assertThat(List.of(noOwner, second, third)).allSatisfy(id -> assertThat(assigneeOf(id)).isNull());
        assertThat(reasonsOfLatestDecision(second)).containsExactly("at capacity (1 open chats)");

        server.admin("POST", "/api/v1/conversations/" + busy + "/close", null);

        await(() -> "ana".equals(assigneeOf(second)));
        assertThat(assigneeOf(noOwner)).as("still nobody's").isNull();
        assertThat(waitingSince(noOwner)).as("it keeps waiting, skipped").isNotNull();
        assertThat(decisionCount(noOwner)).as("routed again, yet not a barrier").isGreaterThanOrEqualTo(2);
        assertThat(assigneeOf(third)).as("ana is at capacity again").isNull();
        assertThat(reasonsOfLatestDecision(third)).containsExactly("at capacity (1 open chats)");

        server.admin("POST", "/api/v1/conversations/" + second + "/close", null);
        await(() -> "ana".equals(assigneeOf(third)));
        assertThat(server.admin("GET", "/api/v1/users/ana", null).path("openChats").asInt()).isEqualTo(1);
    }

    @Test
    void r10_aConversationAssignedByHandOrClosedLeavesTheQueue() {
        start(Duration.ofHours(1)).seedOneAgentChat("ana", "help", "chat");
        server.admin("POST", "/api/v1/users", "{\"id\":\"bo\",\"name\":\"Bo\",\"email\":\"bo@example.com\",\"seat\":\"service\"}");
        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":false}");
        String taken = chat("chat").path("id").asText();
        String closed = chat("chat").path("id").asText();
        assertThat(waitingSince(taken)).isNotNull();
        assertThat(metric("routing_queue_waiting")).isEqualTo(2.0);
        assertThat(metric("routing_queue_oldest_wait_seconds")).isPositive();

        server.admin("POST", "/api/v1/conversations/" + taken + "/assignment", "{\"assignee\":{\"type\":\"user\",\"id\":\"bo\"}}");
        server.admin("POST", "/api/v1/conversations/" + closed + "/close", null);

        assertThat(waitingSince(taken)).isNull();
        assertThat(waitingSince(closed)).isNull();
        assertThat(metric("routing_queue_waiting")).isEqualTo(0.0);
        assertThat(metric("routing_queue_oldest_wait_seconds")).isZero();
        int takenAttempts = decisionCount(taken);
        int closedAttempts = decisionCount(closed);
        String probe = chat("chat").path("id").asText();
        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":true}");
        await(() -> "ana".equals(assigneeOf(probe))); // the drain has run

        assertThat(assigneeOf(taken)).as("not routed away from bo").isEqualTo("bo");
        assertThat(server.admin("GET", "/api/v1/conversations/" + taken, null).path("assignmentHistory")).hasSize(1);
        assertThat(server.admin("GET", "/api/v1/conversations/" + closed, null).path("assignee").isNull()).isTrue();
        assertThat(decisionCount(taken)).as("no longer routed").isEqualTo(takenAttempts);
        assertThat(decisionCount(closed)).as("no longer routed").isEqualTo(closedAttempts);
    }

    @Test
    void r10_theSweepRoutesAgainWhenATimeBasedRuleOpens() throws InterruptedException {
        start(Duration.ofSeconds(1)).seedOneAgentChat("ana", "help", "chat");
        // The rule compares a time of day: close to midnight the opening would wrap to a time never reached today.
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        if (now.isAfter(LocalTime.of(23, 59, 20))) {
            Thread.sleep(Duration.between(now, LocalTime.MAX).toMillis() + 1_000);
        }
        LocalTime opening = LocalTime.now(ZoneOffset.UTC).plusSeconds(20);
        String rule = """
                package policy;

                import org.convrouter.routing.Candidate;
                import org.convrouter.routing.Clock;
                import org.convrouter.routing.Exclusion;

                rule "Nobody takes chats before the opening"
                    salience 100
                when
                    Clock( date.year == %d, date.dayOfYear == %d, localTime.toSecondOfDay() < %d )
                    $c : Candidate()
                then
                    insert( new Exclusion( $c, "not open yet" ) );
                end
                """.formatted(java.time.LocalDate.now(ZoneOffset.UTC).getYear(),
                java.time.LocalDate.now(ZoneOffset.UTC).getDayOfYear(), opening.toSecondOfDay());
        TestServer.Answer put = server.call("PUT", "/api/v1/rules/files/opening.drl", A, rule);
        assertThat(put.status()).as(put.body()).isEqualTo(200);

        String id = chat("chat").path("id").asText();
        assertThat(assigneeOf(id)).isNull();
        assertThat(reasonsOfLatestDecision(id)).containsExactly("not open yet");

        await(() -> "ana".equals(assigneeOf(id)));
        JsonNode decisions = server.admin("GET", "/api/v1/conversations/" + id + "/decisions", null).path("items");
        JsonNode last = decisions.get(decisions.size() - 1);
        assertThat(Instant.parse(last.path("decidedAt").asText()).atOffset(ZoneOffset.UTC).toLocalTime())
                .isAfterOrEqualTo(opening.withNano(0));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** ana owns contact "owned" (tracked by cookie); "orphan" has no owner; the chat channel routes to the contact owner, no fallback. */
    private void seedOwnerChat() {
        server.admin("POST", "/api/v1/users", "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\",\"seat\":\"service\",\"available\":true}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Chat\"}");
        server.admin("PUT", "/api/v1/channels/chat/routing",
                "{\"autoAssign\":true,\"assignTo\":{\"type\":\"contact_owner\"},\"onlyAvailable\":true}");
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"owned\",\"email\":\"owned@customer.test\",\"owner\":\"ana\",\"cookieTracked\":true}");
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"orphan\",\"email\":\"orphan@customer.test\",\"cookieTracked\":true}");
    }

    private JsonNode chat(String channel) {
        return server.admin("POST", "/api/v1/conversations", "{\"channelId\":\"" + channel + "\",\"message\":{\"text\":\"Hi\"}}");
    }

    private JsonNode chatFrom(String contactId) {
        return server.admin("POST", "/api/v1/conversations",
                "{\"channelId\":\"chat\",\"contactId\":\"" + contactId + "\",\"message\":{\"text\":\"Hi\"}}");
    }

    private static String assignee(JsonNode conversation) {
        return conversation.path("assignee").isNull() ? null : conversation.path("assignee").path("id").asText();
    }

    private String assigneeOf(String id) {
        return assignee(server.admin("GET", "/api/v1/conversations/" + id, null));
    }

    private String waitingSince(String id) {
        JsonNode since = server.admin("GET", "/api/v1/conversations/" + id, null).path("waitingSince");
        return since.isTextual() ? since.asText() : null;
    }

    private int decisionCount(String id) {
        return server.admin("GET", "/api/v1/conversations/" + id + "/decisions", null).path("items").size();
    }

    private List<String> reasonsOfLatestDecision(String id) {
        List<String> reasons = new ArrayList<>();
        server.admin("GET", "/api/v1/conversations/" + id + "/decision", null).path("candidates")
                .forEach(c -> c.path("reasons").forEach(r -> reasons.add(r.asText())));
        return reasons;
    }

    private double metric(String name) {
        return server.get("/metrics", null).body().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    private static void await(BooleanSupplier condition) {
        Await.until("the queue to get there", WITHIN, condition);
    }
}
