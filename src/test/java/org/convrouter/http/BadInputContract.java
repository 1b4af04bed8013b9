package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.convrouter.support.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input for every operation openapi.yaml lists, so a new endpoint is covered as soon as it is
 * documented: over-long strings and ids, wrong types, huge lists, odd unicode (İ, combining marks,
 * NUL, lone surrogates, emoji), empty and null values, unknown fields, deep nesting and bad path
 * ids and query parameters, each put into every field of a valid body in turn. No answer may be a
 * server error, every error must have the documented shape, and a refused request must leave every
 * table of the database exactly as it was. The corpus is fixed, so a run is deterministic.
 */
abstract class BadInputContract {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CONVERSATION = "conv-1";
    private static final String CLOSED_BY_PROBES = "conv-2";

    protected TestServer server;

    /** The running service, on a database of its own. */
    protected abstract TestServer startServer();

    /** A JDBC URL reaching the same database as the running service. */
    protected abstract String databaseUrl();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A valid body for each documented operation that reads one: bad input is made by spoiling one field at a time. */
    private static final Map<String, String> VALID_BODIES = Map.ofEntries(
            Map.entry("POST /api/v1/users", "{\"id\":\"probe\",\"name\":\"P\",\"email\":\"p@example.com\",\"seat\":\"service\",\"available\":true,\"active\":true}"),
            Map.entry("PATCH /api/v1/users/{id}", "{\"name\":\"Ana\",\"email\":\"ana@example.com\",\"seat\":\"service\",\"available\":true,\"active\":true}"),
            Map.entry("PUT /api/v1/users/{id}/availability", "{\"available\":true}"),
            Map.entry("POST /api/v1/teams", "{\"id\":\"probe\",\"name\":\"P\",\"primaryMembers\":[\"ana\"],\"secondaryMembers\":[]}"),
            Map.entry("PATCH /api/v1/teams/{id}", "{\"name\":\"Tier1\",\"primaryMembers\":[\"ana\"],\"secondaryMembers\":[]}"),
            Map.entry("POST /api/v1/inboxes", "{\"id\":\"probe\",\"name\":\"P\",\"teams\":[\"tier1\"]}"),
            Map.entry("PATCH /api/v1/inboxes/{id}", "{\"name\":\"Help\",\"teams\":null}"),
            Map.entry("POST /api/v1/channels", "{\"id\":\"probe\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"P\"}"),
            Map.entry("PATCH /api/v1/channels/{id}", "{\"name\":\"Chat\",\"inboxId\":\"help\",\"kind\":\"chat\"}"),
            Map.entry("PUT /api/v1/channels/{id}/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                    + "\"users\":[\"ana\"],\"teams\":[\"tier1\"]},\"onlyAvailable\":true}"),
            Map.entry("POST /api/v1/contacts", "{\"id\":\"probe\",\"email\":\"probe@customer.test\",\"name\":\"P\",\"owner\":\"ana\",\"cookieTracked\":false}"),
            Map.entry("PATCH /api/v1/contacts/{id}", "{\"email\":\"carol@customer.test\",\"name\":\"Carol\",\"owner\":\"ana\",\"cookieTracked\":false}"),
            Map.entry("POST /api/v1/conversations", "{\"id\":\"probe\",\"channelId\":\"chat\",\"contact\":{\"email\":\"probe@customer.test\","
                    + "\"name\":\"P\"},\"message\":{\"text\":\"hi\",\"subject\":\"s\"}}"),
            Map.entry("POST /api/v1/conversations/{id}/assignment", "{\"assignee\":{\"type\":\"user\",\"id\":\"ana\"},\"byUserId\":\"ana\"}"),
            Map.entry("POST /api/v1/conversations/{id}/replies", "{\"text\":\"hi\",\"byUserId\":\"ana\"}"),
            Map.entry("POST /api/v1/routing/simulate", "{\"channelId\":\"chat\",\"contactId\":\"carol\",\"message\":{\"text\":\"hi\","
                    + "\"subject\":\"s\"},\"settings\":{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"ana\"],"
                    + "\"teams\":[]},\"onlyAvailable\":true}}"),
            Map.entry("POST /api/v1/integration-tokens", "{\"id\":\"probe\",\"name\":\"P\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}"),
            Map.entry("POST /api/v1/analyst-tokens", "{\"name\":\"P\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}"),
            Map.entry("POST /api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\",\"secret\":\"0123456789abcdef\","
                    + "\"events\":[\"conversation.created\"]}"),
            Map.entry("PUT /api/v1/account", "{\"timeZone\":\"UTC\"}"),
            Map.entry("POST /api/v1/rules/validate", "{\"files\":{\"probe.drl\":\"package rules;\"}}"));

