package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each documented limit: a value at the limit is accepted, one past it is a 400 naming the field. */
class LimitsTest {

    @TempDir
    static Path dir;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        server.seedOneAgentChat("ana", "help", "chat");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String user(String id, String name, String email) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"seat\":\"service\"}";
    }

    private static void assertRefused(TestServer.Answer answer, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo("invalid_input");
        assertThat(answer.json().path("error").path("message").asText()).startsWith(field + ":");
    }

    @Test
    void anEmailThatLowerCaseMakesLongerIsRefusedWhereverAnEmailIsTaken() {
        String email = "a@" + "İ".repeat(300); // 302 characters as sent, 602 in lower case
        assertRefused(server.post("/api/v1/users", TestServer.ADMIN, user("long-mail", "L", email)), "email");
        assertRefused(server.post("/api/v1/contacts", TestServer.ADMIN, "{\"email\":\"" + email + "\"}"), "email");
        assertRefused(server.post("/api/v1/conversations", TestServer.ADMIN, "{\"channelId\":\"chat\",\"contact\":{\"email\":\""
                + email + "\"},\"message\":{\"text\":\"hi\"}}"), "contact.email");
        assertThat(server.get("/api/v1/users/long-mail", TestServer.ADMIN).status()).isEqualTo(404);
        server.get("/api/v1/contacts?limit=500", TestServer.ADMIN).json().get("items")
                .forEach(c -> assertThat(c.path("email").asText()).doesNotStartWith("a@"));
    }

    @Test
    void anEmailOfExactlyTheLimitIsStored() {
        String email = "b".repeat(Limits.EMAIL - "@customer.test".length()) + "@customer.test";
        assertThat(email).hasSize(Limits.EMAIL);
        assertThat(server.post("/api/v1/contacts", TestServer.ADMIN, "{\"id\":\"at-limit\",\"email\":\"" + email + "\"}").status())
                .isEqualTo(201);
        assertRefused(server.post("/api/v1/contacts", TestServer.ADMIN, "{\"email\":\"b" + email + "\"}"), "email");
    }

    @Test
    void idsAndNamesHaveTheirLimits() {
        String id = "u".repeat(Limits.ID);
        assertThat(server.post("/api/v1/users", TestServer.ADMIN, user(id, "n".repeat(Limits.NAME), "u@example.com")).status())
                .isEqualTo(201);
        assertRefused(server.post("/api/v1/users", TestServer.ADMIN, user(id + "u", "N", "u@example.com")), "id");
        assertRefused(server.post("/api/v1/users", TestServer.ADMIN, user("n2", "n".repeat(Limits.NAME + 1), "u@example.com")), "name");
        assertRefused(server.patch("/api/v1/users/" + id, TestServer.ADMIN, "{\"name\":\"" + "é".repeat(Limits.NAME + 1) + "\"}"), "name");
        // An emoji is two UTF-16 code units: 100 of them are 200, the limit; 101 are over it.
        assertThat(server.patch("/api/v1/users/" + id, TestServer.ADMIN, "{\"name\":\"" + "😀".repeat(100) + "\"}").status()).isEqualTo(200);
        assertRefused(server.patch("/api/v1/users/" + id, TestServer.ADMIN, "{\"name\":\"" + "😀".repeat(101) + "\"}"), "name");
    }

    @Test
    void aListOfIdsHoldsAtMostTheLimit() {
        String ids = IntStream.range(0, Limits.LIST_ITEMS + 1).mapToObj(i -> "\"u" + i + "\"").collect(Collectors.joining(","));
        assertRefused(server.post("/api/v1/teams", TestServer.ADMIN, "{\"name\":\"Big\",\"primaryMembers\":[" + ids + "]}"),
                "primaryMembers");
        assertRefused(server.put("/api/v1/channels/chat/routing", TestServer.ADMIN, "{\"autoAssign\":true,\"assignTo\":{\"type\":"
                + "\"users_and_teams\",\"users\":[" + ids + "],\"teams\":[]}}"), "assignTo.users");
    }

    @Test
    void aMessageHasAMaximumTextAndSubject() {
        String atLimit = "{\"channelId\":\"chat\",\"message\":{\"text\":\"" + "t".repeat(Limits.MESSAGE_TEXT) + "\",\"subject\":\""
                + "s".repeat(Limits.SUBJECT) + "\"}}";
        JsonNode created = server.admin("POST", "/api/v1/conversations", atLimit);
        assertRefused(server.post("/api/v1/conversations", TestServer.ADMIN, "{\"channelId\":\"chat\",\"message\":{\"text\":\""
                + "t".repeat(Limits.MESSAGE_TEXT + 1) + "\"}}"), "message.text");
        assertRefused(server.post("/api/v1/conversations", TestServer.ADMIN, "{\"channelId\":\"chat\",\"message\":{\"text\":\"t\","
                + "\"subject\":\"" + "s".repeat(Limits.SUBJECT + 1) + "\"}}"), "message.subject");
        assertRefused(server.post("/api/v1/conversations/" + created.get("id").asText() + "/replies", TestServer.ADMIN,
                "{\"text\":\"" + "r".repeat(Limits.MESSAGE_TEXT + 1) + "\",\"byUserId\":\"ana\"}"), "text");
    }

    @Test
    void queryParametersHaveALimit() {
        assertRefused(server.get("/api/v1/contacts?cursor=" + "c".repeat(Limits.QUERY_PARAM + 1), TestServer.ADMIN), "cursor");
        assertRefused(server.get("/api/v1/conversations?view=" + "v".repeat(Limits.QUERY_PARAM + 1), TestServer.ADMIN), "view");
    }

    @Test
    void aConversationShowsItsLatestMessagesAndPagesThroughAll() {
        String id = server.admin("POST", "/api/v1/conversations", "{\"channelId\":\"chat\",\"message\":{\"text\":\"m0\"}}")
                .get("id").asText();
        JsonNode replied = null;
        for (int i = 1; i <= 54; i++) {
            replied = server.admin("POST", "/api/v1/conversations/" + id + "/replies", "{\"text\":\"m" + i + "\",\"byUserId\":\"ana\"}");
        }
        assertThat(replied.get("messages")).hasSize(50);
        assertThat(replied.get("messageCount").asInt()).isEqualTo(55);
        JsonNode read = server.admin("GET", "/api/v1/conversations/" + id, null);
        assertThat(read.get("messages")).hasSize(50);
        assertThat(read.get("messages").get(0).get("text").asText()).isEqualTo("m5");
        assertThat(read.get("messagesLink").asText()).isEqualTo("/api/v1/conversations/" + id + "/messages");

        List<String> texts = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = server.admin("GET", read.get("messagesLink").asText() + "?limit=20"
                    + (cursor == null ? "" : "&cursor=" + cursor), null);
            page.get("items").forEach(m -> texts.add(m.get("text").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(texts).containsExactlyElementsOf(IntStream.rangeClosed(0, 54).mapToObj(i -> "m" + i).toList());

        assertRefused(server.get("/api/v1/conversations/" + id + "/messages?limit=101", TestServer.ADMIN), "limit");
        assertRefused(server.get("/api/v1/conversations/" + id + "/messages?cursor=abc", TestServer.ADMIN), "cursor");
        assertThat(server.get("/api/v1/conversations/nope/messages", TestServer.ADMIN).status()).isEqualTo(404);
    }

    /** Each limit is at most the column its value is stored in, as the migrations define it. */
    @Test
    void everyLimitFitsTheColumnItIsStoredIn() throws IOException {
        String schema;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            schema = files.sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        Map<String, Integer> stored = Map.ofEntries(
                Map.entry("users.id", Limits.ID), Map.entry("users.name", Limits.NAME), Map.entry("users.email", Limits.EMAIL),
                Map.entry("teams.name", Limits.NAME), Map.entry("inboxes.name", Limits.NAME), Map.entry("channels.name", Limits.NAME),
                Map.entry("contacts.id", Limits.ID), Map.entry("contacts.email", Limits.EMAIL), Map.entry("contacts.name", Limits.NAME),
                Map.entry("contacts.owner_id", Limits.ID), Map.entry("tokens.subject", Limits.ID), Map.entry("tokens.name", Limits.NAME),
                Map.entry("conversations.id", Limits.ID), Map.entry("messages.subject", Limits.SUBJECT),
                Map.entry("messages.author_user_id", Limits.ID), Map.entry("account.time_zone", Limits.TIME_ZONE));
        stored.forEach((column, limit) -> assertThat(columnSize(schema, column)).as(column).isGreaterThanOrEqualTo(limit));
    }

    /** The size of a VARCHAR column as created in its table (later migrations only widen, which this ignores). */
    private static int columnSize(String schema, String column) {
        String[] parts = column.split("\\.");
        Matcher table = Pattern.compile("CREATE TABLE (?:IF NOT EXISTS )?" + parts[0] + " \\((.*?)\\n\\);", Pattern.DOTALL).matcher(schema);
        assertThat(table.find()).as(parts[0]).isTrue();
        Matcher size = Pattern.compile("\\n\\s+" + parts[1] + "\\s+VARCHAR\\((\\d+)\\)").matcher(table.group(1));
        assertThat(size.find()).as(column).isTrue();
        return Integer.parseInt(size.group(1));
    }
}
