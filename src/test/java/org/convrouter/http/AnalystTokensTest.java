package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analyst tokens (api.md v1.1): issued, listed and revoked by the admin; named in the rules history. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnalystTokensTest {

    @TempDir
    static Path folder;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(folder);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void the_admin_issues_an_analyst_token_and_the_list_shows_its_id_name_and_creation_never_the_secret() {
        TestServer.Answer issued = server.post("/api/v1/analyst-tokens", TestServer.ADMIN, "{\"name\":\"Listing team\"}");
        assertThat(issued.status()).isEqualTo(201);
        String id = issued.json().get("id").asText();
        String token = issued.json().get("token").asText();
        assertThat(issued.json().get("name").asText()).isEqualTo("Listing team");

        TestServer.Answer list = server.get("/api/v1/analyst-tokens", TestServer.ADMIN);
        assertThat(list.status()).isEqualTo(200);
        JsonNode item = null;
        for (JsonNode candidate : list.json().get("items")) {
            if (candidate.get("id").asText().equals(id)) {
                item = candidate;
            }
        }
        assertThat(item).as(list.body()).isNotNull();
        assertThat(item.get("name").asText()).isEqualTo("Listing team");
        assertThat(item.get("createdAt").asText()).isNotBlank();
        assertThat(item.has("token")).isFalse();
        assertThat(list.body()).doesNotContain(token);
    }

    @Test
    void GET_me_says_an_analyst_token_is_an_analyst_with_its_name() {
        String token = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Pricing team\"}").get("token").asText();
        JsonNode me = server.get("/api/v1/me", token).json();
        assertThat(me.get("kind").asText()).isEqualTo("analyst");
        assertThat(me.get("name").asText()).isEqualTo("Pricing team");
        assertThat(me.get("userId").isNull()).isTrue();
    }

    @Test
    void a_revoked_analyst_token_answers_401_at_once_and_revoking_it_again_is_not_found() {
        JsonNode issued = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Short-lived\"}");
        String token = issued.get("token").asText();
        String id = issued.get("id").asText();
        assertThat(server.get("/api/v1/rules", token).status()).isEqualTo(200);

        assertThat(server.call("DELETE", "/api/v1/analyst-tokens/" + id, TestServer.ADMIN, null).status()).isEqualTo(204);

        TestServer.Answer after = server.get("/api/v1/rules", token);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errorCode()).isEqualTo("unauthorized");
        assertThat(server.get("/api/v1/analyst-tokens", TestServer.ADMIN).body()).doesNotContain(id);
        TestServer.Answer again = server.call("DELETE", "/api/v1/analyst-tokens/" + id, TestServer.ADMIN, null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("not_found");
    }

    @Test
    void an_analyst_token_needs_a_name() {
        for (String body : new String[] {"{}", "{\"name\":\"\"}", "{\"name\":\"x\",\"id\":\"chosen\"}"}) {
            TestServer.Answer refused = server.post("/api/v1/analyst-tokens", TestServer.ADMIN, body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_input");
        }
    }

    @Test
    void the_rules_history_names_the_analyst_token_that_uploaded_a_file_and_the_admin_that_reloaded() throws Exception {
        JsonNode issued = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"History team\"}");
        String token = issued.get("token").asText();
        String id = issued.get("id").asText();
        Path file = server.rulesDir().resolve("manual-assignment.drl");
        String changed = Files.readString(file) + "\n// a comment from the history team\n";

        TestServer.Answer upload = server.put("/api/v1/rules/files/manual-assignment.drl", token, changed);
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        assertThat(upload.json().at("/lastReload/triggeredBy").asText())
                .isEqualTo("upload of manual-assignment.drl by analyst 'History team' (id " + id + ")");

        JsonNode newest = server.get("/api/v1/rules/history", token).json().get("items").get(0);
        assertThat(newest.get("triggeredBy").asText())
                .isEqualTo("upload of manual-assignment.drl by analyst 'History team' (id " + id + ")");

        Files.writeString(file, Files.readString(file) + "// and one from the admin\n");
        TestServer.Answer reload = server.post("/api/v1/rules/reload", TestServer.ADMIN, null);
        assertThat(reload.status()).as(reload.body()).isEqualTo(200);
        assertThat(reload.json().at("/lastReload/triggeredBy").asText()).isEqualTo("reload by admin");
        // The folder watcher may activate the saved file a moment before the admin's reload does.
        JsonNode newestNow = server.get("/api/v1/rules/history", TestServer.ADMIN).json().at("/items/0");
        assertThat(newestNow.get("version").asText()).isEqualTo(reload.json().get("version").asText());
        assertThat(newestNow.get("triggeredBy").asText()).isIn("reload by admin", "file change in " + server.rulesDir());
    }

    @Test
    void an_analyst_with_a_long_name_is_named_in_full_in_the_history() throws Exception {
        String name = "A".repeat(200);
        JsonNode issued = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"" + name + "\"}");
        Path file = server.rulesDir().resolve("manual-assignment.drl");
        TestServer.Answer upload = server.put("/api/v1/rules/files/manual-assignment.drl", issued.get("token").asText(),
                Files.readString(file) + "\n// long names fit\n");
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        assertThat(server.get("/api/v1/rules/history", TestServer.ADMIN).json().at("/items/0/triggeredBy").asText())
                .contains("analyst '" + name + "' (id " + issued.get("id").asText() + ")");
    }

    @Test
    void an_analyst_token_is_refused_outside_the_rules_in_the_documented_error_shape() {
        String token = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Nosy team\"}").get("token").asText();
        for (String path : new String[] {"/api/v1/users", "/api/v1/analyst-tokens", "/api/v1/conversations", "/api/v1/contacts"}) {
            TestServer.Answer refused = server.get(path, token);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("forbidden");
            assertThat(refused.json().at("/error/message").asText()).contains("analyst token");
            assertThat(refused.json().at("/error/details").isArray()).isTrue();
        }
    }
}
