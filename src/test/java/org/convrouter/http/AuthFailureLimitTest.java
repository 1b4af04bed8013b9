package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.convrouter.access.AuthFailureLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failed authentication is limited per client address (docs/security.md); a valid token is never refused by it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuthFailureLimitTest {

    @TempDir
    Path folder;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(folder); // the service's own limit: 20 at once, then one a second
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void past_the_burst_failed_attempts_answer_429_with_retry_after_and_a_valid_token_still_answers_200() {
        long started = System.nanoTime();
        int unauthorized = 0;
        HttpResponse<String> answer;
        while ((answer = server.exchange("GET", "/api/v1/users", "usr_guess-" + unauthorized)).statusCode() == 401) {
            unauthorized++;
            assertThat(unauthorized).as("no 429 long after the burst").isLessThan(200);
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        // 20 at once, and one more for each second the attempts took (it refills while they run).
        assertThat(unauthorized).isGreaterThanOrEqualTo(AuthFailureLimit.DEFAULT.burst())
                .isLessThanOrEqualTo(AuthFailureLimit.DEFAULT.burst() + (int) Math.ceil(seconds));
        assertThat(answer.statusCode()).isEqualTo(429);
        long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isEqualTo(1);
        TestServer.Answer body = new TestServer.Answer(answer.statusCode(), answer.body());
        assertThat(body.errorCode()).isEqualTo("too_many_requests");
        assertThat(body.json().at("/error/message").asText()).contains("retry in 1 s");
        assertThat(body.json().at("/error/details").isArray()).isTrue();

        // A missing token is a failure too; the valid admin token passes at once, from the same address.
        assertThat(server.exchange("GET", "/api/v1/users", null).statusCode()).isEqualTo(429);
        assertThat(server.get("/api/v1/users", TestServer.ADMIN).status()).isEqualTo(200);
        for (int i = 0; i < 30; i++) {
            assertThat(server.get("/api/v1/me", TestServer.ADMIN).status()).isEqualTo(200);
        }
        // Needing no token, /health is not limited either.
        assertThat(server.get("/health", null).status()).isEqualTo(200);
    }
}
