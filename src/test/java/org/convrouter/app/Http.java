package org.convrouter.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.convrouter.support.Json;

/** A tiny JSON-over-HTTP client for whole-app tests. Thread-safe. */
final class Http {

    /** A status and its body, for callers that expect more than one status. */
    record Answer(int status, String body) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(body);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String token;

    Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** Sends the request whatever it answers; a timeout keeps a test from hanging on a process that stopped answering. */
    Answer send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    JsonNode call(String method, String path, String body, int expectedStatus) throws Exception {
        Answer answer = send(method, path, body);
        if (answer.status() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json();
    }

    JsonNode get(String path) throws Exception {
        return call("GET", path, null, 200);
    }

    JsonNode post(String path, String body) throws Exception {
        return call("POST", path, body, 201);
    }
}
