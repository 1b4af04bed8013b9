package org.convrouter.http;

import org.convrouter.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.convrouter.PostgresSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Two whole services on one PostgreSQL schema: what is changed through one is in force on the other within a second. */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresSeveralServersTest {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    @TempDir
    Path folder;
    private String url;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() {
        url = PostgresSchemas.newSchemaUrl();
        a = TestServer.start(folder.resolve("a"), url);
        b = TestServer.start(folder.resolve("b"), url);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        PostgresSchemas.drop(url);
    }

    @Test
    void directoryChangesAndTokenRenewalsThroughOneServiceAreInForceOnTheOtherWithinASecond() {
        a.seedOneAgentChat("ana", "help", "chat");
        awaitWithin(() -> b.get("/api/v1/users/ana", TestServer.ADMIN).status() == 200
                && b.get("/api/v1/channels/chat/routing", TestServer.ADMIN).json().path("autoAssign").asBoolean());
        assertThat(assigneeOfANewChat(b)).isEqualTo("ana");

        a.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":false}");
        awaitWithin(() -> !b.get("/api/v1/users/ana", TestServer.ADMIN).json().path("available").asBoolean());
        assertThat(assigneeOfANewChat(b)).as("an agent made unavailable through A").isNull();

        a.admin("PUT", "/api/v1/users/ana/availability", "{\"available\":true}");
        a.admin("PUT", "/api/v1/channels/chat/routing", "{\"autoAssign\":false,\"assignTo\":{\"type\":"
                + "\"users_and_teams\",\"users\":[\"ana\"],\"teams\":[]},\"onlyAvailable\":true}");
        awaitWithin(() -> !b.get("/api/v1/channels/chat/routing", TestServer.ADMIN).json().path("autoAssign").asBoolean());
        assertThat(assigneeOfANewChat(b)).as("automatic assignment turned off through A").isNull();

        String first = a.post("/api/v1/users/ana/token", TestServer.ADMIN, null).json().get("token").asText();
        assertThat(b.get("/api/v1/users/ana", first).status()).isEqualTo(200);
        String second = a.post("/api/v1/users/ana/token", TestServer.ADMIN, null).json().get("token").asText();
        awaitWithin(() -> b.get("/api/v1/users/ana", first).status() == 401);
        assertThat(b.get("/api/v1/users/ana", second).status()).isEqualTo(200);
    }

    @Test
    void aDeactivationARevocationAndAnAdminTokenRotationThroughOneServiceAnswer401ThereAtOnceAndOnTheOtherWithinASecond() {
        String ana = a.admin("POST", "/api/v1/users", "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\","
                + "\"seat\":\"service\"}").get("token").asText();
        String web = a.admin("POST", "/api/v1/integration-tokens", "{\"id\":\"web\",\"name\":\"Web\"}").get("token").asText();
        awaitWithin(() -> b.get("/api/v1/me", ana).status() == 200 && b.get("/api/v1/me", web).status() == 200);

        a.admin("PATCH", "/api/v1/users/ana", "{\"active\":false}");
        assertThat(a.get("/api/v1/me", ana).status()).isEqualTo(401);
        awaitWithin(() -> b.get("/api/v1/me", ana).status() == 401);

        assertThat(a.call("DELETE", "/api/v1/integration-tokens/web", TestServer.ADMIN, null).status()).isEqualTo(204);
        assertThat(a.get("/api/v1/me", web).status()).isEqualTo(401);
        awaitWithin(() -> b.get("/api/v1/me", web).status() == 401);

        String rotated = a.post("/api/v1/admin-token/rotate", TestServer.ADMIN, null).json().get("token").asText();
        assertThat(a.get("/api/v1/users", TestServer.ADMIN).status()).isEqualTo(401);
        assertThat(a.get("/api/v1/users", rotated).status()).isEqualTo(200);
        awaitWithin(() -> b.get("/api/v1/users", TestServer.ADMIN).status() == 401 && b.get("/api/v1/users", rotated).status() == 200);
    }

    private static String assigneeOfANewChat(TestServer server) {
        TestServer.Answer answer = server.post("/api/v1/conversations", TestServer.ADMIN,
                "{\"channelId\":\"chat\",\"message\":{\"text\":\"hello\"}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json().path("assignee").isNull() || answer.json().path("assignee").isMissingNode()
                ? null : answer.json().path("assignee").path("id").asText();
    }

    private static void awaitWithin(BooleanSupplier condition) {
        Await.until("in force on the other service", WITHIN, condition);
    }
}