    /** Operations that read no JSON body: they get the whole-body corpus only (a rule file's body is DRL, not JSON). */
    private static final Set<String> NO_JSON_BODY = Set.of("POST /api/v1/users/{id}/token", "POST /api/v1/conversations/{id}/close",
            "POST /api/v1/rules/reload", "PUT /api/v1/rules/files/{name}");

    /**
     * Operations that compile a rule set, or may: each takes a good part of a second, so they get the
     * bad values refused before compiling, and a few whole bodies.
     */
    private static final Set<String> COMPILES_RULES = Set.of("POST /api/v1/rules/validate", "POST /api/v1/rules/reload",
            "PUT /api/v1/rules/files/{name}");

    private static List<JsonNode> refusedBeforeCompiling() {
        return List.of(NODES.nullNode(), NODES.numberNode(12345), NODES.booleanNode(true), NODES.arrayNode(),
                NODES.textNode("\u0000"), NODES.textNode("\uD800"), NODES.textNode(""), NODES.textNode("../x.drl"));
    }

    /**
     * Operations that take no input at all and whose only effect would end the admin token the
     * probes use (rotating it): there is nothing bad to send them.
     */
    private static final Set<String> NO_INPUT = Set.of("POST /api/v1/admin-token/rotate");

    /** Values put in place of each field of a valid body. */
    private static List<JsonNode> badValues() {
        List<JsonNode> values = new ArrayList<>();
        for (String s : List.of("x".repeat(20_001), "İ".repeat(400), "a@" + "İ".repeat(300), "e\u0301".repeat(10_001),
                "\uD83D\uDE00".repeat(10_001), "\u0000", "a\u0000b", "\uD800", "x\uDC00", "", " ", "İ", "x".repeat(65),
                "ana\u0301", "../../etc/passwd", "%00")) {
            values.add(NODES.textNode(s));
        }
        values.add(NODES.nullNode());
        values.add(NODES.numberNode(12345));
        values.add(NODES.numberNode(1.5e300));
        values.add(NODES.booleanNode(true));
        values.add(NODES.objectNode().put("x", 1));
        values.add(NODES.arrayNode());
        ArrayNode huge = NODES.arrayNode();
        for (int i = 0; i < 2_000; i++) {
            huge.add("u" + i);
        }
        values.add(huge);
        ArrayNode repeated = NODES.arrayNode();
        for (int i = 0; i < 3; i++) {
            repeated.add("ana");
        }
        values.add(repeated);
        values.add(NODES.arrayNode().add(NODES.nullNode()).add(12));
        values.add(NODES.arrayNode().add("x".repeat(1_000)));
        return values;
    }

    /** Whole bodies that are wrong in themselves. */
    private static List<String> badBodies() {
        return List.of("", " ", "null", "[]", "\"text\"", "12", "{", "{}}", "{} {}", "{\"a\":1,\"a\":2}",
                "{\"unknown\":1}", "{\"\\u0000\":1}", "{\"x\":\"\\ud800\"}", "[".repeat(5_000) + "]".repeat(5_000),
                "{\"a\":".repeat(3_000) + "1" + "}".repeat(3_000), "\u00ff\u00fe not utf-8");
    }

    /** Path parameter values that name nothing or cannot be an id. */
    private static final List<String> BAD_PATH_IDS = List.of("x".repeat(65), "x".repeat(4_000), "%C4%B0", "%F0%9F%98%80",
            "e%CC%81", "%2E%2E", "a%20b", "%ED%A0%80", "-", "null");

    private static final List<String> BAD_QUERIES = List.of("limit=0", "limit=-1", "limit=abc", "limit=99999999999",
            "limit=1.5", "cursor=" + "x".repeat(5_000), "cursor=%C4%B0", "cursor=-1", "cursor=%00", "view=%C4%B0",
            "view=" + "x".repeat(300), "status=%F0%9F%98%80", "inboxId=" + "x".repeat(300), "userId=%C4%B0", "view=mine",
            "view=mine&userId=" + "x".repeat(65));

    /**
     * One probe. A connection the client found closed before any answer is tried once more on a new
     * one: a service that cannot answer a probe fails it both times, and is reported with the probe.
     */
    private TestServer.Answer send(Probe probe, OpenApiTest.Operation op) {
        try {
            return server.call(probe.method(), probe.path(), TestServer.ADMIN, probe.body());
        } catch (java.io.UncheckedIOException first) {
            try {
                return server.call(probe.method(), probe.path(), TestServer.ADMIN, probe.body());
            } catch (java.io.UncheckedIOException second) {
                throw new AssertionError("no answer to " + op.key() + " with " + probe.what(), second);
            }
        }
    }

