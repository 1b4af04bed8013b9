package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.convrouter.App;
import org.convrouter.Config;
import org.convrouter.Policy;
import org.convrouter.support.Json;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs docs/api-walkthrough.md, and the README's first conversation, against a fresh service,
 * command by command, and checks every answer they show, so a stale sample fails the build. The
 * pages hold shell a reader pastes; this test understands the small part of shell it uses: variables, {@code curl}, and pipes into
 * {@code jq -r}, {@code jq -Rs}, {@code grep -E}, {@code head}, {@code sed 's/a/b/'} and
 * {@code cat}/{@code echo}. An answer is written as a comment after its command: the status, then
 * the body, where {@code ...} stands for anything and a remark in parentheses is not checked. A
 * command whose answer is not shown must still succeed. Every operation of the OpenAPI document
 * must be called at least once.
 */
class ApiWalkthroughTest {

    private static final Path WALKTHROUGH = Path.of("docs/api-walkthrough.md");
    private static final Pattern STATUS_FIRST = Pattern.compile("(\\d{3})(?: (.*))?", Pattern.DOTALL);
    private static final Set<String> NOT_RUN = Set.of("./run", "cp", "kill", "rm");

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final Map<String, String> vars = new HashMap<>();
    private final Set<String> called = new LinkedHashSet<>();
    private Path rulesCopy;
    private Path where;
    private int lastStatus;
    /** Every stale answer is reported at once, not only the first. */
    private final SoftAssertions softly = new SoftAssertions();

    @Test
    void everySampleAnswerInTheWalkthroughIsWhatTheServiceAnswersAndEveryOperationIsCalled() throws Exception {
        runPage(WALKTHROUGH);
        Set<String> documented = OpenApiTest.parse(Files.readString(Path.of("src/main/resources/openapi.yaml"))).stream()
                .map(o -> o.method() + " " + o.path()).collect(Collectors.toCollection(LinkedHashSet::new));
        documented.removeAll(called);
        assertThat(documented).as("operations of the OpenAPI document the walk-through never calls").isEmpty();
    }

    @Test
    void theReadmesFirstConversationIsRoutedAsItShows() throws Exception {
        runPage(Path.of("README.md"));
        assertThat(called).contains("POST /api/v1/conversations", "GET /api/v1/conversations/{id}/decision");
    }

    /** Runs a page's shell blocks against a fresh service started with the admin token the page names. */
    private void runPage(Path page) throws Exception {
        where = page;
        String markdown = Files.readString(page);
        Matcher token = Pattern.compile("ROUTER_ADMIN_TOKEN=([\\w-]+)").matcher(markdown);
        assertThat(token.find()).as(page + " names the admin token it starts the service with").isTrue();
        rulesCopy = Files.createDirectories(dir.resolve("rules"));
        Policy.copyRulesTo(rulesCopy);
        try (App app = App.start(new Config("127.0.0.1", 0, dir.resolve("data"), rulesCopy, null, token.group(1)), line -> { })) {
            vars.put("ROUTER_ADMIN_TOKEN", token.group(1));
            for (Step step : steps(markdown)) {
                run(step, app.port());
            }
        }
        softly.assertAll();
    }

    /** One shell command (continuation lines joined) and the comment lines that follow it. */
    record Step(int line, String command, List<String> answer) {}

