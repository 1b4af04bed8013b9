package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R12: the account's time zone, in which the rules' Clock fact shows each decision's time. */
class AccountRoutesTest {

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void R12_theAccountTimeZoneIsUtcUntilAnAdminSetsAnIanaZoneWhichTheRulesThenSee() {
        assertThat(server.get("/api/v1/account", TestServer.ADMIN).json().get("timeZone").asText()).isEqualTo("UTC");
        // A rule that tells which zone the Clock is in, through the reason it gives.
        TestServer.Answer upload = server.put("/api/v1/rules/files/zone.drl", TestServer.ADMIN, """
                package policy;
                import org.convrouter.routing.*;
                rule "Chats are held while the clock is in Paris"
                    salience 100
                when
                    Clock( zoneId == "Europe/Paris" )
                    $c : Candidate( userId == "zed" )
                then
                    insert( new Exclusion( $c, "clock in Paris" ) );
                end
                """);
        assertThat(upload.status()).as(upload.body()).isEqualTo(200);
        server.seedOneAgentChat("zed", "zones", "zone-chat");
        assertThat(route().get("assignee").get("id").asText()).isEqualTo("zed");

        TestServer.Answer put = server.put("/api/v1/account", TestServer.ADMIN, "{\"timeZone\":\"Europe/Paris\"}");

        assertThat(put.status()).isEqualTo(200);
        assertThat(put.json().get("timeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(server.get("/api/v1/account", TestServer.ADMIN).json().get("timeZone").asText()).isEqualTo("Europe/Paris");
        assertThat(route().get("assignee").isNull()).isTrue();
        server.put("/api/v1/account", TestServer.ADMIN, "{\"timeZone\":\"UTC\"}");
    }

    @Test
    void R12_aZoneThatIsNotAnIanaIdIsRefusedNamingTheFieldAndChangesNothing() {
        for (String body : new String[] {"{\"timeZone\":\"Mars/Olympus\"}", "{\"timeZone\":\"+01:00\"}", "{}",
                "{\"timeZone\":\"UTC\",\"zone\":\"UTC\"}"}) {
            TestServer.Answer refused = server.put("/api/v1/account", TestServer.ADMIN, body);

            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.errorCode()).isEqualTo("invalid_input");
            assertThat(refused.json().get("error").get("message").asText()).as(body).containsAnyOf("timeZone", "zone");
        }
        assertThat(server.get("/api/v1/account", TestServer.ADMIN).json().get("timeZone").asText()).isEqualTo("UTC");
    }

    @Test
    void onlyTheAdminReadsOrChangesTheAccount() {
        server.admin("POST", "/api/v1/users", "{\"id\":\"una\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"service\"}");
        String userToken = server.admin("POST", "/api/v1/users/una/token", null).get("token").asText();

        assertThat(server.get("/api/v1/account", userToken).status()).isEqualTo(403);
        assertThat(server.put("/api/v1/account", userToken, "{\"timeZone\":\"Europe/Paris\"}").status()).isEqualTo(403);
        assertThat(server.get("/api/v1/account", null).status()).isEqualTo(401);
    }

    private static com.fasterxml.jackson.databind.JsonNode route() {
        TestServer.Answer routed = server.post("/api/v1/conversations", TestServer.ADMIN,
                "{\"channelId\":\"zone-chat\",\"message\":{\"text\":\"hi\"}}");
        assertThat(routed.status()).as(routed.body()).isEqualTo(201);
        return routed.json();
    }
}
