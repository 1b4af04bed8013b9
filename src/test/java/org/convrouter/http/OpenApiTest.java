package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.convrouter.access.AuthFailureLimit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at GET /openapi.yaml against the running service: every operation
 * it lists answers (no "no such endpoint" 404), every route the *Routes classes register is in it,
 * it covers the contract of api.md, and its {@code security: []} marks match what needs a token.
 * The operations are read line by line (paths at two spaces, methods at four); the whole document
 * is also parsed by swagger-parser, as a client generator would read it, and must give no messages.
 */
class OpenApiTest {

    /** Every call api.md names. */
    private static final List<String> CONTRACT = List.of(
            "POST /api/v1/users", "GET /api/v1/users", "GET /api/v1/users/{id}", "PATCH /api/v1/users/{id}",
            "PUT /api/v1/users/{id}/availability", "POST /api/v1/users/{id}/token",
            "POST /api/v1/integration-tokens",
            "POST /api/v1/teams", "GET /api/v1/teams", "GET /api/v1/teams/{id}", "PATCH /api/v1/teams/{id}",
            "POST /api/v1/inboxes", "GET /api/v1/inboxes", "GET /api/v1/inboxes/{id}", "PATCH /api/v1/inboxes/{id}",
            "POST /api/v1/channels", "GET /api/v1/channels", "GET /api/v1/channels/{id}", "PATCH /api/v1/channels/{id}",
            "PUT /api/v1/channels/{id}/routing", "GET /api/v1/channels/{id}/routing",
            "POST /api/v1/contacts", "GET /api/v1/contacts", "GET /api/v1/contacts/{id}", "PATCH /api/v1/contacts/{id}",
            "POST /api/v1/conversations", "GET /api/v1/conversations", "GET /api/v1/conversations/{id}",
            "POST /api/v1/conversations/{id}/assignment", "POST /api/v1/conversations/{id}/replies",
            "POST /api/v1/conversations/{id}/close", "GET /api/v1/conversations/{id}/decision",
            "POST /api/v1/routing/simulate",
            "GET /api/v1/rules", "POST /api/v1/rules/reload", "PUT /api/v1/rules/files/{name}",
            "GET /health", "GET /metrics",
            // v1.1
            "POST /api/v1/analyst-tokens", "GET /api/v1/analyst-tokens", "DELETE /api/v1/analyst-tokens/{id}",
            "POST /api/v1/rules/validate", "GET /api/v1/integration-tokens", "DELETE /api/v1/integration-tokens/{id}",
            "GET /api/v1/notifications", "POST /api/v1/webhooks", "GET /api/v1/webhooks", "DELETE /api/v1/webhooks/{id}");

    /** The calls this service adds to the contract. */
    private static final List<String> ADDED = List.of(
            "GET /api/v1/rules/history", "GET /api/v1/conversations/{id}/assignment-targets", "GET /openapi.yaml",
            "GET /api/v1/me", "GET /health/live", "POST /api/v1/admin-token/rotate",
            "GET /api/v1/conversations/{id}/decisions");

    private static final Pattern PATH_LINE = Pattern.compile("^  (/\\S*):\\s*$");
    private static final Pattern METHOD_LINE = Pattern.compile("^    (get|put|post|patch|delete|head|options):\\s*$");
    private static final Pattern OPEN_LINE = Pattern.compile("^      security:\\s*\\[\\s*]\\s*$");
    private static final Pattern ROUTE_CALL = Pattern.compile("routes\\.(get|put|post|patch|delete)\\(\"([^\"]+)\"");

    @TempDir
    static Path dir;

    private static TestServer server;
    /** The admin token; calling every operation rotates it once (POST /api/v1/admin-token/rotate). */
    private static String admin = TestServer.ADMIN;
    private static String document;
    private static List<Operation> operations;

    /** One documented operation; {@code open} when it says {@code security: []}. */
    record Operation(String method, String path, boolean open) {
        String key() {
            return method + " " + path;
        }

        /** The path with every {param} replaced by "x". */
        String concretePath() {
            return path.replaceAll("\\{[^}]+}", "x");
        }
    }

    @BeforeAll
    static void start() {
        // Every operation is called once without a token, far past the allowance of failed
        // authentications per address (AuthFailureLimitTest checks that one).
        server = TestServer.start(dir, null, new AuthFailureLimit(1_000_000, 1_000_000, 10));
        TestServer.Answer answer = server.get("/openapi.yaml", null);
        assertThat(answer.status()).isEqualTo(200);
        document = answer.body();
        operations = parse(document);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<Operation> parse(String yaml) {
        List<Operation> found = new ArrayList<>();
        boolean inPaths = false;
        String path = null;
        for (String line : yaml.split("\\R")) {
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
                inPaths = line.startsWith("paths:");
                path = null;
                continue;
            }
            if (!inPaths) {
                continue;
            }
            Matcher p = PATH_LINE.matcher(line);
            Matcher m = METHOD_LINE.matcher(line);
            if (p.matches()) {
                path = p.group(1);
            } else if (m.matches() && path != null) {
                found.add(new Operation(m.group(1).toUpperCase(Locale.ROOT), path, false));
            } else if (OPEN_LINE.matcher(line).matches() && !found.isEmpty()) {
                Operation last = found.remove(found.size() - 1);
                found.add(new Operation(last.method(), last.path(), true));
            }
        }
        return found;
    }

