package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How tokens end (docs/security.md): a deactivated user's tokens, listing and revoking integration
 * tokens, tokens with an end, rotating the admin token, and what an integration token may not set.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TokenLifecycleTest {

    @TempDir
    static Path folder;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(folder.resolve("shared"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    // --- deactivation ---------------------------------------------------------------------------

    @Test
    void deactivating_a_user_revokes_its_token_at_once_and_reactivating_does_not_bring_it_back() {
        String token = server.admin("POST", "/api/v1/users",
                "{\"id\":\"dee\",\"name\":\"Dee\",\"email\":\"dee@example.com\",\"seat\":\"service\"}").get("token").asText();
        assertThat(server.get("/api/v1/me", token).status()).isEqualTo(200);

        server.admin("PATCH", "/api/v1/users/dee", "{\"active\":false}");

        TestServer.Answer refused = server.get("/api/v1/me", token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo("unauthorized");

        server.admin("PATCH", "/api/v1/users/dee", "{\"active\":true}");
        assertThat(server.get("/api/v1/me", token).status()).as("revoked, not merely suspended").isEqualTo(401);
        String renewed = server.admin("POST", "/api/v1/users/dee/token", null).get("token").asText();
        assertThat(server.get("/api/v1/me", renewed).status()).isEqualTo(200);
    }

    @Test
    void a_token_issued_to_an_inactive_user_does_not_authenticate_until_the_user_is_active() {
        String token = server.admin("POST", "/api/v1/users",
                "{\"id\":\"ina\",\"name\":\"Ina\",\"email\":\"ina@example.com\",\"seat\":\"none\",\"active\":false}")
                .get("token").asText();

        TestServer.Answer refused = server.get("/api/v1/me", token);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().at("/error/message").asText()).contains("deactivated");

        server.admin("PATCH", "/api/v1/users/ina", "{\"active\":true}");
        assertThat(server.get("/api/v1/me", token).status()).isEqualTo(200);
    }

    // --- integration tokens ---------------------------------------------------------------------

    @Test
    void the_admin_lists_integration_tokens_without_secrets_and_a_revoked_one_answers_401() {
        JsonNode issued = server.admin("POST", "/api/v1/integration-tokens", "{\"id\":\"webform\",\"name\":\"Web form\"}");
        String token = issued.get("token").asText();
        assertThat(server.post("/api/v1/contacts", token, "{\"name\":\"Walk-in\"}").status()).isEqualTo(201);

        TestServer.Answer list = server.get("/api/v1/integration-tokens", TestServer.ADMIN);
        assertThat(list.status()).isEqualTo(200);
        JsonNode item = itemWithId(list.json(), "webform");
        assertThat(item.get("name").asText()).isEqualTo("Web form");
        assertThat(item.get("createdAt").asText()).isNotBlank();
        assertThat(item.get("expiresAt").isNull()).isTrue();
        assertThat(item.has("token")).isFalse();
        assertThat(list.body()).doesNotContain(token);

        assertThat(server.call("DELETE", "/api/v1/integration-tokens/webform", TestServer.ADMIN, null).status()).isEqualTo(204);

        TestServer.Answer after = server.post("/api/v1/contacts", token, "{\"name\":\"Walk-in\"}");
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errorCode()).isEqualTo("unauthorized");
        assertThat(server.get("/api/v1/integration-tokens", TestServer.ADMIN).body()).doesNotContain("webform");
        TestServer.Answer again = server.call("DELETE", "/api/v1/integration-tokens/webform", TestServer.ADMIN, null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.errorCode()).isEqualTo("not_found");
    }

    @Test
    void an_integration_token_cannot_revoke_or_list_tokens() {
        String token = server.admin("POST", "/api/v1/integration-tokens", "{\"id\":\"nosy\",\"name\":\"Nosy\"}").get("token").asText();
        assertThat(server.get("/api/v1/integration-tokens", token).status()).isEqualTo(403);
        assertThat(server.call("DELETE", "/api/v1/integration-tokens/nosy", token, null).status()).isEqualTo(403);
        assertThat(server.post("/api/v1/admin-token/rotate", token, null).status()).isEqualTo(403);
        assertThat(server.get("/api/v1/me", token).status()).isEqualTo(200);
    }

    // --- expiry ---------------------------------------------------------------------------------

    @Test
    void an_end_in_the_past_or_not_a_date_is_refused_and_no_token_is_made() {
        for (String path : new String[] {"/api/v1/integration-tokens", "/api/v1/analyst-tokens"}) {
            for (String expiresAt : new String[] {"\"2020-01-01T00:00:00Z\"", "\"tomorrow\"", "\"2030-01-01\"", "42"}) {
                TestServer.Answer refused = server.post(path, TestServer.ADMIN,
                        "{\"name\":\"late\",\"expiresAt\":" + expiresAt + "}");
                assertThat(refused.status()).as(path + " " + expiresAt + ": " + refused.body()).isEqualTo(400);
                assertThat(refused.errorCode()).isEqualTo("invalid_input");
                assertThat(refused.json().at("/error/message").asText()).startsWith("expiresAt");
            }
            assertThat(server.get(path, TestServer.ADMIN).body()).doesNotContain("\"late\"");
        }
    }

    @Test
    void a_token_with_an_end_works_until_then_and_answers_401_expired_after() throws Exception {
        Instant end = Instant.now().plus(1500, ChronoUnit.MILLIS).truncatedTo(ChronoUnit.MILLIS);
        JsonNode integration = server.admin("POST", "/api/v1/integration-tokens",
                "{\"id\":\"brief\",\"name\":\"Brief\",\"expiresAt\":\"" + end + "\"}");
        JsonNode analyst = server.admin("POST", "/api/v1/analyst-tokens",
                "{\"name\":\"Brief analyst\",\"expiresAt\":\"" + end + "\"}");
        assertThat(Instant.parse(integration.get("expiresAt").asText())).isEqualTo(end);
        assertThat(Instant.parse(itemWithId(server.get("/api/v1/integration-tokens", TestServer.ADMIN).json(), "brief")
                .get("expiresAt").asText())).isEqualTo(end);
        assertThat(Instant.parse(itemWithId(server.get("/api/v1/analyst-tokens", TestServer.ADMIN).json(),
                analyst.get("id").asText()).get("expiresAt").asText())).isEqualTo(end);
        assertThat(server.get("/api/v1/me", integration.get("token").asText()).status()).isEqualTo(200);
        assertThat(server.get("/api/v1/rules", analyst.get("token").asText()).status()).isEqualTo(200);

        while (!Instant.now().isAfter(end.plusMillis(50))) {
            Thread.sleep(50);
        }

        for (String token : new String[] {integration.get("token").asText(), analyst.get("token").asText()}) {
            TestServer.Answer expired = server.get("/api/v1/me", token);
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.errorCode()).isEqualTo("unauthorized");
            assertThat(expired.json().at("/error/message").asText()).contains("expired");
        }
    }

    // --- what an integration may set --------------------------------------------------------------

    @Test
    void an_integration_token_setting_a_contacts_owner_is_refused_and_nothing_is_made() {
        server.admin("POST", "/api/v1/users", "{\"id\":\"owen\",\"name\":\"Owen\",\"email\":\"owen@example.com\",\"seat\":\"sales\"}");
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"kept\",\"email\":\"kept@customer.test\",\"name\":\"Kept\"}");
        String token = server.admin("POST", "/api/v1/integration-tokens", "{\"id\":\"intake\",\"name\":\"Intake\"}")
                .get("token").asText();

        for (String owner : new String[] {"owen", "nobody-like-this"}) {
            TestServer.Answer refused = server.post("/api/v1/contacts", token,
                    "{\"id\":\"owned-" + owner + "\",\"email\":\"" + owner + "@customer.test\",\"owner\":\"" + owner + "\"}");
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("forbidden");
            assertThat(refused.json().at("/error/message").asText()).startsWith("owner:").doesNotContain("unknown");
            assertThat(server.get("/api/v1/contacts/owned-" + owner, TestServer.ADMIN).status()).isEqualTo(404);
        }
        TestServer.Answer patch = server.patch("/api/v1/contacts/kept", token, "{\"owner\":\"owen\"}");
        assertThat(patch.status()).isEqualTo(403);
        assertThat(server.admin("GET", "/api/v1/contacts/kept", null).get("owner").isNull()).isTrue();
        // The embedded contact of a routing request carries no owner at all.
        TestServer.Answer embedded = server.post("/api/v1/conversations", token,
                "{\"channelId\":\"none\",\"contact\":{\"email\":\"x@customer.test\",\"owner\":\"owen\"},\"message\":{\"text\":\"hi\"}}");
        assertThat(embedded.status()).isEqualTo(400);
        assertThat(server.get("/api/v1/contacts?limit=500", TestServer.ADMIN).body()).doesNotContain("x@customer.test");

        // What an intake knows it may set; the admin may set the owner.
        assertThat(server.post("/api/v1/contacts", token,
                "{\"id\":\"walkin\",\"email\":\"walkin@customer.test\",\"name\":\"Walk-in\",\"cookieTracked\":true}").status())
                .isEqualTo(201);
        TestServer.Answer admin = server.post("/api/v1/contacts", TestServer.ADMIN,
                "{\"id\":\"owned\",\"email\":\"owned@customer.test\",\"owner\":\"owen\"}");
        assertThat(admin.status()).isEqualTo(201);
        assertThat(admin.json().get("owner").asText()).isEqualTo("owen");
    }

    // --- the admin token ------------------------------------------------------------------------

    @Test
    void rotating_the_admin_token_hands_out_a_new_one_once_and_the_old_one_answers_401_at_once(@TempDir Path own) {
        try (TestServer rotating = TestServer.start(own)) {
            TestServer.Answer rotated = rotating.post("/api/v1/admin-token/rotate", TestServer.ADMIN, null);
            assertThat(rotated.status()).isEqualTo(200);
            String token = rotated.json().get("token").asText();
            assertThat(token).startsWith("adm_").isNotEqualTo(TestServer.ADMIN);

            TestServer.Answer old = rotating.get("/api/v1/users", TestServer.ADMIN);
            assertThat(old.status()).isEqualTo(401);
            assertThat(old.errorCode()).isEqualTo("unauthorized");
            assertThat(rotating.get("/api/v1/users", token).status()).isEqualTo(200);
            String user = rotating.post("/api/v1/users", token,
                    "{\"id\":\"u\",\"name\":\"U\",\"email\":\"u@example.com\",\"seat\":\"none\"}").json().get("token").asText();
            assertThat(rotating.post("/api/v1/admin-token/rotate", user, null).status()).isEqualTo(403);
            assertThat(rotating.get("/api/v1/users", token).status()).as("a refused rotation changes nothing").isEqualTo(200);
        }
    }

    private static JsonNode itemWithId(JsonNode page, String id) {
        for (JsonNode item : page.get("items")) {
            if (item.get("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError("no item " + id + " in " + page);
    }
}
