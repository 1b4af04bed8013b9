package org.convrouter.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.convrouter.Policy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DynamicTest;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the hostile corpus (src/test/resources/hostile) is refused by the compiler at the
 * line marked "// <- refused", before any of it runs; the one marked "// <- stopped" compiles and
 * is stopped when it runs. The shipped rules stay allowed.
 */
class HostileRulesTest {

    static final Path CORPUS = Path.of("src/test/resources/hostile");
    private final RuleSetCompiler compiler = new RuleSetCompiler();

    static List<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.toString().endsWith(".drl")).sorted().toList();
        }
    }

    /** The line (from 1) carrying the marker, or 0. */
    static int markedLine(Path file, String marker) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// <- " + marker)) {
                return i + 1;
            }
        }
        return 0;
    }

    @TestFactory
    Stream<DynamicTest> eachHostileFileIsRefusedAtItsLineBeforeAnythingRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : corpus()) {
            int line = markedLine(file, "refused");
            if (line == 0) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                RuleFile rules = RuleFile.of(file.getFileName().toString(), Files.readAllBytes(file));
                RuleCompilationException refused = catchThrowableOfType(() -> compiler.compile(List.of(rules)),
                        RuleCompilationException.class);
                assertThat(refused).as(file + " must be refused").isNotNull();
                System.out.println("HOSTILE " + file.getFileName() + " -> " + refused.errors());
                assertThat(refused.errors()).as(file.toString())
                        .anySatisfy(e -> {
                            assertThat(e.file()).isEqualTo(file.getFileName().toString());
                            assertThat(e.line()).isEqualTo(line);
                        })
                        .allSatisfy(e -> assertThat(e.message()).doesNotContain("org.drools", "Exception:", "Parser returned"));
            }));
        }
        assertThat(tests).hasSizeGreaterThan(20);
        return tests.stream();
    }

    /** The text check refuses unicode escapes; the class check finds the call they hide all the same. */
    @Test
    void theCompiledClassesAreCheckedWhereTheTextHidesACall() throws IOException {
        for (String name : List.of("unicode-function.drl")) { // (a consequence with escapes does not even compile)
            String text = Files.readString(CORPUS.resolve(name));
            KieBase kieBase = new KieHelper().addContent(text, ResourceType.DRL).build();
            List<RuleError> errors = RuleSandbox.checkClasses(List.of(RuleFile.of(name, text.getBytes(StandardCharsets.UTF_8))), kieBase);
            System.out.println("CLASSES " + name + " -> " + errors);
            assertThat(errors).as(name).isNotEmpty().allSatisfy(e -> {
                assertThat(e.file()).isEqualTo(name);
                assertThat(e.line()).isPositive();
            });
        }
    }

    @Test
    void ordinaryPolicyConstructsAreAllowed() {
        String head = "package policy;\nimport org.convrouter.routing.*;\nimport org.convrouter.directory.*;\nimport java.util.List;\n";
        for (String rule : List.of(
                "rule \"a\"\nwhen\n $d : RoutingDecision()\n Number( intValue > 12 ) from accumulate( $c : Candidate( available ), count( $c ) )\nthen\n $d.useStrategy( Strategy.RANDOM );\nend\n",
                "rule \"b\"\nwhen\n $d : RoutingDecision()\n $l : List( size > 2 ) from collect( Candidate() )\nthen\n $d.useStrategy( Strategy.RANDOM );\nend\n",
                "rule \"c\"\nwhen\n $d : RoutingDecision()\n Number( intValue > 12 ) from accumulate( Candidate( $n : openChats ), sum( $n ) )\nthen\n $d.useStrategy( Strategy.RANDOM );\nend\n",
                "rule \"d\" when $c : Candidate( !available ) then insert( new Exclusion( $c, \"away\" ) ); end\n",
                "rule \"e\"\nwhen\n $c : Candidate( !available, name.toLowerCase().contains(\"x\") )\n not Exclusion( candidate == $c )\nthen\n"
                        + " modify( $c ) { }\n String s = \"a\" + $c.name() + 1;\n insert( new Exclusion( $c, s.trim() ) );\nend\n")) {
            assertThat(compiler.compile(List.of(RuleFile.of("ok.drl", (head + rule).getBytes(StandardCharsets.UTF_8)))).ruleNames())
                    .as(rule).hasSize(1);
        }
    }

    @Test
    void theShippedRulesAreAllowed() {
        assertThat(compiler.compile(Policy.RULES).ruleNames()).isNotEmpty();
    }
}
