package org.convrouter.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.convrouter.http.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as files the service serves (no browser): from the jar's classpath at {@code /},
 * under a Content-Security-Policy that forbids inline script, with sources that never turn data
 * into markup; and {@code GET /api/v1/me}, which tells the console who a token is.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleServingTest {

    static final Path SOURCES = Path.of("src/main/resources/public");

    @TempDir
    static Path folder;

    static TestServer server;
    static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = TestServer.start(folder);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(server.base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void the_console_is_served_at_the_root_with_its_scripts_and_styles() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(index.body()).contains("<script type=\"module\" src=\"/app.js\"></script>", "id=\"sign-in-form\"");
        for (String asset : List.of("/app.js", "/app.css", "/js/api.js", "/js/dom.js", "/js/inbox.js", "/js/routing.js",
                "/js/rules.js", "/js/decision.js", "/js/users.js")) {
            HttpResponse<String> answer = get(asset);
            assertThat(answer.statusCode()).as(asset).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type")).as(asset)
                    .hasValueSatisfying(t -> assertThat(t).startsWith(asset.endsWith(".css") ? "text/css" : "text/javascript"));
        }
        assertThat(get("/js/nothing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void every_answer_carries_a_content_security_policy_without_inline_script() throws Exception {
        for (String path : List.of("/", "/app.js", "/health", "/api/v1/users", "/nothing")) {
            String csp = get(path).headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("default-src 'self'", "script-src 'self'", "object-src 'none'",
                    "frame-ancestors 'none'");
            assertThat(csp).as(path).doesNotContain("unsafe-inline", "unsafe-eval");
            assertThat(get(path).headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        }
    }

    @Test
    void the_page_has_no_inline_script_style_or_handlers() throws IOException {
        String html = Files.readString(SOURCES.resolve("index.html"));
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
        assertThat(html).doesNotContainPattern("\\son[a-z]+=").doesNotContain("style=", "<style");
    }

    @Test
    void the_scripts_never_turn_data_into_markup() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path js : files.filter(f -> f.toString().endsWith(".js")).toList()) {
                assertThat(Files.readString(js)).as(js.toString())
                        .doesNotContainPattern("\\.(innerHTML|outerHTML)\\b")
                        .doesNotContainPattern("\\b(insertAdjacentHTML|createContextualFragment|document\\.write|eval|Function)\\s*\\(");
            }
        }
    }

    @Test
    void GET_me_tells_the_kind_of_token_and_the_user_it_acts_as() {
        String token = server.admin("POST", "/api/v1/users",
                "{\"id\":\"meg\",\"name\":\"Meg\",\"email\":\"meg@example.com\",\"seat\":\"none\"}").get("token").asText();
        String integration = server.admin("POST", "/api/v1/integration-tokens", "{\"id\":\"widget\",\"name\":\"Widget\"}")
                .get("token").asText();

        assertThat(server.get("/api/v1/me", TestServer.ADMIN).body())
                .isEqualTo("{\"kind\":\"admin\",\"userId\":null,\"name\":\"Admin\"}");
        assertThat(server.get("/api/v1/me", token).body()).isEqualTo("{\"kind\":\"user\",\"userId\":\"meg\",\"name\":\"Meg\"}");
        assertThat(server.get("/api/v1/me", integration).body())
                .isEqualTo("{\"kind\":\"integration\",\"userId\":null,\"name\":\"widget\"}");
        assertThat(server.get("/api/v1/me", null).status()).isEqualTo(401);
    }
}
