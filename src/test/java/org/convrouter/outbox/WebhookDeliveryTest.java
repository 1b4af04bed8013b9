package org.convrouter.outbox;

import org.convrouter.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.http.TestServer;
import org.convrouter.support.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks over real HTTP: a receiver inside the test checks every signature. */
class WebhookDeliveryTest {

    static final String SECRET = "s3cret-for-the-receiver-only";

    /** What the receiver got: the event header, the signature header and the raw body. */
    record Received(String event, String signature, byte[] body) {
        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        boolean verifies(String secret) {
            return signature.equals("sha256=" + WebhookCourier.sign(secret, body));
        }
    }

    /** Answers 500 to the first {@code failFirst} requests, then 204. */
    static final class Receiver implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final AtomicInteger failFirst = new AtomicInteger();
        final HttpServer server;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                boolean fail = failFirst.getAndDecrement() > 0;
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-Router-Event"),
                        String.valueOf(exchange.getRequestHeaders().getFirst("X-Router-Signature")), body));
                exchange.sendResponseHeaders(fail ? 500 : 204, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<Received> of(String conversationId) {
            return received.stream().filter(r -> r.json().path("conversationId").asText().equals(conversationId)).toList();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @TempDir
    Path folder;
    private TestServer server;
    private Receiver receiver;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(folder, null, OutboxConfig.NONE.withRetry(MailDeliveryTest.quick(20)));
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        server.close();
    }

    private String register(String events) {
        return server.admin("POST", "/api/v1/webhooks", "{\"url\":\"" + receiver.url() + "\",\"secret\":\"" + SECRET + "\""
                + (events == null ? "" : ",\"events\":" + events) + "}").path("id").asText();
    }

    @Test
    void created_assigned_and_closed_are_posted_signed_with_the_secret() {
        register(null);
        server.seedOneAgentChat("ana", "help", "chat");
        server.admin("POST", "/api/v1/users", "{\"id\":\"bo\",\"name\":\"Bo\",\"email\":\"bo@example.com\",\"seat\":\"service\"}");
        String decisionId = server.admin("POST", "/api/v1/conversations",
                "{\"id\":\"c-1\",\"channelId\":\"chat\",\"message\":{\"text\":\"hi\"}}").path("decisionId").asText();
        server.admin("POST", "/api/v1/conversations/c-1/assignment", "{\"assignee\":{\"type\":\"user\",\"id\":\"bo\"}}");
        server.admin("POST", "/api/v1/conversations/c-1/close", null);

        Await.until("four events arrive", () -> receiver.of("c-1").size() >= 4);
        List<Received> events = receiver.of("c-1");
        assertThat(events).extracting(Received::event).containsExactlyInAnyOrder(
                "conversation.created", "conversation.assigned", "conversation.assigned", "conversation.closed");
        for (Received r : events) {
            assertThat(r.verifies(SECRET)).as("signature of %s", r.event()).isTrue();
            assertThat(r.verifies("another-secret-of-enough-length")).as("a wrong secret does not verify").isFalse();
            JsonNode body = r.json();
            assertThat(body.path("event").asText()).isEqualTo(r.event());
            assertThat(body.path("channelId").asText()).isEqualTo("chat");
            assertThat(body.path("id").asText()).isNotBlank();
            assertThat(body.path("at").asText()).isNotBlank();
            List<String> fields = new ArrayList<>();
            body.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactly("id", "event", "conversationId", "channelId", "assignee", "decisionId", "at");
        }
        JsonNode created = byEvent(events, "conversation.created");
        assertThat(created.path("decisionId").asText()).isEqualTo(decisionId);
        assertThat(created.path("assignee").path("id").asText()).isEqualTo("ana");
        List<JsonNode> assigned = events.stream().filter(r -> r.event().equals("conversation.assigned")).map(Received::json).toList();
        assertThat(assigned).extracting(n -> n.path("assignee").path("id").asText()).containsExactlyInAnyOrder("ana", "bo");
        assertThat(assigned).filteredOn(n -> n.path("assignee").path("id").asText().equals("bo"))
                .singleElement().satisfies(n -> assertThat(n.path("decisionId").isNull()).as("a change by hand").isTrue());
        assertThat(byEvent(events, "conversation.closed").path("assignee").path("type").asText()).isEqualTo("user");
        assertThat(events.stream().map(r -> r.json().path("id").asText()).distinct()).hasSize(4);

        // Taking an unassigned conversation by replying to it is an assignment too.
        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":false}");
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"c-2\",\"channelId\":\"chat\",\"message\":{\"text\":\"hi\"}}");
        server.admin("POST", "/api/v1/conversations/c-2/replies", "{\"text\":\"On it\",\"byUserId\":\"bo\"}");
        Await.until("three events arrive", () -> receiver.of("c-2").size() >= 3);
        assertThat(receiver.of("c-2")).extracting(Received::event).containsExactlyInAnyOrder(
                "conversation.created", "conversation.unassigned", "conversation.assigned");
        assertThat(byEvent(receiver.of("c-2"), "conversation.assigned").path("assignee").path("id").asText()).isEqualTo("bo");
    }

    @Test
    void a_routing_attempt_that_leaves_a_conversation_waiting_is_posted_as_unassigned_to_the_webhooks_that_asked() {
        register("[\"conversation.unassigned\"]");
        server.seedOneAgentChat("ana", "help", "chat");
        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":false}");
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"c-wait\",\"channelId\":\"chat\",\"message\":{\"text\":\"hi\"}}");

        Await.until("the event arrives", () -> receiver.of("c-wait").size() >= 1);
        assertThat(receiver.of("c-wait")).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo("conversation.unassigned");
            assertThat(r.json().path("assignee").isNull()).isTrue();
            assertThat(r.json().path("decisionId").asText()).isNotBlank();
        });
    }

    @Test
    void r10_a_waiting_conversation_the_queue_assigns_when_its_agent_comes_back_is_posted_as_assigned() {
        register("[\"conversation.assigned\"]");
        server.seedOneAgentChat("ana", "help", "chat");
        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":false}");
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"c-drained\",\"channelId\":\"chat\",\"message\":{\"text\":\"hi\"}}");

        server.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":true}");

        Await.until("the assignment by the queue is posted", () -> receiver.of("c-drained").size() >= 1);
        String latestDecision = server.admin("GET", "/api/v1/conversations/c-drained", null).path("decisionId").asText();
        assertThat(receiver.of("c-drained")).singleElement().satisfies(r -> {
            assertThat(r.verifies(SECRET)).isTrue();
            assertThat(r.json().path("assignee").path("id").asText()).isEqualTo("ana");
            assertThat(r.json().path("decisionId").asText()).as("the queue's own decision").isEqualTo(latestDecision);
        });
    }

    @Test
    void a_receiver_that_fails_first_gets_the_same_event_again_until_it_answers_2xx() {
        register("[\"conversation.created\"]");
        receiver.failFirst.set(2);
        server.seedOneAgentChat("ana", "help", "chat");
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"c-retry\",\"channelId\":\"chat\",\"message\":{\"text\":\"hi\"}}");

        Await.until("three tries arrive", () -> receiver.of("c-retry").size() >= 3);
        List<Received> tries = receiver.of("c-retry");
        assertThat(tries).extracting(r -> r.json().path("id").asText()).containsOnly(tries.get(0).json().path("id").asText());
        assertThat(tries).allSatisfy(r -> assertThat(r.verifies(SECRET)).isTrue());
        assertThat(tries).extracting(r -> new String(r.body(), StandardCharsets.UTF_8)).containsOnly(
                new String(tries.get(0).body(), StandardCharsets.UTF_8));
    }

    @Test
    void webhooks_are_validated_listed_without_their_secret_and_deleted() {
        assertThat(server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"ftp://example.com/x\",\"secret\":\"" + SECRET + "\"}")
                .status()).isEqualTo(400);
        assertThat(server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"https://user:pw@example.com/x\",\"secret\":\""
                + SECRET + "\"}").status()).isEqualTo(400);
        assertThat(server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"https://example.com/" + "x".repeat(2000)
                + "\",\"secret\":\"" + SECRET + "\"}").status()).isEqualTo(400);
        assertThat(server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"https://example.com/x\",\"secret\":\"short\"}")
                .errorCode()).isEqualTo("invalid_input");
        assertThat(server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"https://example.com/x\",\"secret\":\""
                + "y".repeat(201) + "\"}").status()).isEqualTo(400);
        TestServer.Answer unknownEvent = server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"https://example.com/x\","
                + "\"secret\":\"" + SECRET + "\",\"events\":[\"conversation.exploded\"]}");
        assertThat(unknownEvent.status()).isEqualTo(400);
        assertThat(unknownEvent.body()).contains("events[0]");
        assertThat(server.admin("GET", "/api/v1/webhooks", null).path("items")).isEmpty();

        TestServer.Answer created = server.post("/api/v1/webhooks", TestServer.ADMIN, "{\"url\":\"https://example.com/hook\","
                + "\"secret\":\"" + SECRET + "\",\"events\":[\"conversation.closed\",\"conversation.created\"]}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(created.json().path("events")).extracting(JsonNode::asText)
                .containsExactly("conversation.created", "conversation.closed");
        String id = created.json().path("id").asText();
        TestServer.Answer listed = server.get("/api/v1/webhooks", TestServer.ADMIN);
        assertThat(listed.body()).doesNotContain(SECRET).contains("https://example.com/hook");
        assertThat(listed.json().path("items")).singleElement().satisfies(w -> assertThat(w.path("id").asText()).isEqualTo(id));

        assertThat(server.call("DELETE", "/api/v1/webhooks/" + id, TestServer.ADMIN, null).status()).isEqualTo(204);
        assertThat(server.admin("GET", "/api/v1/webhooks", null).path("items")).isEmpty();
        assertThat(server.call("DELETE", "/api/v1/webhooks/" + id, TestServer.ADMIN, null).status()).isEqualTo(404);
    }

    private static JsonNode byEvent(List<Received> events, String event) {
        return events.stream().filter(r -> r.event().equals(event)).findFirst().orElseThrow().json();
    }
}
