package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.convrouter.support.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /api/v1/rules/validate: the validate command's report over HTTP, with nothing going live. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RulesValidateTest {

    @TempDir
    static Path folder;

    static TestServer server;
    static String analyst;

    @BeforeAll
    static void start() {
        server = TestServer.start(folder);
        analyst = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Validators\"}").get("token").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TestServer.Answer validate(String token, String fileName, String text) {
        var body = Json.mapper().createObjectNode();
        body.putObject("files").put(fileName, text);
        return server.post("/api/v1/rules/validate", token, body.toString());
    }

    @Test
    void the_active_rules_pass_with_every_scenario_listed() {
        TestServer.Answer answer = server.post("/api/v1/rules/validate", analyst, "{\"files\":{}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode report = answer.json();
        assertThat(report.get("status").asText()).isEqualTo("pass");
        assertThat(report.get("version").asText()).isEqualTo(server.get("/health", null).json().get("ruleSetVersion").asText());
        assertThat(report.get("errors")).isEmpty();
        assertThat(report.get("scenarios").size()).isGreaterThan(10);
        report.get("scenarios").forEach(s -> {
            assertThat(s.get("status").asText()).isEqualTo("pass");
            assertThat(s.get("file").asText()).startsWith("scenarios/");
            assertThat(s.get("name").asText()).isNotBlank();
        });
    }

    @Test
    void a_file_that_does_not_compile_is_reported_with_file_line_and_column_and_nothing_goes_live() {
        String before = server.get("/api/v1/rules", TestServer.ADMIN).json().get("version").asText();
        TestServer.Answer answer = validate(analyst, "typo.drl", "package policy;\nimport org.convrouter.routing.Candidate;\n"
                + "rule \"typo\"\nwhen\n    Candidate( paidSet )\nthen\nend\n");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode report = answer.json();
        assertThat(report.get("status").asText()).isEqualTo("fail");
        assertThat(report.get("version").isNull()).isTrue();
        assertThat(report.get("scenarios")).isEmpty();
        JsonNode error = report.get("errors").get(0);
        assertThat(error.get("file").asText()).isEqualTo("typo.drl");
        assertThat(error.get("line").asInt()).isEqualTo(5);
        assertThat(error.get("message").asText()).contains("paidSet");

        assertThat(server.get("/api/v1/rules", TestServer.ADMIN).json().get("version").asText()).isEqualTo(before);
        assertThat(Files.exists(server.rulesDir().resolve("typo.drl"))).isFalse();
    }

    @Test
    void a_change_that_breaks_scenarios_is_reported_with_expected_and_actual_and_does_not_go_live() throws Exception {
        JsonNode rulesBefore = server.get("/api/v1/rules", TestServer.ADMIN).json();
        String onDisk = Files.readString(server.rulesDir().resolve("strategy.drl"));
        String strategy = onDisk
                .replace("$decision.useStrategy( Strategy.RANDOM );", "$decision.useStrategy( Strategy.LEAST_BUSY );");

        TestServer.Answer answer = validate(TestServer.ADMIN, "strategy.drl", strategy);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode report = answer.json();
        assertThat(report.get("status").asText()).isEqualTo("fail");
        assertThat(report.get("errors")).isEmpty();
        JsonNode failed = null;
        for (JsonNode s : report.get("scenarios")) {
            if (s.get("name").asText().equals("R3: email goes to a random eligible user")) {
                failed = s;
            }
        }
        assertThat(failed).as(report.toString()).isNotNull();
        assertThat(failed.get("status").asText()).isEqualTo("fail");
        assertThat(failed.get("file").asText()).isEqualTo("scenarios/strategy.json");
        assertThat(failed.get("expected").asText()).contains("random");
        assertThat(failed.get("actual").asText()).contains("least_busy");

        JsonNode rulesAfter = server.get("/api/v1/rules", TestServer.ADMIN).json();
        assertThat(rulesAfter.get("version")).isEqualTo(rulesBefore.get("version"));
        assertThat(rulesAfter.get("lastReload")).isEqualTo(rulesBefore.get("lastReload"));
        assertThat(Files.readString(server.rulesDir().resolve("strategy.drl"))).isEqualTo(onDisk);
        assertThat(server.get("/health", null).json().get("rules").asText()).isEqualTo("ok");
    }

    @Test
    void unsafe_file_names_and_missing_files_answer_400_and_change_nothing() {
        for (String name : new String[] {"../evil.drl", "scenarios/x.json", ".hidden.drl", "notes.txt"}) {
            TestServer.Answer refused = validate(analyst, name, "package policy;\n");
            assertThat(refused.status()).as(name).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_input");
            assertThat(refused.json().at("/error/message").asText()).startsWith("name:");
        }
        for (String body : new String[] {"{}", "{\"files\":null}", "{\"files\":{\"a.drl\":\"\"}}", "{\"files\":[\"a.drl\"]}",
                "{\"files\":{},\"extra\":1}"}) {
            TestServer.Answer refused = server.post("/api/v1/rules/validate", analyst, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_input");
        }
    }

    @Test
    void user_and_integration_tokens_may_not_validate() {
        String user = server.admin("POST", "/api/v1/users",
                "{\"id\":\"val-user\",\"name\":\"V\",\"email\":\"v@example.com\",\"seat\":\"service\"}").get("token").asText();
        String integration = server.admin("POST", "/api/v1/integration-tokens", "{\"name\":\"val\"}").get("token").asText();
        for (String token : new String[] {user, integration}) {
            TestServer.Answer refused = server.post("/api/v1/rules/validate", token, "{\"files\":{}}");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("forbidden");
        }
    }
}
