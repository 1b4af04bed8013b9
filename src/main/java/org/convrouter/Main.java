package org.convrouter;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrouter.outbox.OutboxConfig;
import org.convrouter.rules.RuleCompilationException;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.convrouter.scenario.ScenarioResult;
import org.convrouter.scenario.ScenarioRunner;
import org.convrouter.scenario.Validation;
import org.convrouter.support.Secrets;
import org.slf4j.LoggerFactory;

/** The command line: {@code serve} and {@code validate} (and the build's hidden {@code warm-up}). */
public final class Main {

    static final String USAGE = """
            Usage: conversation-router COMMAND [OPTIONS]
            Routes customer conversations to agents and teams; policy lives in DRL files.

            Commands:
              serve      Start the service.
                           --host HOST     address to listen on (default: 127.0.0.1)
                           --port PORT     port (default: 7070)
                           --data FOLDER   data folder: embedded database (default: ./data)
                           --rules FOLDER  the rules folder (default: ./rules)
                           --db-url URL    a PostgreSQL JDBC URL; without it the embedded database is used
                         Environment: ROUTER_ADMIN_TOKEN (the admin token), ROUTER_SMTP_URL
                         (smtp://host:port or smtps://user:password@host:port; without it mail waits),
                         ROUTER_MAIL_FROM (the sender address), ROUTER_PUBLIC_URL (the console's
                         address, for links in mail).
              validate   Compile the rules folder and run its scenarios; print every error with
                         file:line:column. Exit 0 only when all is well.
                           --rules FOLDER  the rules folder (default: ./rules)
              --help     Show this help.
            """;

    private static final Map<String, String> SERVE = options("host", "127.0.0.1", "port", "7070", "data", "./data",
            "rules", "./rules", "db-url", null);
    private static final Map<String, String> RULES_ONLY = Map.of("rules", "./rules");

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit code: 0 done, 1 failed, 2 the command line was refused. */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length > 0 && List.of("--help", "-h", "help").contains(args[0])) {
            out.print(USAGE);
            return 0;
        }
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (command) {
                case "serve" -> serve(Arguments.parse(rest, SERVE), out);
                case "validate" -> validate(Path.of(Arguments.parse(rest, RULES_ONLY).get("rules")), out);
                case "warm-up" -> warmUp(Path.of(Arguments.parse(rest, RULES_ONLY).get("rules")));
                default -> throw new Arguments.Refused(command.isEmpty() ? "Missing command" : "Unknown command: '" + command + "'");
            };
        } catch (Arguments.Refused e) {
            err.println(e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (RuntimeException e) {
            if (!causedByTheMachine(e)) {
                throw e; // a bug: its stack trace is what a maintainer needs
            }
            // A folder that is not there or a database that cannot be reached: the operator needs the
            // reasons, one per line, not a stack trace (which the log keeps at debug level).
            LoggerFactory.getLogger(Main.class).debug("{} failed", command, e);
            err.println("FAILED: " + e.getMessage());
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                err.println("  because: " + cause.getMessage());
            }
            return 1;
        }
    }

    /** Whether a failure comes from the files or the database given, rather than from the code. */
    private static boolean causedByTheMachine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    private static int serve(Arguments arguments, PrintStream out) throws InterruptedException {
        String host = arguments.get("host");
        int port = arguments.port("port");
        Path data = Path.of(arguments.get("data"));
        Path rules = Path.of(arguments.get("rules"));
        String dbUrl = arguments.get("db-url");
        OutboxConfig outbox;
        try {
            outbox = OutboxConfig.fromEnvironment(System::getenv);
        } catch (IllegalArgumentException e) {
            throw new Arguments.Refused(e.getMessage());
        }
        long started = System.nanoTime();
        App app;
        try {
            app = App.start(new Config(host, port, data, rules, dbUrl, System.getenv("ROUTER_ADMIN_TOKEN")).withOutbox(outbox)
                    .withQueueSweep(queueSweep(System.getenv("ROUTER_QUEUE_SWEEP_SECONDS"))), out::println);
        } catch (RuleCompilationException e) {
            e.errors().forEach(error -> out.println("ERROR " + error));
            out.println("The rules in " + rules + " do not compile; the service did not start.");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        out.printf("conversation-router listening on http://%s:%d (rules %s, %s) - started in %d ms%n", host,
                app.port(), app.rules().current().version(), dbUrl == null ? "embedded database in " + data : Secrets.maskUrl(dbUrl),
                (System.nanoTime() - started) / 1_000_000);
        Thread.currentThread().join();
        return 0;
    }

    /** The waiting queue's sweep: ROUTER_QUEUE_SWEEP_SECONDS (a whole number of seconds, at least 1), 30 s when unset. */
    static java.time.Duration queueSweep(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return org.convrouter.conversation.WaitingQueue.DEFAULT_SWEEP;
        }
        try {
            long value = Long.parseLong(seconds.trim());
            if (value >= 1) {
                return java.time.Duration.ofSeconds(value);
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Arguments.Refused("ROUTER_QUEUE_SWEEP_SECONDS: a whole number of seconds, at least 1, not '" + seconds + "'");
    }

    /**
     * A training run for the JVM's class-data-sharing archive, made by the build: starts the whole
     * service on a throw-away data folder, answers one request and stops, so that every class a
     * real start loads is archived. Serving with the archive starts about twice as fast.
     */
    private static int warmUp(Path rules) throws Exception {
        Path data = Files.createTempDirectory("router-warm-up");
        try (App app = App.start(new Config("127.0.0.1", 0, data, rules, null, "warm-up"), line -> { })) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health")).build();
            HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
        } finally {
            try (var files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static int validate(Path rules, PrintStream out) {
        Validation validation = Validation.of(RuleSetCompiler.read(rules), new RuleSetCompiler(),
                new ScenarioRunner(rules.resolve("scenarios")));
        RuleSet ruleSet = validation.ruleSet();
        if (ruleSet == null) {
            for (RuleError error : validation.errors()) {
                out.println("ERROR " + error);
            }
            out.printf("FAILED: the rules in %s do not compile (%d error(s))%n", rules, validation.errors().size());
            return 1;
        }
        out.printf("compiled %s: version %s, %d files, %d rules%n", rules, ruleSet.version(),
                ruleSet.files().size(), ruleSet.ruleNames().size());
        List<ScenarioResult> results = validation.results();
        for (ScenarioResult result : results) {
            out.printf("%s  %s: %s%n", result.passed() ? "PASS" : "FAIL", result.where(), result.name());
            result.failures().forEach(failure -> out.println("        " + failure));
        }
        long failed = validation.failedScenarios();
        out.println(failed == 0 ? "OK: all " + results.size() + " scenarios passed"
                : "FAILED: " + failed + " of " + results.size() + " scenarios failed");
        return validation.passed() ? 0 : 1;
    }

    private static Map<String, String> options(String... namesAndDefaults) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < namesAndDefaults.length; i += 2) {
            options.put(namesAndDefaults[i], namesAndDefaults[i + 1]);
        }
        return options;
    }
}
