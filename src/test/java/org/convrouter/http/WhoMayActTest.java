package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * M4: on an assigned conversation only the assignee (the user, or a member of the assigned team)
 * or an admin may reassign, reply or close; on an unassigned one anyone with access to the inbox may.
 *
 * <p>The fixture: an inbox open to every user; alice is a primary and carol a secondary member of
 * team {@code support}; bob is in no team, so he has access but is never the assignee.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class WhoMayActTest {

    @TempDir
    static Path folder;

    static TestServer server;
    static String alice;
    static String bob;
    static String carol;

    @BeforeAll
    static void start() {
        server = TestServer.start(folder);
        alice = user("alice");
        bob = user("bob");
        carol = user("carol");
        server.admin("POST", "/api/v1/teams", "{\"id\":\"support\",\"name\":\"Support\",\"primaryMembers\":[\"alice\"],"
                + "\"secondaryMembers\":[\"carol\"]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"open\",\"name\":\"Open\",\"teams\":null}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"mail\",\"inboxId\":\"open\",\"kind\":\"email\",\"name\":\"Mail\"}");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void M4_a_user_who_is_not_the_assignee_may_not_close_or_reply_and_the_conversation_is_unchanged() {
        conversation("to-alice", "{\"type\":\"user\",\"id\":\"alice\"}");

        TestServer.Answer close = server.post("/api/v1/conversations/to-alice/close", bob, null);
        assertThat(close.status()).as(close.body()).isEqualTo(403);
        assertThat(close.errorCode()).isEqualTo("forbidden");
        assertThat(close.json().at("/error/message").asText()).contains("assignee");
        TestServer.Answer reply = server.post("/api/v1/conversations/to-alice/replies", bob, "{\"text\":\"I'll take it\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        // carol is in alice's team, but the conversation is alice's, not the team's
        assertThat(server.post("/api/v1/conversations/to-alice/close", carol, null).status()).isEqualTo(403);

        JsonNode after = server.admin("GET", "/api/v1/conversations/to-alice", null);
        assertThat(after.get("status").asText()).isEqualTo("open");
        assertThat(after.at("/assignee/id").asText()).isEqualTo("alice");
        assertThat(after.get("messages")).hasSize(1);
    }

    @Test
    void M4_the_assignee_replies_and_closes() {
        conversation("alices-own", "{\"type\":\"user\",\"id\":\"alice\"}");

        assertThat(server.post("/api/v1/conversations/alices-own/replies", alice, "{\"text\":\"On it\"}").status()).isEqualTo(201);
        TestServer.Answer close = server.post("/api/v1/conversations/alices-own/close", alice, null);
        assertThat(close.status()).isEqualTo(200);
        assertThat(close.json().get("status").asText()).isEqualTo("closed");
    }

    @Test
    void M4_a_member_of_the_assigned_team_replies_and_closes_and_an_outsider_may_not() {
        conversation("to-team", "{\"type\":\"team\",\"id\":\"support\"}");

        assertThat(server.post("/api/v1/conversations/to-team/replies", bob, "{\"text\":\"mine?\"}").status()).isEqualTo(403);
        assertThat(server.post("/api/v1/conversations/to-team/close", bob, null).status()).isEqualTo(403);

        TestServer.Answer reply = server.post("/api/v1/conversations/to-team/replies", carol, "{\"text\":\"Looking\"}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        assertThat(reply.json().at("/assignee/type").asText()).as("a reply does not take it from the team").isEqualTo("team");
        TestServer.Answer close = server.post("/api/v1/conversations/to-team/close", carol, null);
        assertThat(close.status()).isEqualTo(200);
        assertThat(close.json().get("status").asText()).isEqualTo("closed");
    }

    @Test
    void M4_an_admin_replies_for_any_user_and_closes_an_assigned_conversation() {
        conversation("admin-acts", "{\"type\":\"user\",\"id\":\"alice\"}");

        assertThat(server.post("/api/v1/conversations/admin-acts/replies", TestServer.ADMIN,
                "{\"text\":\"From the desk\",\"byUserId\":\"bob\"}").status()).isEqualTo(201);
        assertThat(server.post("/api/v1/conversations/admin-acts/close", TestServer.ADMIN, null).status()).isEqualTo(200);
    }

    @Test
    void M2_M3_anyone_with_access_closes_or_replies_to_an_unassigned_conversation_and_the_reply_takes_it() {
        conversation("waiting-1", null);
        conversation("waiting-2", null);

        TestServer.Answer close = server.post("/api/v1/conversations/waiting-1/close", bob, null);
        assertThat(close.status()).isEqualTo(200);
        assertThat(close.json().get("status").asText()).isEqualTo("closed");

        TestServer.Answer reply = server.post("/api/v1/conversations/waiting-2/replies", bob, "{\"text\":\"Hello\"}");
        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().at("/assignee/id").asText()).isEqualTo("bob");
        // now bob's: alice may no longer reply
        assertThat(server.post("/api/v1/conversations/waiting-2/replies", alice, "{\"text\":\"me too\"}").status()).isEqualTo(403);
    }

    private static String user(String id) {
        return server.admin("POST", "/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"email\":\"" + id
                + "@example.com\",\"seat\":\"service\",\"available\":true}").get("token").asText();
    }

    /** A new conversation on the mail channel (which does not assign), given to {@code assignee} by the admin unless null. */
    private static void conversation(String id, String assignee) {
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"" + id + "\",\"channelId\":\"mail\",\"message\":{\"text\":\"hi\"}}");
        if (assignee != null) {
            server.admin("POST", "/api/v1/conversations/" + id + "/assignment", "{\"assignee\":" + assignee + "}");
        }
    }
}
