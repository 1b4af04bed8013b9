package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.convrouter.access.AuthFailureLimit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who may call what: every registered endpoint against every kind of token, as the contract
 * (docs api.md, "Auth") and {@link Access} say. One server for the class; the directory it needs
 * is built through the API in {@link #startServer()}.
 *
 * <p>The fixture: alice (sales) is a primary member of team {@code tA}; inbox {@code inA} is
 * restricted to {@code tA}, channel {@code chA} belongs to it, and conversations {@code convA} and
 * {@code convClose} arrived on it. bob (service) is in no team, so he cannot see {@code inA}: he is
 * the "outsider". An integration token and contact {@code c1} exist as well.
 *
 * <p>The matrix runs last: its row for rotating the admin token replaces the admin token, which
 * the other tests use as {@link TestServer#ADMIN}; the matrix carries on with the new one.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessMatrixTest {

    @TempDir
    static Path folder;

    static TestServer server;

    /** The current token of each kind; renewing a user token replaces the entry. */
    static final Map<Kind, String> tokens = new ConcurrentHashMap<>();

    enum Kind { NONE, BOGUS, ADMIN, USER, OUTSIDER, INTEGRATION, ANALYST }

    /** An analyst token the matrix revokes: the path's {doomed}. */
    static String doomedAnalystTokenId;

    /** An integration token the matrix revokes: the path's {doomedIntegration}. */
    static String doomedIntegrationTokenId;
    /** A webhook the matrix deletes: the path's {doomedHook}. */
    static String doomedWebhookId;

    @BeforeAll
    static void startServer() {
        // The matrix sends about a hundred requests without a valid token, on purpose: far more than
        // the allowance of failed authentications per address (AuthFailureLimitTest checks that one).
        server = TestServer.start(folder, null, new AuthFailureLimit(1_000_000, 1_000_000, 10));
        tokens.put(Kind.BOGUS, "usr_this-token-was-never-issued");
        tokens.put(Kind.ADMIN, TestServer.ADMIN);
        tokens.put(Kind.USER, server.admin("POST", "/api/v1/users",
                "{\"id\":\"alice\",\"name\":\"Alice\",\"email\":\"alice@example.com\",\"seat\":\"sales\",\"available\":true}")
                .get("token").asText());
        tokens.put(Kind.OUTSIDER, server.admin("POST", "/api/v1/users",
                "{\"id\":\"bob\",\"name\":\"Bob\",\"email\":\"bob@example.com\",\"seat\":\"service\",\"available\":true}")
                .get("token").asText());
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tA\",\"name\":\"Team A\",\"primaryMembers\":[\"alice\"]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"inA\",\"name\":\"Inbox A\",\"teams\":[\"tA\"]}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chA\",\"inboxId\":\"inA\",\"kind\":\"chat\",\"name\":\"Chat A\"}");
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"c1\",\"email\":\"c1@example.com\",\"name\":\"Customer One\"}");
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"convA\",\"channelId\":\"chA\",\"contactId\":\"c1\","
                + "\"message\":{\"text\":\"Hello\"}}");
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"convClose\",\"channelId\":\"chA\",\"contactId\":\"c1\","
                + "\"message\":{\"text\":\"Please close me\"}}");
        tokens.put(Kind.INTEGRATION, server.admin("POST", "/api/v1/integration-tokens", "{\"name\":\"web form\"}")
                .get("token").asText());
        tokens.put(Kind.ANALYST, server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Pricing team\"}")
                .get("token").asText());
        doomedAnalystTokenId = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Doomed\"}").get("id").asText();
        doomedIntegrationTokenId = server.admin("POST", "/api/v1/integration-tokens", "{\"name\":\"Doomed\"}").get("id").asText();
        doomedWebhookId = server.admin("POST", "/api/v1/webhooks",
                "{\"url\":\"http://127.0.0.1:9/doomed\",\"secret\":\"0123456789abcdef\"}").get("id").asText();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // --- the matrix ----------------------------------------------------------------------------

    private static final String USER_BODY = "{\"name\":\"New\",\"email\":\"new@example.com\",\"seat\":\"none\"}";
    private static final String ROUTING_BODY =
            "{\"autoAssign\":false,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"alice\"],\"teams\":[\"tA\"]},"
                    + "\"onlyAvailable\":true}";
    private static final String REQUEST_BODY = "{\"channelId\":\"chA\",\"message\":{\"text\":\"Hi there\"}}";
    private static final String RULE_FILE = "manual-assignment.drl";

    /**
     * One row per endpoint: method, path, body, then the status for the admin, for alice (a user
     * with access to inA), for bob (a user without access to inA, and not alice), and for an
     * integration token, then for an analyst token. A request without a token or with a bogus one answers 401 on every /api
     * endpoint and the ops endpoints need no token at all; {@link #matrix()} adds those columns.
     * The body "{rule}" stands for the current text of {@value #RULE_FILE}.
     */
    static final Row[] ROWS = {
        //   method   path                                                body                         admin user outsider integration analyst
        // the caller
        row("GET",   "/api/v1/me",                                    null,                               200, 200, 200, 200, 200),
        // users
        row("POST",  "/api/v1/users",                                 USER_BODY,                          201, 403, 403, 403, 403),
        row("GET",   "/api/v1/users",                                 null,                               200, 200, 200, 403, 403),
        row("GET",   "/api/v1/users/alice",                           null,                               200, 200, 200, 403, 403),
        row("PATCH", "/api/v1/users/alice",                           "{\"name\":\"Alice A.\"}",          200, 403, 403, 403, 403),
        row("PUT",   "/api/v1/users/alice/availability",              "{\"available\":true}",             200, 200, 403, 403, 403),
        row("POST",  "/api/v1/users/alice/token",                     null,                               201, 201, 403, 403, 403),
        // teams
        row("POST",  "/api/v1/teams",                                 "{\"name\":\"Another team\"}",      201, 403, 403, 403, 403),
        row("GET",   "/api/v1/teams",                                 null,                               200, 200, 200, 403, 403),
        row("GET",   "/api/v1/teams/tA",                              null,                               200, 200, 200, 403, 403),
        row("PATCH", "/api/v1/teams/tA",                  "{\"id\":\"tA\",\"name\":\"Team A\"}",            200, 403, 403, 403, 403),
        // inboxes
        row("POST",  "/api/v1/inboxes",                               "{\"name\":\"More\",\"teams\":[\"tA\"]}", 201, 403, 403, 403, 403),
        row("GET",   "/api/v1/inboxes",                               null,                               200, 200, 200, 403, 403),
        row("GET",   "/api/v1/inboxes/inA",                           null,                               200, 200, 403, 403, 403),
        row("PATCH", "/api/v1/inboxes/inA",                           "{\"name\":\"Inbox A\"}",           200, 403, 403, 403, 403),
        // channels and routing settings
        row("POST",  "/api/v1/channels",                              "{\"inboxId\":\"inA\",\"kind\":\"email\",\"name\":\"Mail\"}",
                                                                                                          201, 403, 403, 403, 403),
        row("GET",   "/api/v1/channels",                              null,                               200, 200, 200, 403, 403),
        row("GET",   "/api/v1/channels/chA",                          null,                               200, 200, 403, 403, 403),
        row("PATCH", "/api/v1/channels/chA",                          "{\"name\":\"Chat A\"}",            200, 403, 403, 403, 403),
        row("PUT",   "/api/v1/channels/chA/routing",                  ROUTING_BODY,                       200, 403, 403, 403, 403),
        row("GET",   "/api/v1/channels/chA/routing",                  null,                               200, 403, 403, 403, 403),
        // contacts
        row("POST",  "/api/v1/contacts",                              "{\"name\":\"Walk-in\"}",           201, 403, 403, 201, 403),
        row("GET",   "/api/v1/contacts",                              null,                               200, 200, 200, 403, 403),
        row("GET",   "/api/v1/contacts/c1",                           null,                               200, 200, 200, 403, 403),
        row("PATCH", "/api/v1/contacts/c1",                           "{\"name\":\"Customer One\"}",      200, 403, 403, 403, 403),
        // integration tokens
        row("POST",  "/api/v1/integration-tokens",                    "{\"name\":\"another\"}",           201, 403, 403, 403, 403),
        row("GET",   "/api/v1/integration-tokens",                    null,                               200, 403, 403, 403, 403),
        row("DELETE", "/api/v1/integration-tokens/{doomedIntegration}", null,                             204, 403, 403, 403, 403),
        // the admin token (the matrix carries on with the new one)
        row("POST",  "/api/v1/admin-token/rotate",                    null,                               200, 403, 403, 403, 403),
        // analyst tokens
        row("POST",  "/api/v1/analyst-tokens",                        "{\"name\":\"another\"}",           201, 403, 403, 403, 403),
        row("GET",   "/api/v1/analyst-tokens",                        null,                               200, 403, 403, 403, 403),
        row("DELETE", "/api/v1/analyst-tokens/{doomed}",              null,                               204, 403, 403, 403, 403),
        // the account
        row("GET",   "/api/v1/account",                               null,                               200, 403, 403, 403, 403),
        row("PUT",   "/api/v1/account",                               "{\"timeZone\":\"UTC\"}",          200, 403, 403, 403, 403),
        // conversations
        row("POST",  "/api/v1/conversations",                         REQUEST_BODY,                       201, 403, 403, 201, 403),
        row("GET",   "/api/v1/conversations",                         null,                               200, 200, 200, 403, 403),
        row("GET",   "/api/v1/conversations/convA",                   null,                               200, 200, 403, 403, 403),
        row("POST",  "/api/v1/conversations/convA/assignment",        "{\"assignee\":{\"type\":\"user\",\"id\":\"alice\"}}",
                                                                                                          200, 200, 403, 403, 403),
        row("GET",   "/api/v1/conversations/convA/assignment-targets", null,                              200, 200, 403, 403, 403),
        row("GET",   "/api/v1/conversations/convA/messages",          null,                               200, 200, 403, 403, 403),
        row("POST",  "/api/v1/conversations/convA/replies",           "{\"text\":\"On it\",\"byUserId\":\"alice\"}",
                                                                                                          201, 201, 403, 403, 403),
        row("GET",   "/api/v1/conversations/convA/decision",          null,                               200, 200, 403, 403, 200),
        row("GET",   "/api/v1/conversations/convA/decisions",         null,                               200, 200, 403, 403, 200),
        row("POST",  "/api/v1/conversations/convClose/close",         null,                               200, 200, 403, 403, 403),
        row("POST",  "/api/v1/routing/simulate",                      REQUEST_BODY,                       200, 403, 403, 403, 200),
        // rules
        row("GET",   "/api/v1/rules",                                 null,                               200, 403, 403, 403, 200),
        row("GET",   "/api/v1/rules/history",                         null,                               200, 403, 403, 403, 200),
        row("POST",  "/api/v1/rules/reload",                          null,                               200, 403, 403, 403, 200),
        row("PUT",   "/api/v1/rules/files/" + RULE_FILE,              "{rule}",                           200, 403, 403, 403, 200),
        row("POST",  "/api/v1/rules/validate",                        "{\"files\":{}}",                   200, 403, 403, 403, 200),
        // notifications and webhooks
        row("GET",   "/api/v1/notifications",                         null,                               200, 403, 403, 403, 403),
        row("POST",  "/api/v1/webhooks",            "{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef\"}",
                                                                                                          201, 403, 403, 403, 403),
        row("GET",   "/api/v1/webhooks",                              null,                               200, 403, 403, 403, 403),
        row("DELETE", "/api/v1/webhooks/{doomedHook}",                null,                               204, 403, 403, 403, 403),
        // operations: no token needed, so every column (none and bogus too) answers 200
        row("GET",   "/health",                                       null,                               200, 200, 200, 200, 200),
        row("GET",   "/health/live",                                  null,                               200, 200, 200, 200, 200),
        row("GET",   "/metrics",                                      null,                               200, 200, 200, 200, 200),
        row("GET",   "/openapi.yaml",                                 null,                               200, 200, 200, 200, 200),
    };

    record Row(String method, String path, String body, int admin, int user, int outsider, int integration, int analyst) {
        boolean isApi() {
            return path.startsWith("/api/");
        }

        int expected(Kind kind) {
            return switch (kind) {
                case NONE, BOGUS -> isApi() ? 401 : 200;
                case ADMIN -> admin;
                case USER -> user;
                case OUTSIDER -> outsider;
                case INTEGRATION -> integration;
                case ANALYST -> analyst;
            };
        }
    }

    static Row row(String method, String path, String body, int admin, int user, int outsider, int integration, int analyst) {
        return new Row(method, path, body, admin, user, outsider, integration, analyst);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Row row : ROWS) {
            for (Kind kind : Kind.values()) {
                cases.add(Arguments.of(kind, row.method(), row.path(), row.expected(kind), row));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} token: {1} {2} answers {3}")
    @MethodSource("matrix")
    @Order(Integer.MAX_VALUE)
    void each_endpoint_answers_each_kind_of_token_as_the_contract_says(Kind kind, String method, String path, int expected,
                                                                      Row row) throws IOException {
        String body = "{rule}".equals(row.body()) ? Files.readString(server.rulesDir().resolve(RULE_FILE)) : row.body();
        TestServer.Answer answer = server.call(method, path.replace("{doomedHook}", doomedWebhookId)
                .replace("{doomed}", doomedAnalystTokenId).replace("{doomedIntegration}", doomedIntegrationTokenId),
                tokens.get(kind), body);

        assertThat(answer.status()).as("%s token: %s %s -> %s", kind, method, path, answer.body()).isEqualTo(expected);
        if (expected == 401 || expected == 403) {
            assertThat(answer.errorCode()).isEqualTo(expected == 401 ? "unauthorized" : "forbidden");
        }
        if (answer.status() / 100 == 2 && path.matches("/api/v1/users/[^/]+/token")) {
            // The renewal revoked the user's previous token; carry on with the new one.
            String user = path.split("/")[4];
            assertThat(user).isEqualTo("alice");
            tokens.put(Kind.USER, answer.json().get("token").asText());
        }
        if (answer.status() == 200 && path.equals("/api/v1/admin-token/rotate")) {
            String old = tokens.put(Kind.ADMIN, answer.json().get("token").asText());
            assertThat(server.get("/api/v1/me", old).status()).as("the old admin token").isEqualTo(401);
        }
    }

    /** With the matrix test above, every documented operation's success answer is checked against openapi.yaml by TestServer. */
    @Test
    void the_matrix_has_a_success_for_every_operation_openapi_yaml_documents() {
        Set<String> succeeding = new HashSet<>();
        for (Row row : ROWS) {
            for (Kind kind : Kind.values()) {
                if (row.expected(kind) / 100 == 2) {
                    OpenApiContract.get().operation(row.method(), row.path()).ifPresent(succeeding::add);
                }
            }
        }
        assertThat(succeeding).containsAll(OpenApiContract.get().operations());
    }

    @Test
    void the_matrix_covers_every_registered_endpoint() throws IOException {
        Set<String> registered = new HashSet<>();
        Path http = Path.of("src/main/java/org/convrouter/http");
        for (String file : List.of("DirectoryRoutes.java", "ConversationRoutes.java", "RuleRoutes.java", "OpsRoutes.java",
                "OutboxRoutes.java")) {
            var matcher = java.util.regex.Pattern.compile("routes\\.(get|post|put|patch|delete)\\(\"([^\"]+)\"")
                    .matcher(Files.readString(http.resolve(file)));
            while (matcher.find()) {
                registered.add(matcher.group(1).toUpperCase() + " " + matcher.group(2).replaceAll("\\{[^}]+}", "{}"));
            }
        }
        Set<String> covered = new HashSet<>();
        for (Row row : ROWS) {
            String path = row.path()
                    .replaceAll("^/api/v1/(users|teams|inboxes|channels|contacts|conversations|analyst-tokens|integration-tokens|webhooks)/[^/]+", "/api/v1/$1/{}")
                    .replaceAll("^/api/v1/rules/files/.+", "/api/v1/rules/files/{}");
            covered.add(row.method() + " " + path);
        }
        assertThat(registered).hasSizeGreaterThan(30);
        assertThat(covered).containsExactlyInAnyOrderElementsOf(registered);
    }

    // --- tokens --------------------------------------------------------------------------------

    @Test
    void tokens_are_kept_only_as_hashes_in_the_data_folder() throws Exception {
        JsonNode user = server.admin("POST", "/api/v1/users",
                "{\"id\":\"hashcheck\",\"name\":\"Marker-Name-7f3a\",\"email\":\"hash@example.com\",\"seat\":\"sales\"}");
        String userToken = user.get("token").asText();
        String integrationToken = server.admin("POST", "/api/v1/integration-tokens", "{\"name\":\"hash check\"}")
                .get("token").asText();
        assertThat(server.get("/api/v1/users/hashcheck", userToken).status()).isEqualTo(200);

        byte[] everything = allFileBytes(folder);
        // The files hold what was written (so the search below means something) ...
        assertThat(contains(everything, "Marker-Name-7f3a")).as("the user's name is in the data files").isTrue();
        assertThat(contains(everything, sha256Hex(userToken))).as("the user token's hash is in the data files").isTrue();
        // ... but never a token itself.
        for (String token : List.of(userToken, integrationToken, TestServer.ADMIN, tokens.get(Kind.USER),
                tokens.get(Kind.OUTSIDER), tokens.get(Kind.INTEGRATION), tokens.get(Kind.ANALYST))) {
            assertThat(contains(everything, token)).as("token %s... appears in the data folder", token.substring(0, 6)).isFalse();
        }
    }

    @Test
    void a_renewed_user_token_revokes_the_old_one() {
        String first = server.admin("POST", "/api/v1/users",
                "{\"id\":\"renewer\",\"name\":\"Renewer\",\"email\":\"renewer@example.com\",\"seat\":\"service\"}")
                .get("token").asText();
        assertThat(server.get("/api/v1/users/renewer", first).status()).isEqualTo(200);

        TestServer.Answer renewed = server.post("/api/v1/users/renewer/token", first, null);
        assertThat(renewed.status()).isEqualTo(201);
        String second = renewed.json().get("token").asText();
        assertThat(second).isNotEqualTo(first);

        TestServer.Answer old = server.get("/api/v1/users/renewer", first);
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.errorCode()).isEqualTo("unauthorized");
        assertThat(server.get("/api/v1/users/renewer", second).status()).isEqualTo(200);

        // The admin may renew it too, which again revokes the one before.
        String third = server.admin("POST", "/api/v1/users/renewer/token", null).get("token").asText();
        assertThat(server.get("/api/v1/users/renewer", second).status()).isEqualTo(401);
        assertThat(server.get("/api/v1/users/renewer", third).status()).isEqualTo(200);
    }

    @Test
    void M1_the_unassigned_view_lists_open_conversations_nobody_took_and_closed_ones_only_when_asked() {
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tM1\",\"name\":\"M1 team\"}"); // an inbox no other test's user sees
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"inM1\",\"name\":\"M1 inbox\",\"teams\":[\"tM1\"]}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chM1\",\"inboxId\":\"inM1\",\"kind\":\"email\",\"name\":\"M1 mail\"}");
        for (String id : List.of("m1-waiting", "m1-closed")) { // auto-assign is off by default (R0): both wait
            server.admin("POST", "/api/v1/conversations", "{\"id\":\"" + id + "\",\"channelId\":\"chM1\",\"message\":{\"text\":\"hi\"}}");
        }
        server.admin("POST", "/api/v1/conversations/m1-closed/close", null);

        String unassigned = "/api/v1/conversations?view=unassigned&inboxId=inM1";
        assertThat(ids(server.get(unassigned, TestServer.ADMIN))).containsExactly("m1-waiting");
        assertThat(ids(server.get(unassigned + "&status=closed", TestServer.ADMIN))).containsExactly("m1-closed");
        assertThat(ids(server.get("/api/v1/conversations?view=all&inboxId=inM1", TestServer.ADMIN)))
                .containsExactlyInAnyOrder("m1-waiting", "m1-closed");
    }

    @Test
    void a_user_token_lists_only_the_conversations_inboxes_and_channels_its_user_can_access() {
        server.admin("POST", "/api/v1/users",
                "{\"id\":\"vera\",\"name\":\"Vera\",\"email\":\"vera@example.com\",\"seat\":\"service\"}");
        String vera = server.admin("POST", "/api/v1/users/vera/token", null).get("token").asText();
        server.admin("POST", "/api/v1/users",
                "{\"id\":\"will\",\"name\":\"Will\",\"email\":\"will@example.com\",\"seat\":\"sales\"}");
        String will = server.admin("POST", "/api/v1/users/will/token", null).get("token").asText();
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tV\",\"name\":\"Team V\",\"primaryMembers\":[\"vera\"]}");
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tW\",\"name\":\"Team W\",\"primaryMembers\":[\"will\"]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"inV\",\"name\":\"Inbox V\",\"teams\":[\"tV\"]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"inW\",\"name\":\"Inbox W\",\"teams\":[\"tW\"]}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chV\",\"inboxId\":\"inV\",\"kind\":\"email\",\"name\":\"V mail\"}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chW\",\"inboxId\":\"inW\",\"kind\":\"email\",\"name\":\"W mail\"}");
        for (String id : List.of("v1", "v2")) {
            server.admin("POST", "/api/v1/conversations",
                    "{\"id\":\"" + id + "\",\"channelId\":\"chV\",\"message\":{\"text\":\"for V\"}}");
        }
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"w1\",\"channelId\":\"chW\",\"message\":{\"text\":\"for W\"}}");

        assertThat(ids(server.get("/api/v1/conversations?limit=500", vera))).contains("v1", "v2").doesNotContain("w1", "convA");
        assertThat(inboxIdsOfItems(server.get("/api/v1/conversations?limit=500", vera))).containsOnly("inV");
        assertThat(ids(server.get("/api/v1/conversations?limit=500", will))).containsExactly("w1");
        assertThat(ids(server.get("/api/v1/conversations?view=unassigned&limit=500", will))).containsExactly("w1");
        assertThat(ids(server.get("/api/v1/conversations?limit=500", TestServer.ADMIN))).contains("v1", "v2", "w1", "convA");

        // Naming an inbox it cannot see is refused rather than silently emptied.
        TestServer.Answer other = server.get("/api/v1/conversations?inboxId=inW", vera);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.errorCode()).isEqualTo("forbidden");
        assertThat(ids(server.get("/api/v1/conversations?inboxId=inV", vera))).containsExactlyInAnyOrder("v1", "v2");

        assertThat(ids(server.get("/api/v1/inboxes?limit=500", vera))).containsExactly("inV");
        assertThat(ids(server.get("/api/v1/channels?limit=500", will))).containsExactly("chW");
        assertThat(server.get("/api/v1/conversations/w1", vera).status()).isEqualTo(403);
        assertThat(server.get("/api/v1/conversations/v1", vera).status()).isEqualTo(200);
    }

    @Test
    void malformed_authorization_headers_answer_401() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        for (String header : List.of("Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer ", "Token " + TestServer.ADMIN,
                TestServer.ADMIN, "Bearer " + TestServer.ADMIN + "x", "Bearer " + "a".repeat(5_000))) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base() + "/api/v1/users"))
                    .header("Authorization", header).GET().build();
            var response = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("Authorization: %.30s", header).isEqualTo(401);
            assertThat(new TestServer.Answer(response.statusCode(), response.body()).errorCode()).isEqualTo("unauthorized");
        }
    }

    @Test
    void a_user_token_acts_only_as_its_own_user() {
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"convSelf\",\"channelId\":\"chA\",\"message\":{\"text\":\"Hi\"}}");
        // bob is named, but the token is alice's
        TestServer.Answer reply = server.post("/api/v1/conversations/convSelf/replies", tokens.get(Kind.USER),
                "{\"text\":\"I am bob\",\"byUserId\":\"bob\"}");
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().at("/error/message").asText()).contains("byUserId");
        // M2: a user takes an unassigned conversation for themselves only
        TestServer.Answer give = server.post("/api/v1/conversations/convSelf/assignment", tokens.get(Kind.USER),
                "{\"assignee\":{\"type\":\"team\",\"id\":\"tA\"}}");
        assertThat(give.status()).isEqualTo(403);
        assertThat(server.admin("GET", "/api/v1/conversations/convSelf", null).get("assignee").isNull()).isTrue();
        assertThat(server.admin("GET", "/api/v1/conversations/convSelf", null).get("messages")).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static List<String> ids(TestServer.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static List<String> inboxIdsOfItems(TestServer.Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("inboxId").asText()));
        return ids;
    }

    private static byte[] allFileBytes(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            var out = new java.io.ByteArrayOutputStream();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.write(Files.readAllBytes(file));
                out.write(0);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String sha256Hex(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    }
}
