package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations endpoints that need no token: readiness (/health) and liveness (/health/live). */
class OpsRoutesTest {

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void GET_health_live_answers_ok_as_json_without_a_token() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(server.base() + "/health/live")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void GET_health_answers_status_rule_set_version_database_and_rules_without_a_token() {
        TestServer.Answer health = server.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(health.json().get("ruleSetVersion").asText()).isEqualTo(server.app().rules().current().version());
        assertThat(health.json().get("database").asText()).isEqualTo("ok");
        assertThat(health.json().get("rules").asText()).isEqualTo("ok");
        // No mail server in tests, and no email waiting for one: reported, not degraded.
        assertThat(health.json().get("mail").asText()).isEqualTo("unconfigured");
    }

    @Test
    void GET_metrics_counts_routing_decisions_by_strategy_and_outcome() {
        server.seedOneAgentChat("mia", "ops", "ops-chat");
        String assigned = "routing_decisions_total{outcome=\"assigned\",strategy=\"least_busy\"}";
        double before = counter(assigned);

        for (String text : new String[] {"first", "second"}) {
            var routed = server.post("/api/v1/conversations", TestServer.ADMIN,
                    "{\"channelId\":\"ops-chat\",\"message\":{\"text\":\"" + text + "\"}}");
            assertThat(routed.status()).isEqualTo(201);
            assertThat(routed.json().get("assignee").get("id").asText()).isEqualTo("mia");
        }

        assertThat(counter(assigned) - before).isEqualTo(2);
    }

    private static double counter(String name) {
        return server.get("/metrics", null).body().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst().orElse(0);
    }

    @Test
    void GET_health_reports_the_active_rule_set_and_the_database() {
        var health = server.get("/health", null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"", "\"database\":\"ok\"",
                "\"ruleSetVersion\":\"" + server.app().rules().current().version() + "\"");
    }
}
