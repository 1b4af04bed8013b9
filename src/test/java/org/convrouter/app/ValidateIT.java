package org.convrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.convrouter.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analysts' pre-flight check, through the jar as they run it. */
class ValidateIT {

    @TempDir
    Path folder;

    private static Result validate(Path rules) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JarProcess.JAR.toString(), "validate", "--rules", rules.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private record Result(int exit, String output) {}

    @Test
    void theRepositoryRulesCompileAndEveryScenarioPasses() throws Exception {
        Result result = validate(Path.of("rules"));
        assertThat(result.exit()).as(result.output()).isZero();
        assertThat(result.output()).contains("PASS", "OK: all").doesNotContain("FAIL");
    }

    @Test
    void aBrokenFileIsReportedWithFileLineAndColumnAndExitsNonZero() throws Exception {
        Policy.copyRulesTo(folder);
        Files.writeString(folder.resolve("typo.drl"), "package policy;\nimport org.convrouter.routing.Candidate;\n"
                + "rule \"typo\"\nwhen\n    Candidate( paidSet )\nthen\nend\n");
        Result result = validate(folder);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).containsPattern("ERROR typo\\.drl:5:\\d+: .*paidSet");
    }

    @Test
    void aFailingScenarioIsReportedWithExpectedAndActualAndExitsNonZero() throws Exception {
        Policy.copyRulesTo(folder);
        Files.writeString(folder.resolve("scenarios").resolve("wrong.json"), """
                {"name": "a wrong expectation", "given": {"users": [{"id": "ana"}], "channel": {"kind": "chat"},
                 "settings": {"autoAssign": true, "assignTo": {"type": "users_and_teams", "users": ["ana"], "teams": []}, "onlyAvailable": true}},
                 "expect": {"assignee": null}}
                """);
        Result result = validate(folder);
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.output()).contains("FAIL  scenarios/wrong.json:1:1: a wrong expectation", "expected assignee none but got 'ana'");
    }

    /** rules/README.md, worked example 1, step by step: refused until the R3 scenarios say the new policy. */
    @Test
    void workedExample1IsRefusedUntilItsScenariosAreUpdatedThenPasses() throws Exception {
        Policy.copyRulesTo(folder);
        Path strategy = folder.resolve("strategy.drl");
        Files.writeString(strategy, Files.readString(strategy)
                .replace("$decision.useStrategy( Strategy.RANDOM );", "$decision.useStrategy( Strategy.LEAST_BUSY );")
                .replace("Email and form conversations go to a random eligible user",
                        "Email and form conversations go to the least busy eligible user")
                .replace("@summary(\"picked at random among {eligible}\")", "@summary(\"least busy of {eligible} ({openChats})\")"));

        Result refused = validate(folder);
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.output()).contains("FAILED: 3 of",
                "FAIL  scenarios/channel-overrides.json:12:3: Decision table: other email channels keep random routing",
                "FAIL  scenarios/strategy.json:12:3: R3: email goes to a random eligible user",
                "FAIL  scenarios/strategy.json:22:3: R3: forms are routed like email");

        for (String file : new String[] {"strategy.json", "channel-overrides.json"}) {
            Path scenarios = folder.resolve("scenarios").resolve(file);
            Files.writeString(scenarios, Files.readString(scenarios)
                    .replace("\"strategy\": \"random\"", "\"strategy\": \"least_busy\"")
                    .replace("Email and form conversations go to a random eligible user",
                            "Email and form conversations go to the least busy eligible user"));
        }
        Result passed = validate(folder);
        assertThat(passed.exit()).as(passed.output()).isZero();
    }
}
