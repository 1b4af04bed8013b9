package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.convrouter.ops.Metrics;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.convrouter.support.Json;
import org.junit.jupiter.api.Test;

/**
 * The service listens while its first rule set is compiled and checked: until that rule set is in
 * force every request but liveness answers 503 "starting" in the documented error shape, and none
 * reaches a handler (the services here are absent: a request that got through would fail with 500).
 */
class StartingTest {

    private final HttpClient client = HttpClient.newHttpClient();

    private HttpResponse<String> send(int port, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer not-checked-yet").header("Content-Type", "application/json").build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void untilTheFirstRuleSetIsInForceEveryRequestButLivenessIsToldTheServiceIsStarting() throws Exception {
        ActiveRules rules = new ActiveRules();
        HttpApi http = new HttpApi(new Access(null, null), new DirectoryRoutes(null, null, null, null, null),
                new ConversationRoutes(null, null), new RuleRoutes(null, null),
                new OpsRoutes(rules, new OpsRoutes.Checks(() -> true, () -> false, () -> true,
                        () -> new org.convrouter.outbox.Notifications.Health("unconfigured", false)), new Metrics()),
                new OutboxRoutes(null, null), new Metrics(), rules::hasRuleSet).start("127.0.0.1", 0);
        try {
            for (String[] request : new String[][] {{"GET", "/health"}, {"POST", "/api/v1/conversations"},
                    {"GET", "/api/v1/rules"}, {"GET", "/"}}) {
                HttpResponse<String> starting = send(http.port(), request[0], request[1]);
                assertThat(starting.statusCode()).as(request[1]).isEqualTo(503);
                assertThat(starting.headers().firstValue("Retry-After")).hasValue("1");
                JsonNode error = Json.mapper().readTree(starting.body()).path("error");
                assertThat(error.path("code").asText()).isEqualTo("starting");
                assertThat(error.path("message").asText()).contains("starting");
                assertThat(error.path("details").isArray()).isTrue();
            }
            assertThat(send(http.port(), "GET", "/health/live").statusCode()).isEqualTo(200);

            RuleSet first = new RuleSetCompiler().compile(Path.of("rules"));
            rules.activate(first);
            HttpResponse<String> health = send(http.port(), "GET", "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(health.body()).path("ruleSetVersion").asText()).isEqualTo(first.version());
        } finally {
            http.stop();
        }
    }

    @Test
    void aPendingHolderHasNoRuleSetUntilTheFirstActivation() {
        ActiveRules rules = new ActiveRules();
        assertThat(rules.hasRuleSet()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(rules::current).isInstanceOf(IllegalStateException.class);
    }
}