    @Test
    void everyOperationRefusesBadInputCleanlyAndChangesNothing() throws Exception {
        server = startServer();
        seed();
        List<OpenApiTest.Operation> operations = OpenApiTest.parse(server.get("/openapi.yaml", null).body());
        assertThat(operations).hasSizeGreaterThan(30);
        List<String> problems = new ArrayList<>();
        int sent = 0;
        try (Connection db = DriverManager.getConnection(databaseUrl())) {
            Map<String, List<String>> before = snapshot(db);
            for (OpenApiTest.Operation op : operations) {
                if (NO_INPUT.contains(op.key())) {
                    continue;
                }
                boolean takesBody = Set.of("POST", "PUT", "PATCH").contains(op.method());
                if (takesBody && !NO_JSON_BODY.contains(op.key())) {
                    assertThat(VALID_BODIES).as("a valid body for " + op.key() + " (add one for a new endpoint)").containsKey(op.key());
                }
                List<Probe> probes = new ArrayList<>();
                String path = concrete(op);
                for (String bad : BAD_PATH_IDS) {
                    if (op.path().contains("{")) {
                        probes.add(new Probe(op.method(), op.path().replaceAll("\\{[^}]+}", bad), takesBody ? "{}" : null,
                                "path id " + abbreviate(bad)));
                    }
                }
                if (op.method().equals("GET")) {
                    for (String query : BAD_QUERIES) {
                        probes.add(new Probe("GET", path + "?" + query, null, "query " + abbreviate(query)));
                    }
                }
                if (takesBody) {
                    List<String> bodies = op.key().equals("POST /api/v1/rules/reload") ? badBodies().subList(0, 3) // reads no body
                            : COMPILES_RULES.contains(op.key()) ? badBodies().subList(0, 8) : badBodies();
                    for (String body : bodies) {
                        probes.add(new Probe(op.method(), path, body, "body " + abbreviate(body)));
                    }
                    String valid = VALID_BODIES.get(op.key());
                    if (valid != null) {
                        for (String body : spoiled(valid, COMPILES_RULES.contains(op.key()))) {
                            probes.add(new Probe(op.method(), path, body, "body " + abbreviate(body)));
                        }
                    }
                }
                for (Probe probe : probes) {
                    TestServer.Answer answer = send(probe, op);
                    sent++;
                    String what = op.key() + " with " + probe.what() + " -> " + answer.status() + " "
                            + abbreviate(answer.body());
                    if (answer.status() >= 500) {
                        problems.add("server error: " + what);
                    }
                    if (answer.status() >= 400 && !hasErrorShape(answer)) {
                        problems.add("not the documented error shape: " + what);
                    }
                    Map<String, List<String>> after = snapshot(db);
                    if (answer.status() >= 400 && !after.equals(before)) {
                        problems.add("refused but changed " + changedTables(before, after) + ": " + what);
                    }
                    if (answer.status() < 300 && COMPILES_RULES.contains(op.key())) {
                        after = settled(db, after); // an accepted rule file reaches the folder's record a moment later
                    }
                    before = after; // what an accepted request changed is the next one's starting point
                }
            }
        }
        assertThat(sent).isGreaterThan(3_000);
        assertThat(problems).isEmpty();
    }

    private record Probe(String method, String path, String body, String what) {}

    /** The valid body with one field at a time (at any depth) replaced by each bad value, and an unknown field added. */
    static List<String> spoiled(String validJson, boolean fewer) throws Exception {
        JsonNode valid = Json.mapper().readTree(validJson);
        List<String> bodies = new ArrayList<>();
        List<List<Object>> paths = new ArrayList<>();
        collectPaths(valid, new ArrayList<>(), paths);
        for (List<Object> path : paths) {
            for (JsonNode value : fewer ? refusedBeforeCompiling() : badValues()) {
                JsonNode copy = valid.deepCopy();
                replace(copy, path, value);
                bodies.add(Json.mapper().writeValueAsString(copy));
            }
            JsonNode withUnknown = valid.deepCopy();
            JsonNode parent = at(withUnknown, path.subList(0, path.size() - 1));
            if (parent instanceof ObjectNode object) {
                object.put("unknownField", 1);
                bodies.add(Json.mapper().writeValueAsString(withUnknown));
            }
        }
        return bodies;
    }