    private static Set<String> documented() {
        Set<String> keys = new LinkedHashSet<>();
        operations.forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** The answer to a documented operation called as admin, with "{}" as the body where one is sent. */
    private static TestServer.Answer callAsAdmin(Operation op, String token) {
        boolean hasBody = Set.of("POST", "PUT", "PATCH").contains(op.method());
        return server.call(op.method(), op.concretePath(), token, hasBody ? "{}" : null);
    }

    private static boolean noSuchEndpoint(TestServer.Answer answer) {
        if (answer.status() == 405) {
            return true;
        }
        if (answer.status() != 404) {
            return false;
        }
        String message = answer.json().path("error").path("message").asText();
        return message.startsWith("Endpoint ") || message.startsWith("no such endpoint");
    }

    @Test
    void theDocumentIsAnOpenApi3YamlWithOperations() {
        assertThat(document).startsWith("openapi: 3.0");
        assertThat(document).contains("bearerAuth:", "scheme: bearer");
        assertThat(operations).hasSizeGreaterThan(30);
        assertThat(documented()).as("no operation is listed twice").hasSize(operations.size());
    }

    @Test
    void theDocumentIsValidYamlAndAValidOpenApiDocument() {
        assertThat(OpenApiContract.load().path("openapi").asText()).isEqualTo("3.0.3");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        assertThat(result.getMessages()).as("swagger-parser's messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api).isNotNull();
        assertThat(api.getPaths()).hasSizeGreaterThan(20);
        assertThat(api.getComponents().getSchemas()).containsKeys("Error", "User", "Conversation", "Decision");
    }

    /** OpenAPI 3.0 lets {@code nullable} widen only a {@code type} in the same schema; beside a bare allOf/$ref it means nothing. */
    @Test
    void nullableStandsOnlyBesideAType() {
        List<String> bare = new ArrayList<>();
        findBareNullables(OpenApiContract.load(), "", bare);
        assertThat(bare).as("schemas with nullable but no type (reference a Nullable* schema instead)").isEmpty();
    }

    private static void findBareNullables(JsonNode node, String where, List<String> bare) {
        if (node.path("nullable").asBoolean(false) && !node.has("type")) {
            bare.add(where);
        }
        if (node.isContainerNode()) {
            node.fields().forEachRemaining(f -> findBareNullables(f.getValue(), where + "/" + f.getKey(), bare));
            for (int i = 0; node.isArray() && i < node.size(); i++) {
                findBareNullables(node.get(i), where + "/" + i, bare);
            }
        }
    }

    @Test
    void everyDocumentedOperationIsImplemented() {
        List<String> missing = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        for (Operation op : operations) {
            TestServer.Answer answer = callAsAdmin(op, admin);
            if (op.key().equals("POST /api/v1/admin-token/rotate") && answer.status() == 200) {
                admin = answer.json().get("token").asText();
            }
            if (noSuchEndpoint(answer)) {
                missing.add(op.key() + " -> " + answer.status() + " " + answer.body());
            } else if (answer.status() >= 500) {
                failing.add(op.key() + " -> " + answer.status() + " " + answer.body());
            }
        }
        assertThat(missing).as("documented but not implemented").isEmpty();
        assertThat(failing).as("documented operations that answer a server error for an empty body").isEmpty();
    }

    @Test
    void theCheckTellsAMissingEndpointFromAnUnknownId() {
        assertThat(noSuchEndpoint(callAsAdmin(new Operation("GET", "/api/v1/no-such-thing/{id}", false), admin)))
                .isTrue();
        assertThat(noSuchEndpoint(callAsAdmin(new Operation("GET", "/api/v1/users/{id}", false), admin)))
                .isFalse();
    }

    @Test
    void everyCallOfTheContractIsDocumented() {
        assertThat(documented()).containsAll(CONTRACT);
    }

    @Test
    void theCallsAddedToTheContractAreDocumented() {
        assertThat(documented()).containsAll(ADDED);
    }

    @Test
    void everyRouteTheRoutesClassesRegisterIsDocumented() {
        Set<String> registered = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/java/org/convrouter/http"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("Routes.java")).toList()) {
                Matcher m = ROUTE_CALL.matcher(Files.readString(file));
                while (m.find()) {
                    registered.add(m.group(1).toUpperCase(Locale.ROOT) + " " + m.group(2));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(registered).hasSizeGreaterThan(30);
        assertThat(documented()).containsExactlyInAnyOrderElementsOf(registered);
    }

    @Test
    void operationsMarkedWithoutSecurityNeedNoTokenAndTheOthersDo() {
        List<String> wrong = new ArrayList<>();
        for (Operation op : operations) {
            TestServer.Answer answer = callAsAdmin(op, null);
            boolean refused = answer.status() == 401;
            if (op.open() == refused) {
                wrong.add(op.key() + (op.open() ? " is marked open" : " needs a token") + " but answered "
                        + answer.status() + " without one");
            }
        }
        assertThat(operations).filteredOn(Operation::open).extracting(Operation::key)
                .containsExactlyInAnyOrder("GET /health", "GET /health/live", "GET /metrics", "GET /openapi.yaml");
        assertThat(wrong).isEmpty();
    }
}
