package org.convrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of api.md: commands, options with defaults, and refusals that say what was wrong. */
class CommandLineTest {

    private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("port", "7070");
        OPTIONS.put("rules", "./rules");
        OPTIONS.put("db-url", null);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) throws Exception {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionsTakeTheirDefaultsOrTheGivenValueInEitherSpelling() {
        Arguments defaults = Arguments.parse(new String[0], OPTIONS);
        assertThat(defaults.port("port")).isEqualTo(7070);
        assertThat(defaults.get("rules")).isEqualTo("./rules");
        assertThat(defaults.get("db-url")).isNull();

        Arguments given = Arguments.parse(new String[] {"--port", "8080", "--db-url=jdbc:postgresql://h/db?a=b"}, OPTIONS);
        assertThat(given.port("port")).isEqualTo(8080);
        assertThat(given.get("db-url")).isEqualTo("jdbc:postgresql://h/db?a=b");
        assertThat(given.get("rules")).isEqualTo("./rules");
    }

    @Test
    void unknownOptionsMissingValuesAndBadPortsAreRefusedByName() {
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--prot", "1"}, OPTIONS)).hasMessage("Unknown option: '--prot'");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"rules"}, OPTIONS)).hasMessage("Unexpected argument: 'rules'");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--rules"}, OPTIONS)).hasMessage("Missing value for option '--rules'");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--rules", "--port", "1"}, OPTIONS))
                .hasMessage("Missing value for option '--rules'");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--port", "70000"}, OPTIONS).port("port"))
                .hasMessageContaining("'70000' is not a port number");
        assertThatThrownBy(() -> Arguments.parse(new String[] {"--port=x"}, OPTIONS).port("port"))
                .hasMessageContaining("'x' is not a port number");
    }

    @Test
    void aRulesFolderThatIsNotThereFailsWithItsReasonsAndNoStackTrace(@TempDir Path dir) throws Exception {
        Run missing = run("validate", "--rules", dir.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("FAILED: cannot read rules folder " + dir.resolve("nowhere"))
                .contains("  because: " + dir.resolve("nowhere")).doesNotContain("\tat ");
    }

    @Test
    void aDatabaseThatCannotBeOpenedFailsServeWithItsReasons(@TempDir Path dir) throws Exception {
        Run failed = run("serve", "--port", "0", "--data", dir.toString(), "--rules", "rules", "--db-url", "jdbc:nosuchdb://h/db");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).startsWith("FAILED: ").contains("jdbc:nosuchdb://h/db", "  because: No suitable driver");
    }

    @Test
    void helpPrintsTheCommandsAndExitsZero() throws Exception {
        Run help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve", "validate", "--db-url", "--rules FOLDER");
        assertThat(help.out()).doesNotContain("warm-up");
    }

    @Test
    void aRefusedCommandLineExitsTwoWithTheReasonAndTheUsageOnStandardError() throws Exception {
        for (String[] args : new String[][] {{}, {"serf"}, {"serve", "--prot", "1"}, {"validate", "--rules"}, {"serve", "--port", "-1"}}) {
            Run refused = run(args);
            assertThat(refused.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).contains("Usage: conversation-router");
        }
        assertThat(run("serf").err()).startsWith("Unknown command: 'serf'");
        assertThat(run("serve", "--prot", "1").err()).startsWith("Unknown option: '--prot'");
    }

    @Test
    void validateReportsAFolderWithoutRulesAsFailed(@TempDir Path empty) throws Exception {
        Run run = run("validate", "--rules", empty.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("no .drl or .drl.csv file", "FAILED");
    }
}