    private static void collectPaths(JsonNode node, List<Object> path, List<List<Object>> into) {
        if (!path.isEmpty()) {
            into.add(List.copyOf(path));
        }
        if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                path.add(name);
                collectPaths(node.get(name), path, into);
                path.remove(path.size() - 1);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            path.add(0);
            collectPaths(node.get(0), path, into);
            path.remove(path.size() - 1);
        }
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object segment : path) {
            node = segment instanceof Integer i ? node.get(i) : node.get((String) segment);
        }
        return node;
    }

    private static void replace(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode parent = at(root, path.subList(0, path.size() - 1));
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer i) {
            ((ArrayNode) parent).set(i, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
    }

    /** The operation's path with each parameter naming something that exists. */
    private static String concrete(OpenApiTest.Operation op) {
        String path = op.path();
        if (path.startsWith("/api/v1/conversations/{id}/close")) {
            return path.replace("{id}", CLOSED_BY_PROBES);
        }
        String id = path.startsWith("/api/v1/users/") ? "ana"
                : path.startsWith("/api/v1/teams/") ? "tier1"
                : path.startsWith("/api/v1/inboxes/") ? "help"
                : path.startsWith("/api/v1/channels/") ? "chat"
                : path.startsWith("/api/v1/contacts/") ? "carol"
                : path.startsWith("/api/v1/conversations/") ? CONVERSATION
                : "some-id";
        return path.replace("{id}", id).replace("{name}", "probe.drl");
    }

    /** A small world every probe's valid form would act on. */
    private void seed() {
        server.admin("POST", "/api/v1/users", "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\",\"seat\":\"service\",\"available\":true}");
        server.admin("POST", "/api/v1/teams", "{\"id\":\"tier1\",\"name\":\"Tier1\",\"primaryMembers\":[\"ana\"],\"secondaryMembers\":[]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"chat\",\"inboxId\":\"help\",\"kind\":\"chat\",\"name\":\"Chat\"}");
        server.admin("PUT", "/api/v1/channels/chat/routing", "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\","
                + "\"users\":[\"ana\"],\"teams\":[]},\"onlyAvailable\":true}");
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"carol\",\"email\":\"carol@customer.test\",\"name\":\"Carol\",\"owner\":\"ana\"}");
        for (String id : List.of(CONVERSATION, CLOSED_BY_PROBES)) {
            server.admin("POST", "/api/v1/conversations", "{\"id\":\"" + id + "\",\"channelId\":\"chat\",\"contactId\":\"carol\","
                    + "\"message\":{\"text\":\"Hello\"}}");
        }
        server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Pricing\"}");
    }

    /** {"error": {"code": text, "message": text, "details": [...]}} and nothing else. */
    private static boolean hasErrorShape(TestServer.Answer answer) {
        try {
            JsonNode body = Json.mapper().readTree(answer.body());
            JsonNode error = body.path("error");
            return body.size() == 1 && error.path("code").isTextual() && !error.path("code").asText().isEmpty()
                    && error.path("message").isTextual() && error.path("details").isArray();
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The database once nothing has changed for 1.5 s: what an accepted change sets off in the
     * background (the rules folder's watcher compiles the file it wrote, then records the folder) is done.
     */
    private static Map<String, List<String>> settled(Connection db, Map<String, List<String>> last) throws Exception {
        for (int i = 0; i < 8; i++) {
            Thread.sleep(1_500);
            Map<String, List<String>> now = snapshot(db);
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the database kept changing for 12 s after an accepted request");
    }

    /** Every row of every table of the service's schema, as text, sorted. */
    private static Map<String, List<String>> snapshot(Connection db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = db.createStatement().executeQuery("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = CURRENT_SCHEMA AND table_type IN ('BASE TABLE', 'TABLE')")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("conversations", "messages", "users");
        Map<String, List<String>> snapshot = new TreeMap<>();
        for (String table : tables) {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = db.createStatement().executeQuery("SELECT * FROM " + table)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        row.append(rs.getString(c)).append('|');
                    }
                    rows.add(row.toString());
                }
            }
            rows.sort(null);
            snapshot.put(table, rows);
        }
        return snapshot;
    }

    private static List<String> changedTables(Map<String, List<String>> before, Map<String, List<String>> after) {
        Map<String, List<String>> all = new LinkedHashMap<>(before);
        after.forEach(all::putIfAbsent);
        return all.keySet().stream().filter(t -> !java.util.Objects.equals(before.get(t), after.get(t)))
                .map(t -> t + " " + abbreviate(String.valueOf(before.get(t))) + " -> " + abbreviate(String.valueOf(after.get(t)))).toList();
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 300 ? s.substring(0, 280) + "...(" + s.length() + " chars)" : s;
    }
}
