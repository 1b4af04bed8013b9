package org.convrouter.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.convrouter.Policy;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The rules guide's worked examples for the four policy changes analysts asked for, kept in
 * src/test/resources/worked-examples: each is added to a copy of the shipped rules folder, which
 * must compile and pass the activation gate (every shipped scenario and the example's own), as it
 * would on save. The guide shows each example's rule file exactly as it is here.
 */
class WorkedExamplesTest {

    private static final Path EXAMPLES = Path.of("src/test/resources/worked-examples");
    private static final List<String> ALL = List.of("vip-chats", "chat-capacity", "refund-email", "office-hours");

    @TempDir
    Path rules;

    @ParameterizedTest
    @ValueSource(strings = {"vip-chats", "chat-capacity", "refund-email", "office-hours"})
    void eachWorkedExamplePassesTheGateWithTheShippedRules(String example) throws IOException {
        Policy.copyRulesTo(rules);
        addExample(example);

        List<ScenarioResult> results = gate();

        String own = "scenarios/" + scenarioFileOf(example);
        assertThat(results).allSatisfy(r -> assertThat(r.failures()).as(r.where() + " " + r.name()).isEmpty());
        assertThat(results).filteredOn(r -> r.file().equals(own)).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void theFourWorkedExamplesPassTheGateTogether() throws IOException {
        Policy.copyRulesTo(rules);
        for (String example : ALL) {
            addExample(example);
        }
        assertThat(gate()).allSatisfy(r -> assertThat(r.failures()).as(r.where() + " " + r.name()).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vip-chats", "chat-capacity", "refund-email", "office-hours"})
    void theGuideShowsEachWorkedExampleAsItIsTested(String example) throws IOException {
        String guide = Files.readString(Policy.RULES.resolve("README.md"));
        try (Stream<Path> files = Files.list(EXAMPLES.resolve(example))) {
            for (Path drl : files.filter(p -> p.toString().endsWith(".drl")).toList()) {
                assertThat(guide).as(drl + " in rules/README.md").contains(Files.readString(drl).strip());
            }
        }
    }

    @Test
    void aWorkedExampleThatDisagreesWithItsScenariosIsRefusedAtTheScenariosLine() throws IOException {
        Policy.copyRulesTo(rules);
        addExample("office-hours");
        Path scenarios = rules.resolve("scenarios/office-hours.json");
        Files.writeString(scenarios, Files.readString(scenarios).replace("2026-01-07T10:30:00+01:00", "2026-01-07T08:30:00+01:00"));

        List<ScenarioResult> failed = gate().stream().filter(r -> !r.passed()).toList();

        assertThat(failed).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("By day a chat is assigned as usual");
            assertThat(r.where()).isEqualTo("scenarios/office-hours.json:2:3");
            assertThat(r.failures()).contains("expected assignee 'bo' but got none");
        });
    }

    private void addExample(String example) throws IOException {
        Path from = EXAMPLES.resolve(example);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, rules.resolve(from.relativize(file).toString()));
            }
        }
    }

    private static String scenarioFileOf(String example) throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES.resolve(example).resolve("scenarios"))) {
            return files.findFirst().orElseThrow().getFileName().toString();
        }
    }

    /** What a save of the folder goes through: the real compiler, then the same scenario runner as validate. */
    private List<ScenarioResult> gate() {
        RuleSet compiled = new RuleSetCompiler().compile(rules);
        return new ScenarioRunner(rules.resolve("scenarios")).run(compiled);
    }
}
