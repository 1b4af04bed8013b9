package org.convrouter;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.convrouter.rules.RuleCompilationException;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.convrouter.scenario.ScenarioResult;
import org.convrouter.scenario.ScenarioRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code validate} (and, with the service, {@code serve}). */
@Command(name = "conversation-router", mixinStandardHelpOptions = true,
        subcommands = {Main.Serve.class, Main.Validate.class, Main.WarmUp.class},
        description = "Routes customer conversations to agents and teams; policy lives in DRL files.")
public final class Main {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Command(name = "serve", description = "Start the service.")
    static final class Serve implements Callable<Integer> {

        @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
        String host;

        @Option(names = "--port", defaultValue = "7070", description = "port (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--data", defaultValue = "./data", description = "data folder: embedded database, admin token hash (default: ${DEFAULT-VALUE})")
        Path data;

        @Option(names = "--rules", defaultValue = "./rules", description = "the rules folder (default: ${DEFAULT-VALUE})")
        Path rules;

        @Option(names = "--db-url", description = "a PostgreSQL JDBC URL; without it the embedded database is used")
        String dbUrl;

        @Override
        public Integer call() throws InterruptedException {
            long started = System.nanoTime();
            App app;
            try {
                app = App.start(new Config(host, port, data, rules, dbUrl, System.getenv("ROUTER_ADMIN_TOKEN")), System.out::println);
            } catch (RuleCompilationException e) {
                e.errors().forEach(error -> System.out.println("ERROR " + error));
                System.out.println("The rules in " + rules + " do not compile; the service did not start.");
                return 1;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
            System.out.printf("conversation-router listening on http://%s:%d (rules %s, %s) - started in %d ms%n", host,
                    app.port(), app.rules().current().version(), dbUrl == null ? "embedded database in " + data : dbUrl,
                    (System.nanoTime() - started) / 1_000_000);
            Thread.currentThread().join();
            return 0;
        }
    }

    /**
     * A training run for the JVM's class-data-sharing archive, made by the build: starts the whole
     * service on a throw-away data folder, answers one request and stops, so that every class a
     * real start loads is archived. Serving with the archive starts about twice as fast.
     */
    @Command(name = "warm-up", hidden = true, description = "Start and stop the service once (build-time class-data-sharing training).")
    static final class WarmUp implements Callable<Integer> {

        @Option(names = "--rules", defaultValue = "./rules")
        Path rules;

        @Override
        public Integer call() throws Exception {
            Path data = java.nio.file.Files.createTempDirectory("router-warm-up");
            try (App app = App.start(new Config("127.0.0.1", 0, data, rules, null, "warm-up"), line -> { })) {
                var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + app.port() + "/health")).build();
                java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
            } finally {
                try (var files = java.nio.file.Files.walk(data)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return 0;
        }
    }

    @Command(name = "validate", description = "Compile the rules folder and run its scenarios; print every error with file:line:column. Exit 0 only when all is well.")
    static final class Validate implements Callable<Integer> {

        @Option(names = "--rules", defaultValue = "./rules", description = "the rules folder (default: ${DEFAULT-VALUE})")
        Path rules;

        @Override
        public Integer call() {
            RuleSet ruleSet;
            try {
                ruleSet = new RuleSetCompiler().compile(rules);
            } catch (RuleCompilationException e) {
                for (RuleError error : e.errors()) {
                    System.out.println("ERROR " + error);
                }
                System.out.printf("FAILED: the rules in %s do not compile (%d error(s))%n", rules, e.errors().size());
                return 1;
            }
            System.out.printf("compiled %s: version %s, %d files, %d rules%n", rules, ruleSet.version(),
                    ruleSet.files().size(), ruleSet.ruleNames().size());
            List<ScenarioResult> results = new ScenarioRunner(rules.resolve("scenarios")).run(ruleSet);
            for (ScenarioResult result : results) {
                System.out.printf("%s  %s: %s%n", result.passed() ? "PASS" : "FAIL", result.file(), result.name());
                result.failures().forEach(failure -> System.out.println("        " + failure));
            }
            long failed = results.stream().filter(r -> !r.passed()).count();
            System.out.println(failed == 0 ? "OK: all " + results.size() + " scenarios passed"
                    : "FAILED: " + failed + " of " + results.size() + " scenarios failed");
            return failed == 0 ? 0 : 1;
        }
    }
}
