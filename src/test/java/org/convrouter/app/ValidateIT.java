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
        assertThat(result.output()).contains("FAIL  scenarios/wrong.json: a wrong expectation", "expected assignee none but got 'ana'");
    }
}
