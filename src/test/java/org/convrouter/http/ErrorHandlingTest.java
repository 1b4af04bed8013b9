package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input answers 4xx, never 500, in the one error shape {@code {"error": {code, message,
 * details}}}, with a message that names the field, and changes nothing that is stored (api.md,
 * "General"). Every case compares a snapshot of everything the API can show before and after.
 *
 * <p>The fixture, built through the API: sam (sales), nina (no seat), pat (service, primary in
 * team {@code tP}) and quinn (service, primary in team {@code tQ}); inbox {@code inR} restricted
 * to {@code tP} with chat channel {@code chR}, whose routing settings name pat and {@code tP};
 * contact {@code k1}; and conversation {@code convR} on {@code chR}, unassigned.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ErrorHandlingTest {

    @TempDir
    static java.nio.file.Path folder;

    static TestServer server;

    static final String ROUTING =
            "{\"autoAssign\":false,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"pat\"],\"teams\":[\"tP\"]},"
                    + "\"onlyAvailable\":true}";

    @BeforeAll
    static void startServer() {
        server = TestServer.start(folder);
        user("sam", "sales");
        user("nina", "none");
        user("pat", "service");
        user("quinn", "service");
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tP\",\"name\":\"Team P\",\"primaryMembers\":[\"pat\"]}");
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tQ\",\"name\":\"Team Q\",\"primaryMembers\":[\"quinn\"]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"inR\",\"name\":\"Restricted\",\"teams\":[\"tP\"]}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chR\",\"inboxId\":\"inR\",\"kind\":\"chat\",\"name\":\"Chat R\"}");
        server.admin("PUT", "/api/v1/channels/chR/routing", ROUTING);
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"k1\",\"email\":\"k1@example.com\",\"name\":\"Kay\"}");
        server.admin("POST", "/api/v1/integration-tokens", "{\"id\":\"webform\",\"name\":\"Web form\"}");
        server.admin("POST", "/api/v1/conversations",
                "{\"id\":\"convR\",\"channelId\":\"chR\",\"contactId\":\"k1\",\"message\":{\"text\":\"Hello\"}}");
    }

    private static void user(String id, String seat) {
        server.admin("POST", "/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"email\":\"" + id
                + "@example.com\",\"seat\":\"" + seat + "\",\"available\":true}");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // --- the table -----------------------------------------------------------------------------

    private static final String X65 = "x".repeat(65);
    private static final String USER = "{\"id\":\"u1\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\"}";

    /** What one bad request is, what it must answer (status and code), and the field its message must name. */
    record Bad(String method, String path, String body, int status, String code, String field) {}

    static Arguments bad(String what, String method, String path, String body, int status, String field) {
        String code = switch (status) {
            case 400 -> "invalid_input";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 422 -> "refused";
            default -> throw new IllegalArgumentException("no code for " + status);
        };
        return Arguments.of(what, new Bad(method, path, body, status, code, field));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
            // malformed bodies
            bad("malformed JSON", "POST", "/api/v1/users", "{\"id\":\"u1\",\"name\":\"Una\",", 400, "body"),
            bad("malformed JSON in a routing request", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"hi\"}", 400, "body"),
            bad("a JSON array instead of an object", "POST", "/api/v1/users", "[" + USER + "]", 400, "body"),
            bad("JSON null instead of an object", "POST", "/api/v1/inboxes", "null", 400, "body"),
            bad("a JSON string instead of an object", "POST", "/api/v1/channels", "\"chR\"", 400, "body"),
            bad("an empty body", "POST", "/api/v1/teams", "", 400, "body"),
            bad("a body of white space only", "POST", "/api/v1/teams", " \n\t ", 400, "body"),
            bad("a valid object followed by garbage", "POST", "/api/v1/users", USER + " trailing", 400, "body"),
            bad("two JSON objects in one body", "POST", "/api/v1/users", USER + USER, 400, "body"),
            // text no database stores as sent (PostgreSQL refuses NUL; a lone surrogate becomes "?")
            bad("a NUL character in a message", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"contact\":{\"email\":\"nul@x.test\"},\"message\":{\"text\":\"a\\u0000b\"}}",
                    400, "message.text"),
            bad("a NUL character in a user's name", "POST", "/api/v1/users", USER.replace("Una", "U\\u0000na"), 400, "name"),
            bad("half a surrogate pair in a contact's name", "POST", "/api/v1/contacts",
                    "{\"id\":\"k9\",\"name\":\"a\\ud800b\"}", 400, "name"),
            bad("a NUL character in a field name", "PATCH", "/api/v1/inboxes/inR", "{\"na\\u0000me\":\"x\"}", 400, "na"),
            bad("a NUL character in a list, named by its place", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"sam\",\"n\\u0000\"]},"
                            + "\"onlyAvailable\":true}", 400, "assignTo.users[1]: the NUL character"),

            // wrong types
            bad("a number for a string (name)", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":42,\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "name"),
            bad("a number for a string (email)", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"Una\",\"email\":7,\"seat\":\"sales\"}", 400, "email"),
            bad("a string for a boolean (available)", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\",\"available\":\"yes\"}",
                    400, "available"),
            bad("a string for a boolean in availability", "PUT", "/api/v1/users/sam/availability",
                    "{\"available\":\"false\"}", 400, "available"),
            bad("a number for a boolean in availability", "PUT", "/api/v1/users/sam/availability",
                    "{\"available\":0}", 400, "available"),
            bad("a string for a list of members", "POST", "/api/v1/teams",
                    "{\"id\":\"t1\",\"name\":\"T1\",\"primaryMembers\":\"sam\"}", 400, "primaryMembers"),
            bad("a number in a list of members", "POST", "/api/v1/teams",
                    "{\"id\":\"t1\",\"name\":\"T1\",\"secondaryMembers\":[\"sam\",3]}", 400, "secondaryMembers"),
            bad("an object for a string (inboxId)", "POST", "/api/v1/channels",
                    "{\"id\":\"c1\",\"inboxId\":{\"id\":\"inR\"},\"kind\":\"chat\",\"name\":\"C1\"}", 400, "inboxId"),
            bad("a number for an enum (kind)", "POST", "/api/v1/channels",
                    "{\"id\":\"c1\",\"inboxId\":\"inR\",\"kind\":2,\"name\":\"C1\"}", 400, "kind"),
            bad("a string for a boolean (autoAssign)", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":\"true\",\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"sam\"]},\"onlyAvailable\":true}",
                    400, "autoAssign"),
            bad("a number for message.text", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":7}}", 400, "message.text"),
            bad("a string for a boolean (cookieTracked)", "PATCH", "/api/v1/contacts/k1", "{\"cookieTracked\":\"yes\"}",
                    400, "cookieTracked"),
            bad("a number for the assignee id", "POST", "/api/v1/conversations/convR/assignment",
                    "{\"assignee\":{\"type\":\"user\",\"id\":5}}", 400, "assignee.id"),
            bad("a string for an inbox's team list", "PATCH", "/api/v1/inboxes/inR", "{\"teams\":\"tQ\"}", 400, "teams"),

            // unknown enum values
            bad("seat gold", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"gold\"}", 400, "seat"),
            bad("seat platinum in a patch", "PATCH", "/api/v1/users/sam", "{\"seat\":\"platinum\"}", 400, "seat"),
            bad("channel kind fax", "POST", "/api/v1/channels",
                    "{\"id\":\"c1\",\"inboxId\":\"inR\",\"kind\":\"fax\",\"name\":\"Fax\"}", 400, "kind"),
            bad("assignTo.type nobody", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"nobody\"},\"onlyAvailable\":true}", 400, "assignTo.type"),
            bad("assignee.type robot", "POST", "/api/v1/conversations/convR/assignment",
                    "{\"assignee\":{\"type\":\"robot\",\"id\":\"pat\"}}", 400, "assignee.type"),

            // missing or blank required fields
            bad("a user without name", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "name"),
            bad("a user with a blank name", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"  \",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "name"),
            bad("a user without email", "POST", "/api/v1/users", "{\"id\":\"u1\",\"name\":\"Una\",\"seat\":\"sales\"}", 400, "email"),
            bad("a user without seat", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"Una\",\"email\":\"una@example.com\"}", 400, "seat"),
            bad("a user whose email is no address", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"Una\",\"email\":\"una.example.com\",\"seat\":\"sales\"}", 400, "email"),
            bad("a user whose name is too long", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"" + "n".repeat(201) + "\",\"email\":\"una@example.com\",\"seat\":\"sales\"}",
                    400, "name"),
            bad("a user patch with a blank name", "PATCH", "/api/v1/users/sam", "{\"name\":\"\"}", 400, "name"),
            bad("a user patch with a null name", "PATCH", "/api/v1/users/sam", "{\"name\":null}", 400, "name"),
            bad("a user patch with a null email", "PATCH", "/api/v1/users/sam", "{\"email\":null}", 400, "email"),
            bad("a team patch with a blank name", "PATCH", "/api/v1/teams/tP", "{\"name\":\"   \"}", 400, "name"),
            bad("a team patch with null members", "PATCH", "/api/v1/teams/tP", "{\"primaryMembers\":null}", 400,
                    "primaryMembers"),
            bad("an inbox patch with a blank name", "PATCH", "/api/v1/inboxes/inR", "{\"name\":\"\"}", 400, "name"),
            bad("a channel patch with a blank name", "PATCH", "/api/v1/channels/chR", "{\"name\":\"\"}", 400, "name"),
            bad("a channel patch with a null kind", "PATCH", "/api/v1/channels/chR", "{\"kind\":null}", 400, "kind"),
            bad("a team listing a member twice", "POST", "/api/v1/teams",
                    "{\"id\":\"t3\",\"name\":\"T3\",\"primaryMembers\":[\"sam\",\"sam\"]}", 400, "primaryMembers[1]"),
            bad("an inbox open to no team", "POST", "/api/v1/inboxes", "{\"id\":\"i4\",\"name\":\"I4\",\"teams\":[]}", 400, "teams"),
            bad("an inbox patched open to no team", "PATCH", "/api/v1/inboxes/inR", "{\"teams\":[]}", 400, "teams"),
            bad("a team patch giving it another id", "PATCH", "/api/v1/teams/tP", "{\"id\":\"tX\"}", 400, "id: cannot be changed"),
            bad("an inbox patch giving it another id", "PATCH", "/api/v1/inboxes/inR", "{\"id\":\"iX\"}", 400, "id: cannot be changed"),
            bad("a channel patch giving it another id", "PATCH", "/api/v1/channels/chR", "{\"id\":\"cX\"}", 400, "id: cannot be changed"),
            bad("a contact patch giving it another id", "PATCH", "/api/v1/contacts/k1", "{\"id\":\"kX\"}", 400, "id: cannot be changed"),
            bad("an inbox listing a team twice", "POST", "/api/v1/inboxes",
                    "{\"id\":\"i3\",\"name\":\"I3\",\"teams\":[\"tP\",\"tP\"]}", 400, "teams[1]"),
            bad("routing settings listing a user twice", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"pat\",\"pat\"]},"
                            + "\"onlyAvailable\":true}", 400, "assignTo.users[1]"),
            bad("a team without name", "POST", "/api/v1/teams", "{\"id\":\"t1\",\"primaryMembers\":[]}", 400, "name"),
            bad("an inbox without name", "POST", "/api/v1/inboxes", "{\"id\":\"i1\",\"teams\":null}", 400, "name"),
            bad("a channel without inboxId", "POST", "/api/v1/channels",
                    "{\"id\":\"c1\",\"kind\":\"chat\",\"name\":\"C1\"}", 400, "inboxId"),
            bad("a channel without kind", "POST", "/api/v1/channels",
                    "{\"id\":\"c1\",\"inboxId\":\"inR\",\"name\":\"C1\"}", 400, "kind"),
            bad("routing settings without autoAssign", "PUT", "/api/v1/channels/chR/routing",
                    "{\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"sam\"]},\"onlyAvailable\":true}", 400, "autoAssign"),
            bad("routing settings without assignTo", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"onlyAvailable\":true}", 400, "assignTo"),
            bad("routing settings whose assignTo has no type", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"users\":[\"sam\"]},\"onlyAvailable\":true}", 400, "assignTo.type"),
            bad("a routing request without channelId", "POST", "/api/v1/conversations",
                    "{\"message\":{\"text\":\"hi\"}}", 400, "channelId"),
            bad("a routing request without message", "POST", "/api/v1/conversations", "{\"channelId\":\"chR\"}", 400, "message"),
            bad("a routing request without message.text", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"subject\":\"no text\"}}", 400, "message.text"),
            bad("a routing request with a blank message.text", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"\"}}", 400, "message.text"),
            bad("a routing request with a message.text that is too long", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"" + "t".repeat(20_001) + "\"}}", 400, "message.text"),
            bad("a routing request whose contact has no email", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"contact\":{\"name\":\"Nobody\"},\"message\":{\"text\":\"hi\"}}", 400, "contact.email"),
            bad("a routing request with both contactId and contact", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"contactId\":\"k1\",\"contact\":{\"email\":\"new1@example.com\"},"
                            + "\"message\":{\"text\":\"hi\"}}", 400, "contact"),
            bad("a simulation without message.text", "POST", "/api/v1/routing/simulate",
                    "{\"channelId\":\"chR\",\"message\":{}}", 400, "message.text"),
            bad("availability without available", "PUT", "/api/v1/users/sam/availability", "{}", 400, "available"),
            bad("availability null", "PUT", "/api/v1/users/sam/availability", "{\"available\":null}", 400, "available"),
            bad("an assignment without assignee", "POST", "/api/v1/conversations/convR/assignment", "{}", 400, "assignee"),
            bad("an assignment without assignee.id", "POST", "/api/v1/conversations/convR/assignment",
                    "{\"assignee\":{\"type\":\"user\"}}", 400, "assignee.id"),
            bad("a reply without text", "POST", "/api/v1/conversations/convR/replies", "{\"byUserId\":\"pat\"}", 400, "text"),
            bad("an admin reply without byUserId", "POST", "/api/v1/conversations/convR/replies", "{\"text\":\"hi\"}",
                    400, "byUserId"),
            bad("a contact patch setting cookieTracked to null", "PATCH", "/api/v1/contacts/k1", "{\"cookieTracked\":null}",
                    400, "cookieTracked"),

            // unknown fields
            bad("an unknown field on a user", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\",\"role\":\"boss\"}", 400, "role"),
            bad("a field given twice", "POST", "/api/v1/users",
                    "{\"id\":\"u1\",\"id\":\"u2\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400,
                    "Duplicate field 'id'"),
            bad("an unknown field in a user patch", "PATCH", "/api/v1/users/sam", "{\"nickname\":\"Sammy\"}", 400, "nickname"),
            bad("an unknown field inside message", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"hi\",\"priority\":1}}", 400, "message.priority"),
            bad("an unknown field inside assignTo", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"sam\"],\"roundRobin\":true},"
                            + "\"onlyAvailable\":true}", 400, "assignTo.roundRobin"),
            bad("routing settings overrides on a real routing request", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"hi\"},\"settings\":" + ROUTING + "}", 400, "settings"),
            bad("an unknown field on an inbox patch", "PATCH", "/api/v1/inboxes/inR", "{\"color\":\"red\"}", 400, "color"),

            // bad ids
            bad("a user id of 65 characters", "POST", "/api/v1/users",
                    "{\"id\":\"" + X65 + "\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "id"),
            bad("a user id with a slash", "POST", "/api/v1/users",
                    "{\"id\":\"a/b\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "id"),
            bad("a user id with a space", "POST", "/api/v1/users",
                    "{\"id\":\"a b\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "id"),
            bad("an empty user id", "POST", "/api/v1/users",
                    "{\"id\":\"\",\"name\":\"Una\",\"email\":\"una@example.com\",\"seat\":\"sales\"}", 400, "id"),
            bad("a team id with a slash", "POST", "/api/v1/teams", "{\"id\":\"a/b\",\"name\":\"T\"}", 400, "id"),
            bad("a member id with a space", "POST", "/api/v1/teams",
                    "{\"id\":\"t1\",\"name\":\"T\",\"primaryMembers\":[\"a b\"]}", 400, "primaryMembers[0]"),
            bad("an inbox id of 65 characters", "POST", "/api/v1/inboxes", "{\"id\":\"" + X65 + "\",\"name\":\"I\"}", 400, "id"),
            bad("an inboxId of 65 characters", "POST", "/api/v1/channels",
                    "{\"id\":\"c1\",\"inboxId\":\"" + X65 + "\",\"kind\":\"chat\",\"name\":\"C1\"}", 400, "inboxId"),
            bad("a contact id with a space", "POST", "/api/v1/contacts", "{\"id\":\"a b\",\"name\":\"K\"}", 400, "id"),
            bad("a conversation id with a slash", "POST", "/api/v1/conversations",
                    "{\"id\":\"a/b\",\"channelId\":\"chR\",\"message\":{\"text\":\"hi\"}}", 400, "id"),
            bad("a channelId with a slash", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"a/b\",\"message\":{\"text\":\"hi\"}}", 400, "channelId"),
            bad("a routed user id of 65 characters", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"" + X65 + "\"]},"
                            + "\"onlyAvailable\":true}", 400, "assignTo.users[0]"),
            bad("an integration token id with a space", "POST", "/api/v1/integration-tokens",
                    "{\"id\":\"a b\",\"name\":\"I\"}", 400, "id"),

            // bad query parameters
            bad("limit=0", "GET", "/api/v1/conversations?limit=0", null, 400, "limit"),
            bad("limit=501", "GET", "/api/v1/conversations?limit=501", null, 400, "limit"),
            bad("limit=abc", "GET", "/api/v1/conversations?limit=abc", null, 400, "limit"),
            bad("limit=-1", "GET", "/api/v1/conversations?limit=-1", null, 400, "limit"),
            bad("limit=99999999999", "GET", "/api/v1/conversations?limit=99999999999", null, 400, "limit"),
            bad("view=bogus", "GET", "/api/v1/conversations?view=bogus", null, 400, "view"),
            bad("status=bogus", "GET", "/api/v1/conversations?status=bogus", null, 400, "status"),
            bad("cursor=garbage", "GET", "/api/v1/conversations?cursor=garbage", null, 400, "cursor"),
            bad("a cursor of valid base64 but no cursor", "GET", "/api/v1/conversations?cursor=aGVsbG8", null, 400, "cursor"),
            bad("an unknown inboxId filter", "GET", "/api/v1/conversations?inboxId=nope", null, 400, "inboxId"),
            bad("view=mine for the admin without userId", "GET", "/api/v1/conversations?view=mine", null, 400, "userId"),
            bad("view=mine for an unknown user", "GET", "/api/v1/conversations?view=mine&userId=nobody", null, 400, "nobody"),
            bad("limit=0 on users", "GET", "/api/v1/users?limit=0", null, 400, "limit"),
            bad("limit=abc on contacts", "GET", "/api/v1/contacts?limit=abc", null, 400, "limit"),
            bad("limit=501 on rule history", "GET", "/api/v1/rules/history?limit=501", null, 400, "limit"),
            bad("a cursor the rule history never gave out", "GET", "/api/v1/rules/history?cursor=garbage", null, 400, "cursor"),

            // duplicate ids and values
            bad("a duplicate user id", "POST", "/api/v1/users",
                    "{\"id\":\"sam\",\"name\":\"Other Sam\",\"email\":\"sam2@example.com\",\"seat\":\"none\"}", 409, "sam"),
            bad("a duplicate team id", "POST", "/api/v1/teams", "{\"id\":\"tP\",\"name\":\"Other\"}", 409, "tP"),
            bad("a duplicate inbox id", "POST", "/api/v1/inboxes", "{\"id\":\"inR\",\"name\":\"Other\"}", 409, "inR"),
            bad("a duplicate channel id", "POST", "/api/v1/channels",
                    "{\"id\":\"chR\",\"inboxId\":\"inR\",\"kind\":\"email\",\"name\":\"Other\"}", 409, "chR"),
            bad("a duplicate contact id", "POST", "/api/v1/contacts", "{\"id\":\"k1\",\"name\":\"Other\"}", 409, "k1"),
            bad("a duplicate contact email", "POST", "/api/v1/contacts",
                    "{\"id\":\"k2\",\"email\":\"k1@example.com\"}", 409, "email"),
            bad("a contact email that differs from another only in case", "POST", "/api/v1/contacts",
                    "{\"id\":\"k2\",\"email\":\"K1@Example.COM\"}", 409, "email"),
            bad("a duplicate conversation id", "POST", "/api/v1/conversations",
                    "{\"id\":\"convR\",\"channelId\":\"chR\",\"message\":{\"text\":\"again\"}}", 409, "convR"),
            bad("a duplicate conversation id with a new contact", "POST", "/api/v1/conversations",
                    "{\"id\":\"convR\",\"channelId\":\"chR\",\"contact\":{\"email\":\"fresh1@example.com\",\"name\":\"Fresh\"},"
                            + "\"message\":{\"text\":\"again\"}}", 409, "convR"),
            bad("a duplicate integration token id", "POST", "/api/v1/integration-tokens",
                    "{\"id\":\"webform\",\"name\":\"Another web form\"}", 409, "webform"),

            // unknown ids in the path
            bad("an unknown user", "GET", "/api/v1/users/nope", null, 404, "nope"),
            bad("a patch of an unknown user", "PATCH", "/api/v1/users/nope", "{\"name\":\"N\"}", 404, "nope"),
            bad("availability of an unknown user", "PUT", "/api/v1/users/nope/availability", "{\"available\":true}", 404, "nope"),
            bad("a token for an unknown user", "POST", "/api/v1/users/nope/token", null, 404, "nope"),
            bad("an unknown team", "GET", "/api/v1/teams/nope", null, 404, "nope"),
            bad("a patch of an unknown team", "PATCH", "/api/v1/teams/nope", "{\"name\":\"N\"}", 404, "nope"),
            bad("an unknown inbox", "GET", "/api/v1/inboxes/nope", null, 404, "nope"),
            bad("a patch of an unknown inbox", "PATCH", "/api/v1/inboxes/nope", "{\"name\":\"N\"}", 404, "nope"),
            bad("an unknown channel", "GET", "/api/v1/channels/nope", null, 404, "nope"),
            bad("a patch of an unknown channel", "PATCH", "/api/v1/channels/nope", "{\"name\":\"N\"}", 404, "nope"),
            bad("routing settings of an unknown channel", "GET", "/api/v1/channels/nope/routing", null, 404, "nope"),
            bad("new routing settings for an unknown channel", "PUT", "/api/v1/channels/nope/routing", ROUTING, 404, "nope"),
            bad("an unknown contact", "GET", "/api/v1/contacts/nope", null, 404, "nope"),
            bad("a patch of an unknown contact", "PATCH", "/api/v1/contacts/nope", "{\"name\":\"N\"}", 404, "nope"),
            bad("an unknown conversation", "GET", "/api/v1/conversations/nope", null, 404, "nope"),
            bad("assigning an unknown conversation", "POST", "/api/v1/conversations/nope/assignment",
                    "{\"assignee\":{\"type\":\"user\",\"id\":\"pat\"}}", 404, "nope"),
            bad("targets of an unknown conversation", "GET", "/api/v1/conversations/nope/assignment-targets", null, 404, "nope"),
            bad("replying to an unknown conversation", "POST", "/api/v1/conversations/nope/replies",
                    "{\"text\":\"hi\",\"byUserId\":\"pat\"}", 404, "nope"),
            bad("closing an unknown conversation", "POST", "/api/v1/conversations/nope/close", null, 404, "nope"),
            bad("the decision of an unknown conversation", "GET", "/api/v1/conversations/nope/decision", null, 404, "nope"),

            // business refusals (422)
            bad("R2: routing to a user without a paid seat", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"sam\",\"nina\"]},"
                            + "\"onlyAvailable\":true}", 422, "assignTo.users[1]"),
            bad("R2: a seatless fallback user", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"contact_owner\",\"fallbackUser\":\"nina\"},\"onlyAvailable\":false}",
                    422, "assignTo.fallbackUser"),
            bad("routing to an unknown user", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"ghost\"]},\"onlyAvailable\":true}",
                    422, "ghost"),
            bad("routing to an unknown team", "PUT", "/api/v1/channels/chR/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"teams\":[\"ghost\"]},\"onlyAvailable\":true}",
                    422, "assignTo.teams[0]"),
            bad("a new team whose primary member is primary elsewhere", "POST", "/api/v1/teams",
                    "{\"id\":\"t2\",\"name\":\"T2\",\"primaryMembers\":[\"pat\"]}", 422, "pat"),
            bad("a team patch taking a primary member from another team", "PATCH", "/api/v1/teams/tQ",
                    "{\"primaryMembers\":[\"quinn\",\"pat\"]}", 422, "pat"),
            bad("a team with an unknown member", "POST", "/api/v1/teams",
                    "{\"id\":\"t2\",\"name\":\"T2\",\"secondaryMembers\":[\"ghost\"]}", 422, "ghost"),
            bad("an inbox open to an unknown team", "POST", "/api/v1/inboxes",
                    "{\"id\":\"i2\",\"name\":\"I2\",\"teams\":[\"ghost\"]}", 422, "teams"),
            bad("a channel in an unknown inbox", "POST", "/api/v1/channels",
                    "{\"id\":\"c2\",\"inboxId\":\"ghost\",\"kind\":\"chat\",\"name\":\"C2\"}", 422, "inboxId"),
            bad("moving a channel to an unknown inbox", "PATCH", "/api/v1/channels/chR", "{\"inboxId\":\"ghost\"}", 422, "inboxId"),
            bad("a contact owned by an unknown user", "POST", "/api/v1/contacts",
                    "{\"id\":\"k2\",\"name\":\"K2\",\"owner\":\"ghost\"}", 422, "owner"),
            bad("a routing request on an unknown channel", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"ghost\",\"message\":{\"text\":\"hi\"}}", 422, "channelId"),
            bad("a routing request on an unknown channel with a new contact", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"ghost\",\"contact\":{\"email\":\"fresh2@example.com\"},\"message\":{\"text\":\"hi\"}}",
                    422, "channelId"),
            bad("a routing request from an unknown contact", "POST", "/api/v1/conversations",
                    "{\"channelId\":\"chR\",\"contactId\":\"ghost\",\"message\":{\"text\":\"hi\"}}", 422, "contactId"),
            bad("a simulation on an unknown channel", "POST", "/api/v1/routing/simulate",
                    "{\"channelId\":\"ghost\",\"message\":{\"text\":\"hi\"}}", 422, "channelId"),
            bad("a simulation whose settings name an unknown user", "POST", "/api/v1/routing/simulate",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"hi\"},\"settings\":{\"assignTo\":{\"type\":\"users_and_teams\","
                            + "\"users\":[\"ghost\"],\"teams\":[]}}}", 422, "settings.assignTo.users[0]"),
            bad("R2: a simulation whose settings name a seatless user", "POST", "/api/v1/routing/simulate",
                    "{\"channelId\":\"chR\",\"message\":{\"text\":\"hi\"},\"settings\":{\"assignTo\":{\"type\":\"users_and_teams\","
                            + "\"users\":[\"nina\"],\"teams\":[]}}}", 422, "nina"),
            bad("M5: assigning a non-member in a team-restricted inbox", "POST", "/api/v1/conversations/convR/assignment",
                    "{\"assignee\":{\"type\":\"user\",\"id\":\"quinn\"}}", 422, "quinn"),
            bad("M5: assigning a team without access to a team-restricted inbox", "POST",
                    "/api/v1/conversations/convR/assignment", "{\"assignee\":{\"type\":\"team\",\"id\":\"tQ\"}}", 422, "tQ"),
            bad("assigning an unknown user", "POST", "/api/v1/conversations/convR/assignment",
                    "{\"assignee\":{\"type\":\"user\",\"id\":\"ghost\"}}", 422, "assignee"),
            bad("an admin assigning on behalf of an unknown user", "POST", "/api/v1/conversations/convR/assignment",
                    "{\"assignee\":{\"type\":\"user\",\"id\":\"pat\"},\"byUserId\":\"ghost\"}", 422, "byUserId"),
            bad("an admin replying on behalf of an unknown user", "POST", "/api/v1/conversations/convR/replies",
                    "{\"text\":\"hi\",\"byUserId\":\"ghost\"}", 422, "byUserId"),
            bad("an admin replying on behalf of a user without access", "POST", "/api/v1/conversations/convR/replies",
                    "{\"text\":\"hi\",\"byUserId\":\"quinn\"}", 403, "quinn")
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void bad_input_answers_4xx_in_the_error_shape_naming_the_field_and_stores_nothing(String what, Bad bad) {
        String before = state();

        TestServer.Answer answer = server.call(bad.method(), bad.path(), TestServer.ADMIN, bad.body());

        assertErrorShape(answer, bad.status(), bad.code());
        assertThat(answer.json().at("/error/message").asText()).as("the message names the field").contains(bad.field());
        assertThat(state()).as("stored state after %s %s", bad.method(), bad.path()).isEqualTo(before);
    }

    // --- beyond the table ----------------------------------------------------------------------

    @Test
    void what_jetty_refuses_before_the_routes_still_answers_in_the_error_shape() {
        String before = state();
        assertErrorShape(server.get("/api/v1/users/%00", TestServer.ADMIN), 400, "invalid_input");
        assertErrorShape(server.get("/api/v1/conversations/" + "a".repeat(10_000), TestServer.ADMIN), 414, "uri_too_long");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void characters_outside_the_basic_plane_are_stored_as_sent_whether_raw_or_escaped() {
        String raw = "Thanks \uD83D\uDE00 \u4F60\u597D"; // an emoji (a surrogate pair) and CJK text
        TestServer.Answer created = server.post("/api/v1/conversations", TestServer.ADMIN,
                "{\"id\":\"emoji-1\",\"channelId\":\"chR\",\"message\":{\"text\":\"" + raw + " \\ud83d\\ude00\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(server.admin("GET", "/api/v1/conversations/emoji-1", null).at("/messages/0/text").asText())
                .isEqualTo(raw + " \uD83D\uDE00");
    }

    @Test
    void a_body_over_the_size_limit_answers_413_and_stores_nothing() {
        String before = state();
        String body = "{\"id\":\"huge\",\"name\":\"" + "x".repeat((int) Limits.BODY_BYTES)
                + "\",\"email\":\"huge@example.com\",\"seat\":\"sales\"}";
        assertThat(body.length()).isGreaterThan(1_000_000);

        TestServer.Answer answer = server.post("/api/v1/users", TestServer.ADMIN, body);

        assertErrorShape(answer, 413, "body_too_large");
        assertThat(answer.json().at("/error/message").asText()).contains("body");
        assertThat(server.get("/api/v1/users/huge", TestServer.ADMIN).status()).isEqualTo(404);
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void a_body_just_under_the_size_limit_is_read_and_judged_on_its_fields() {
        // About 990 kB of JSON: accepted by the size limit, refused for the field that is too long.
        String body = "{\"channelId\":\"chR\",\"message\":{\"text\":\"" + "y".repeat(990_000) + "\"}}";
        TestServer.Answer answer = server.post("/api/v1/conversations", TestServer.ADMIN, body);
        assertErrorShape(answer, 400, "invalid_input");
        assertThat(answer.json().at("/error/message").asText()).contains("message.text");
    }

    @Test
    void R2_refused_routing_settings_leave_the_old_settings_in_place() {
        JsonNode old = server.admin("GET", "/api/v1/channels/chR/routing", null);

        TestServer.Answer refused = server.put("/api/v1/channels/chR/routing", TestServer.ADMIN,
                "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"nina\"],\"teams\":[]},"
                        + "\"onlyAvailable\":false}");

        assertErrorShape(refused, 422, "refused");
        assertThat(refused.json().at("/error/message").asText()).contains("assignTo.users[0]", "nina", "seat");
        assertThat(refused.json().at("/error/details")).isNotEmpty();
        JsonNode after = server.admin("GET", "/api/v1/channels/chR/routing", null);
        assertThat(after).isEqualTo(old);
        assertThat(after.at("/autoAssign").asBoolean()).isFalse();
        assertThat(after.at("/assignTo/users").toString()).isEqualTo("[\"pat\"]");
    }

    @Test
    void a_body_that_is_not_utf8_answers_400_and_stores_nothing() {
        String before = state();
        byte[] latin1 = "{\"id\":\"u8\",\"name\":\"Ren\u00e9e\",\"email\":\"renee@example.com\",\"seat\":\"sales\"}"
                .getBytes(StandardCharsets.ISO_8859_1); // the é as one byte, which UTF-8 never has alone

        TestServer.Answer answer = server.callWithBytes("POST", "/api/v1/users", TestServer.ADMIN, latin1);

        assertErrorShape(answer, 400, "invalid_input");
        assertThat(answer.json().at("/error/message").asText()).contains("body", "UTF-8");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void simulate_overrides_change_only_the_settings_they_name_and_store_nothing() {
        // A channel whose own settings let away users be chosen, with only an away user to choose.
        user("aria", "service");
        server.admin("PUT", "/api/v1/users/aria/availability", "{\"available\":false}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"inAway\",\"name\":\"Open\",\"teams\":null}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chAway\",\"inboxId\":\"inAway\",\"kind\":\"chat\",\"name\":\"Away chat\"}");
        server.admin("PUT", "/api/v1/channels/chAway/routing",
                "{\"autoAssign\":false,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"aria\"]},\"onlyAvailable\":false}");
        // And one whose saved settings name a user who lost their seat since: still legal (R2), simply not eligible.
        user("sela", "service");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chSeat\",\"inboxId\":\"inAway\",\"kind\":\"email\",\"name\":\"Mail\"}");
        server.admin("PUT", "/api/v1/channels/chSeat/routing",
                "{\"autoAssign\":false,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"sela\"]},\"onlyAvailable\":true}");
        server.admin("PATCH", "/api/v1/users/sela", "{\"seat\":\"none\"}");
        String before = state();
        String request = "{\"channelId\":\"chR\",\"message\":{\"text\":\"hi\"}";
        // The channel's own settings have automatic assignment off (ROUTING).
        assertThat(server.admin("POST", "/api/v1/routing/simulate", request + "}").get("assignee").isNull()).isTrue();

        JsonNode on = server.admin("POST", "/api/v1/routing/simulate", request + ",\"settings\":{\"autoAssign\":true}}");
        assertThat(on.at("/assignee/id").asText()).isEqualTo("pat"); // the channel's users and teams, now switched on
        assertThat(on.get("strategy").asText()).isEqualTo("least_busy");

        JsonNode owner = server.admin("POST", "/api/v1/routing/simulate",
                request + ",\"settings\":{\"autoAssign\":true,\"assignTo\":{\"type\":\"contact_owner\"}}}");
        assertThat(owner.get("strategy").asText()).isEqualTo("contact_owner");

        // onlyAvailable left out is the channel's (off), not the default (on): the away user is chosen.
        JsonNode away = server.admin("POST", "/api/v1/routing/simulate",
                "{\"channelId\":\"chAway\",\"message\":{\"text\":\"hi\"},\"settings\":{\"autoAssign\":true}}");
        assertThat(away.at("/assignee/id").asText()).isEqualTo("aria");

        // An override that leaves assignTo alone is not refused for what the saved settings name.
        JsonNode seatless = server.admin("POST", "/api/v1/routing/simulate",
                "{\"channelId\":\"chSeat\",\"message\":{\"text\":\"hi\"},\"settings\":{\"autoAssign\":true}}");
        assertThat(seatless.get("assignee").isNull()).isTrue();
        assertThat(seatless.at("/candidates/0/reasons").toString()).contains("no paid seat");

        TestServer.Answer bad = server.post("/api/v1/routing/simulate", TestServer.ADMIN, request + ",\"settings\":{\"assignTo\":{}}}");
        assertErrorShape(bad, 400, "invalid_input");
        assertThat(bad.json().at("/error/message").asText()).startsWith("settings.assignTo.type: required");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void a_routing_request_finds_its_contact_by_email_whatever_the_case() {
        JsonNode routed = server.admin("POST", "/api/v1/conversations",
                "{\"channelId\":\"chR\",\"contact\":{\"email\":\"K1@EXAMPLE.com\"},\"message\":{\"text\":\"again\"}}");
        assertThat(routed.get("contactId").asText()).isEqualTo("k1");
    }

    @Test
    void a_user_who_is_already_primary_in_another_team_is_refused_with_422() {
        TestServer.Answer refused = server.post("/api/v1/teams", TestServer.ADMIN,
                "{\"id\":\"tDouble\",\"name\":\"Double\",\"primaryMembers\":[\"pat\"]}");
        assertErrorShape(refused, 422, "refused");
        assertThat(refused.json().at("/error/message").asText()).contains("pat", "tP");
        assertThat(server.get("/api/v1/teams/tDouble", TestServer.ADMIN).status()).isEqualTo(404);
        assertThat(server.admin("GET", "/api/v1/teams/tP", null).at("/primaryMembers").toString()).isEqualTo("[\"pat\"]");
        // As a secondary member elsewhere pat is welcome.
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tSecond\",\"name\":\"Second\",\"secondaryMembers\":[\"pat\"]}");
    }

    @Test
    void M5_assigning_a_non_member_in_a_team_restricted_inbox_is_refused_and_changes_nothing() {
        JsonNode before = server.admin("GET", "/api/v1/conversations/convR", null);

        TestServer.Answer refused = server.post("/api/v1/conversations/convR/assignment", TestServer.ADMIN,
                "{\"assignee\":{\"type\":\"user\",\"id\":\"quinn\"}}");

        assertErrorShape(refused, 422, "refused");
        assertThat(refused.json().at("/error/message").asText()).contains("quinn", "not a member");
        JsonNode after = server.admin("GET", "/api/v1/conversations/convR", null);
        assertThat(after).isEqualTo(before);
        assertThat(after.get("assignee").isNull()).isTrue();
        assertThat(after.get("assignmentHistory")).isEmpty();
        assertThat(server.admin("GET", "/api/v1/users/quinn", null).get("openChats").asInt()).isZero();
    }

    @Test
    void an_id_of_exactly_64_allowed_characters_is_accepted() {
        String id = "A-z_0.9" + "x".repeat(57);
        assertThat(id).hasSize(64);
        JsonNode created = server.admin("POST", "/api/v1/contacts", "{\"id\":\"" + id + "\",\"name\":\"Long id\"}");
        assertThat(created.get("id").asText()).isEqualTo(id);
        assertThat(server.get("/api/v1/contacts/" + id, TestServer.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void an_unknown_endpoint_answers_404_in_the_error_shape() {
        assertErrorShape(server.get("/api/v1/nothing", TestServer.ADMIN), 404, "not_found");
        assertErrorShape(server.post("/api/v1/users/sam/promote", TestServer.ADMIN, "{}"), 404, "not_found");
        assertErrorShape(server.get("/nothing", null), 404, "not_found");
        assertErrorShape(server.get("/api/v2/users", TestServer.ADMIN), 404, "not_found");
        // Without a token an /api path answers 401 first, whether or not it exists.
        assertErrorShape(server.get("/api/v1/nothing", null), 401, "unauthorized");
    }

    @Test
    void an_unsupported_method_on_a_known_path_answers_404_or_405_in_the_error_shape() {
        TestServer.Answer answer = server.call("DELETE", "/api/v1/users/sam", TestServer.ADMIN, null);
        assertThat(answer.status()).isIn(404, 405);
        assertErrorShape(answer, answer.status(), answer.status() == 404 ? "not_found" : "method_not_allowed");
        assertThat(server.get("/api/v1/users/sam", TestServer.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void a_rule_file_that_does_not_compile_answers_422_with_its_errors_and_is_not_written() throws IOException {
        String version = server.admin("GET", "/api/v1/rules", null).get("version").asText();

        TestServer.Answer refused = server.put("/api/v1/rules/files/broken.drl", TestServer.ADMIN,
                "package policy;\nrule \"Broken\"\nwhen\n    NoSuchFact( )\nthen\nend\n");

        assertErrorShape(refused, 422, "refused");
        assertThat(refused.json().at("/error/details")).isNotEmpty();
        assertThat(refused.json().at("/error/details/0/file").asText()).contains("broken.drl");
        assertThat(Files.exists(server.rulesDir().resolve("broken.drl"))).isFalse();
        JsonNode rules = server.admin("GET", "/api/v1/rules", null);
        assertThat(rules.get("version").asText()).isEqualTo(version);
        assertThat(rules.at("/lastReload/status").asText()).isEqualTo("failed");
    }

    @Test
    void a_rule_file_with_a_bad_name_or_no_text_answers_400() throws IOException {
        String version = server.admin("GET", "/api/v1/rules", null).get("version").asText();
        TestServer.Answer badName = server.put("/api/v1/rules/files/notes.txt", TestServer.ADMIN, "package policy;\n");
        assertErrorShape(badName, 400, "invalid_input");
        assertThat(badName.json().at("/error/message").asText()).contains("name");
        TestServer.Answer hidden = server.put("/api/v1/rules/files/..hidden.drl", TestServer.ADMIN, "package policy;\n");
        assertErrorShape(hidden, 400, "invalid_input");
        TestServer.Answer empty = server.put("/api/v1/rules/files/empty.drl", TestServer.ADMIN, "");
        assertErrorShape(empty, 400, "invalid_input");
        assertThat(empty.json().at("/error/message").asText()).contains("body");
        assertThat(Files.exists(server.rulesDir().resolve("notes.txt"))).isFalse();
        assertThat(Files.exists(server.rulesDir().resolve("empty.drl"))).isFalse();
        assertThat(server.admin("GET", "/api/v1/rules", null).get("version").asText()).isEqualTo(version);
    }

    // --- helpers -------------------------------------------------------------------------------

    static void assertErrorShape(TestServer.Answer answer, int status, String code) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        JsonNode json = answer.json();
        assertThat(json.size()).as("only 'error' at the top: %s", answer.body()).isEqualTo(1);
        JsonNode error = json.get("error");
        assertThat(error).as("an 'error' object: %s", answer.body()).isNotNull();
        assertThat(error.isObject()).isTrue();
        List<String> fields = new ArrayList<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("code", "message", "details");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").isTextual()).isTrue();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("details").isArray()).isTrue();
    }

    /** Everything the API shows of what is stored, as text; bad input must leave it unchanged. */
    static String state() {
        StringBuilder state = new StringBuilder();
        for (String path : List.of("/api/v1/users?limit=500", "/api/v1/teams?limit=500", "/api/v1/inboxes?limit=500",
                "/api/v1/channels?limit=500", "/api/v1/contacts?limit=500", "/api/v1/conversations?limit=500",
                "/api/v1/channels/chR/routing", "/api/v1/conversations/convR", "/api/v1/conversations/convR/decision")) {
            state.append(path).append(" -> ").append(server.admin("GET", path, null)).append('\n');
        }
        JsonNode rules = server.admin("GET", "/api/v1/rules", null);
        state.append("rules -> ").append(rules.get("version")).append(' ').append(rules.get("files")).append('\n');
        return state.toString();
    }
}
