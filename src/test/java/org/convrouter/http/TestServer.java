package org.convrouter.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.convrouter.App;
import org.convrouter.Config;
import org.convrouter.Policy;
import org.convrouter.access.AuthFailureLimit;
import org.convrouter.outbox.OutboxConfig;
import org.convrouter.support.Json;

/**
 * The whole service on a free port, with the embedded database in a temporary folder (or the
 * PostgreSQL URL given) and a copy of the repository's rules, driven over real HTTP. Every answer
 * is checked against openapi.yaml (see OpenApiContract), so a test fails when the service and its
 * document disagree.
 */
public final class TestServer implements AutoCloseable {

    public static final String ADMIN = "test-admin-token";

    private final App app;
    private final Path rules;
    private final HttpClient client = HttpClient.newHttpClient();

    private TestServer(App app, Path rules) {
        this.app = app;
        this.rules = rules;
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, null);
    }

    public static TestServer start(Path dataDir, String dbUrl) {
        return start(dataDir, dbUrl, UnaryOperator.identity());
    }

    /** With its own allowance of failed authentications (a test that sends many bad tokens on purpose). */
    public static TestServer start(Path dataDir, String dbUrl, AuthFailureLimit authFailureLimit) {
        return start(dataDir, dbUrl, config -> config.withAuthFailureLimit(authFailureLimit));
    }

    /** With these mail settings and retry schedule for the outboxes. */
    public static TestServer start(Path dataDir, String dbUrl, OutboxConfig outbox) {
        return start(dataDir, dbUrl, config -> config.withOutbox(outbox));
    }

    /** As {@link #start(Path, String)}, with the waiting queue swept every {@code queueSweep}. */
    public static TestServer start(Path dataDir, String dbUrl, java.time.Duration queueSweep) {
        return start(dataDir, dbUrl, config -> config.withQueueSweep(queueSweep));
    }

    /** With the test's defaults adjusted by {@code adjust}. */
    public static TestServer start(Path dataDir, String dbUrl, UnaryOperator<Config> adjust) {
        try {
            Path rules = dataDir.resolve("rules");
            Files.createDirectories(rules);
            Policy.copyRulesTo(rules);
            App app = App.start(adjust.apply(new Config("127.0.0.1", 0, dataDir.resolve("data"), rules, dbUrl, ADMIN)),
                    line -> { });
            return new TestServer(app, rules);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public App app() { return app; }

    public Path rulesDir() { return rules; }

    public String base() { return "http://127.0.0.1:" + app.port(); }

    /** One HTTP exchange; {@code body} may be null. */
    public Answer call(String method, String path, String token, String body) {
        return callWithBytes(method, path, token, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** One HTTP exchange with exactly these bytes as the body (which need not be UTF-8). */
    public Answer callWithBytes(String method, String path, String token, byte[] body) {
        HttpResponse<String> response = send(method, path, token, body);
        return new Answer(response.statusCode(), response.body());
    }

    /** One HTTP exchange, keeping the answer's headers. */
    public HttpResponse<String> exchange(String method, String path, String token) {
        return send(method, path, token, null);
    }

    /** Every answer is checked against the OpenAPI document before a test sees it. */
    private HttpResponse<String> send(String method, String path, String token, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            OpenApiContract.get().check(method, path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer get(String path, String token) { return call("GET", path, token, null); }
    public Answer post(String path, String token, String body) { return call("POST", path, token, body); }
    public Answer put(String path, String token, String body) { return call("PUT", path, token, body); }
    public Answer patch(String path, String token, String body) { return call("PATCH", path, token, body); }

    /** Posts as admin and insists on 2xx, returning the JSON. */
    public JsonNode admin(String method, String path, String body) {
        Answer answer = call(method, path, ADMIN, body);
        if (answer.status() / 100 != 2) {
            throw new AssertionError(method + " " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    /** A service user, an inbox open to everyone, and a chat channel in it routed automatically to that user. */
    public void seedOneAgentChat(String userId, String inboxId, String channelId) {
        admin("POST", "/api/v1/users", "{\"id\":\"" + userId + "\",\"name\":\"" + userId + "\",\"email\":\""
                + userId + "@example.com\",\"seat\":\"service\",\"available\":true}");
        admin("POST", "/api/v1/inboxes", "{\"id\":\"" + inboxId + "\",\"name\":\"" + inboxId + "\",\"teams\":null}");
        admin("POST", "/api/v1/channels", "{\"id\":\"" + channelId + "\",\"inboxId\":\"" + inboxId
                + "\",\"kind\":\"chat\",\"name\":\"" + channelId + "\"}");
        admin("PUT", "/api/v1/channels/" + channelId + "/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":"
                + "\"users_and_teams\",\"users\":[\"" + userId + "\"],\"teams\":[]},\"onlyAvailable\":true}");
    }

    @Override
    public void close() {
        app.close();
    }

    /** A status and body. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText();
        }
    }
}