    static List<Step> steps(String markdown) {
        List<Step> steps = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inShell = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("```")) {
                inShell = !inShell && line.equals("```sh");
                continue;
            }
            if (!inShell || line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int start = i + 1;
            StringBuilder command = new StringBuilder(line);
            while (command.toString().endsWith("\\") || command.toString().endsWith("|")) {
                if (command.charAt(command.length() - 1) == '\\') {
                    command.setLength(command.length() - 1);
                }
                command.append(' ').append(lines[++i].strip());
            }
            List<String> answer = new ArrayList<>();
            while (i + 1 < lines.length && lines[i + 1].startsWith("#")) {
                answer.add(lines[++i].substring(1).strip());
            }
            steps.add(new Step(start, withoutTrailingComment(command.toString()), answer));
        }
        return steps;
    }

    /** A {@code #} after whitespace and outside quotes starts a remark for the reader. */
    private static String withoutTrailingComment(String command) {
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && i > 0 && Character.isWhitespace(command.charAt(i - 1))) {
                return command.substring(0, i).strip();
            }
        }
        return command.strip();
    }

    private void run(Step step, int port) throws Exception {
        String where = this.where + ":" + step.line() + ": " + step.command();
        String command = step.command();
        vars.put("R", "http://127.0.0.1:" + port);
        if (command.startsWith("export ")) {
            command = command.substring("export ".length());
        }
        boolean waitedBefore = afterSleep;
        afterSleep = command.startsWith("sleep ");
        Matcher assignment = Pattern.compile("([A-Z_]+)=(.*)").matcher(command);
        if (assignment.matches()) {
            String name = assignment.group(1);
            String value = assignment.group(2);
            if (value.startsWith("$(") && value.endsWith(")")) {
                vars.put(name, pipeline(value.substring(2, value.length() - 1), where).strip());
                check(step, where, lastAnswer);
            } else if (!name.equals("R") && !name.equals("ROUTER_ADMIN_TOKEN")) { // this test's own address and token
                vars.put(name, String.join("", words(value)));
            }
            return;
        }
        if (NOT_RUN.contains(command.split(" ")[0])) {
            return;
        }
        Answer answer = answer(command, where);
        // A page sleeps to give background work (the waiting queue) time; a loaded machine may need
        // longer, so a read after a sleep is repeated until it shows its answer, within a bound.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (waitedBefore && readOnly(command) && !mismatches(shown(step.answer()), answer).isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(100);
            answer = answer(command, where);
        }
        check(step, where, answer);
    }

    /** Runs the command; the answer is what a filter printed, or else the last HTTP answer. */
    private Answer answer(String command, String where) throws Exception {
        String output = pipeline(command, where);
        return command.contains("| grep") || command.contains("| head") ? new Answer(lastStatus, output) : lastAnswer;
    }

    /** A curl that only reads (no method but GET, no body): safe to repeat. */
    private static boolean readOnly(String command) {
        return command.startsWith("curl ") && !command.contains(" -X ") && !command.contains(" -d ")
                && !command.contains(" --data") && !command.contains(" --request ");
    }


    private Answer lastAnswer;
    /** Whether the step before was a {@code sleep}. */
    private boolean afterSleep;

    record Answer(int status, String body) {}

    /** The shown answer, if any, matches; with none shown the call must have succeeded. */
    private void check(Step step, String where, Answer answer) {
        mismatches(shown(step.answer()), answer).forEach(mismatch -> softly.fail(where + "\n" + mismatch));
    }

    /**
     * How the answer differs from the one a page shows: a 2xx when it shows nothing, the status (and
     * body) when it shows a status, else a line matching each line shown. Empty when it agrees.
     */
    private static List<String> mismatches(List<String> shown, Answer answer) {
        if (answer == null) {
            return List.of();
        }
        if (shown.isEmpty()) {
            return answer.status() >= 200 && answer.status() <= 299 ? List.of()
                    : List.of("answered " + answer.status() + ", not a 2xx: " + answer.body());
        }
        Matcher status = STATUS_FIRST.matcher(String.join("", shown));
        if (status.matches()) {
            if (answer.status() != Integer.parseInt(status.group(1))) {
                return List.of("answered " + answer.status() + ", shown " + status.group(1) + ": " + answer.body());
            }
            return status.group(2) == null || pattern(status.group(2)).matcher(answer.body().strip()).matches() ? List.of()
                    : List.of("answered " + answer.body().strip() + "\nshown " + status.group(2));
        }
        List<String> lines = answer.body().lines().toList();
        return shown.stream().filter(expected -> lines.stream().noneMatch(l -> pattern(expected).matcher(l).matches()))
                .map(expected -> "shows: " + expected + "\nanswered:\n" + answer.body()).toList();
    }

    /**
     * The answer shown, without remarks for the reader: text in parentheses after two spaces, or
     * lines from one starting with a parenthesis to the one that closes it.
     */
    static List<String> shown(List<String> comment) {
        List<String> shown = new ArrayList<>();
        boolean inRemark = false;
        for (String line : comment) {
            if (inRemark || line.startsWith("(")) {
                inRemark = !line.endsWith(")");
                continue;
            }
            String s = line.replaceAll("\\s{2,}\\(.*\\)\\s*$", "").strip();
            s = s.startsWith("the answer: ") ? s.substring("the answer: ".length()) : s;
            if (!s.isEmpty()) {
                shown.add(s);
            }
        }
        return shown;
    }

    private static Pattern pattern(String shown) {
        StringBuilder regex = new StringBuilder();
        for (String literal : shown.split("\\.\\.\\.", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*?");
            }
            regex.append(Pattern.quote(literal));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Runs {@code a | b | c}; each stage reads the one before's output. */
    private String pipeline(String command, String where) throws Exception {
        String data = "";
        for (String stage : split(command, '|')) {
            data = stage(stage.strip(), data, where);
        }
        return data;
    }

    private String stage(String stage, String in, String where) throws Exception {
        if (stage.startsWith("{") && stage.endsWith("}")) { // { cat file; echo 'text'; }
            StringBuilder out = new StringBuilder();
            for (String part : split(stage.substring(1, stage.length() - 1), ';')) {
                if (!part.isBlank()) {
                    out.append(stage(part.strip(), in, where));
                }
            }
            return out.toString();
        }
        List<String> w = words(stage);
        return switch (w.get(0)) {
            case "curl" -> curl(w, in, where);
            case "cat" -> Files.readString(local(w.get(1)));
            case "echo" -> String.join(" ", w.subList(1, w.size())) + "\n";
            case "sleep" -> {
                Thread.sleep((long) (Double.parseDouble(w.get(1)) * 1000));
                yield "";
            }
            case "head" -> in.lines().limit(Long.parseLong(w.get(1).substring(1))).collect(Collectors.joining("\n"));
            case "grep" -> in.lines().filter(l -> Pattern.compile(w.get(2)).matcher(l).find()).collect(Collectors.joining("\n"));
            case "sed" -> sed(w.get(1), Files.readString(local(w.get(2))));
            case "jq" -> jq(w, in);
            default -> throw new AssertionError(where + ": the walk-through test does not know " + w.get(0));
        };
    }

    private static String sed(String script, String text) {
        String[] parts = script.split("/", -1); // s/from/to/
        return text.replace(parts[1], parts[2]);
    }

    /** {@code jq -r .path} reads a field; {@code jq -Rs '{files: {"name": .}}'} wraps raw text as a validate body. */
    private static String jq(List<String> w, String in) {
        if (w.get(1).equals("-r")) {
            JsonNode node = Json.read(in, JsonNode.class);
            for (String key : w.get(2).substring(1).split("\\.")) {
                Matcher indexed = Pattern.compile("(\\w+)\\[(\\d+)]").matcher(key);
                node = indexed.matches() ? node.get(indexed.group(1)).get(Integer.parseInt(indexed.group(2))) : node.get(key);
            }
            return node.asText();
        }
        Matcher files = Pattern.compile("\\{files: \\{\"([^\"]+)\": \\.}}").matcher(w.get(2));
        assertThat(w.get(1)).isEqualTo("-Rs");
        assertThat(files.matches()).as("jq -Rs filter " + w.get(2)).isTrue();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("files").put(files.group(1), in);
        return body.toString();
    }

    private Path local(String path) {
        return path.startsWith("/tmp/walk-rules/") ? rulesCopy.resolve(path.substring("/tmp/walk-rules/".length())) : Path.of(path);
    }

    private String curl(List<String> w, String in, String where) throws IOException, InterruptedException {
        String method = null;
        String url = null;
        String body = null;
        HttpRequest.Builder request = HttpRequest.newBuilder();
        for (int i = 1; i < w.size(); i++) {
            switch (w.get(i)) {
                case "-s" -> { }
                case "-X" -> method = w.get(++i);
                case "-H" -> {
                    String[] header = w.get(++i).split(":\\s*", 2);
                    request.header(header[0], header[1]);
                }
                case "-d", "--data-binary" -> body = w.get(++i).equals("@-") ? in : w.get(i);
                default -> {
                    assertThat(w.get(i)).as(where + ": curl argument").startsWith("http");
                    url = w.get(i);
                }
            }
        }
        method = method != null ? method : body != null ? "POST" : "GET";
        request.uri(URI.create(url)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        lastStatus = response.statusCode();
        lastAnswer = new Answer(response.statusCode(), response.body());
        called.add(method + " " + template(URI.create(url).getPath()));
        return response.body();
    }

    /** The OpenAPI path of a called path: an id segment after a collection becomes {id}, or {name} for rule files. */
    private static String template(String path) {
        return path.replaceAll("^/api/v1/rules/files/[^/]+$", "/api/v1/rules/files/{name}")
                .replaceAll("^(/api/v1/(?:users|teams|inboxes|channels|contacts|conversations|analyst-tokens|integration-tokens|webhooks))/(?!token$)[^/]+", "$1/{id}");
    }

    /** Shell words: quotes removed, {@code $NAME} expanded outside single quotes. */
    private List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            word = word == null ? new StringBuilder() : word;
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                word.append(text, i + 1, end);
                i = end;
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                while (text.charAt(end - 1) == '\\') {
                    end = text.indexOf('"', end + 1);
                }
                word.append(expand(text.substring(i + 1, end).replace("\\\"", "\"")));
                i = end;
            } else if (c == '$') {
                Matcher name = Pattern.compile("[A-Z_]+").matcher(text).region(i + 1, text.length());
                assertThat(name.lookingAt()).as("a variable in: " + text).isTrue();
                word.append(variable(name.group()));
                i = name.end() - 1;
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private String expand(String text) {
        Matcher m = Pattern.compile("\\$([A-Z_]+)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(variable(m.group(1))));
        }
        return m.appendTail(out).toString();
    }

    private String variable(String name) {
        assertThat(vars).as("variable $" + name + " is set earlier in the walk-through").containsKey(name);
        return vars.get(name);
    }

    /** Splits on a separator outside quotes and braces. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        char quote = 0;
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{' || c == '(') {
                depth++;
            } else if (c == '}' || c == ')') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
