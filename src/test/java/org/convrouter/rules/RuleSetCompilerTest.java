package org.convrouter.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.convrouter.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleSetCompilerTest {

    private final RuleSetCompiler compiler = new RuleSetCompiler();

    @TempDir
    Path folder;

    @Test
    void compilesTheRepositoryRulesIntoAVersionedRuleSet() {
        RuleSet rules = compiler.compile(Policy.RULES);
        assertThat(rules.version()).matches("[0-9a-f]{12}");
        assertThat(rules.files()).extracting(RuleFile::name).contains("eligibility.drl", "strategy.drl", "manual-assignment.drl");
        assertThat(rules.ruleNames()).contains("Users without a paid seat are never routed automatically");
    }

    @Test
    void syntaxErrorIsReportedWithFileAndLine() throws IOException {
        Policy.copyRulesTo(folder);
        Files.writeString(folder.resolve("broken.drl"), """
                package policy;

                rule "Missing its when"
                then
                    System.out.println("x")
                end
                """);
        assertThatThrownBy(() -> compiler.compile(folder))
                .isInstanceOfSatisfying(RuleCompilationException.class, e -> {
                    assertThat(e.errors()).isNotEmpty();
                    assertThat(e.errors()).allSatisfy(error -> assertThat(error.file()).isEqualTo("broken.drl"));
                    assertThat(e.errors()).anySatisfy(error -> assertThat(error.line()).isBetween(3, 6));
                });
    }

    @Test
    void unknownFieldIsReportedWithFileLineAndFieldName() throws IOException {
        Policy.copyRulesTo(folder);
        Files.writeString(folder.resolve("typo.drl"), """
                package policy;
                import org.convrouter.routing.Candidate;

                rule "Uses a field that does not exist"
                when
                    $c : Candidate( paidSet == false )
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(folder))
                .isInstanceOfSatisfying(RuleCompilationException.class, e -> assertThat(e.errors())
                        .anySatisfy(error -> {
                            assertThat(error.file()).isEqualTo("typo.drl");
                            assertThat(error.line()).isEqualTo(6);
                            assertThat(error.message()).contains("paidSet");
                        }));
    }

    @Test
    void errorsNameTheColumnWhereTheMistakeIsCountedFromOne() throws IOException {
        Policy.copyRulesTo(folder);
        Files.writeString(folder.resolve("syntax.drl"), """
                package policy;
                import org.convrouter.routing.Candidate;

                rule "A stray space in a literal"
                when
                    $c : Candidate( active == tru e )
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(folder)).isInstanceOfSatisfying(RuleCompilationException.class,
                e -> assertThat(e.errors()).anySatisfy(error -> {
                    assertThat(error.line()).isEqualTo(6);
                    assertThat(error.column()).isEqualTo(35); // the "e" after "tru "
                }));

        Files.delete(folder.resolve("syntax.drl"));
        Files.writeString(folder.resolve("typo.drl"), """
                package policy;
                import org.convrouter.routing.Candidate;

                rule "Uses a field that does not exist"
                when
                    $c : Candidate( active, paidSet == false )
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(folder)).isInstanceOfSatisfying(RuleCompilationException.class,
                e -> assertThat(e.errors()).anySatisfy(error -> {
                    assertThat(error.line()).isEqualTo(6);
                    assertThat(error.column()).isEqualTo(29); // where "paidSet == false" starts
                }));

        // The same mistake twice on one line: which one an error means is unknown, so no column.
        Files.writeString(folder.resolve("typo.drl"), """
                package policy;
                import org.convrouter.routing.Candidate;

                rule "Uses a field that does not exist, twice"
                when
                    $c : Candidate( paidSet == false ) and $d : Candidate( paidSet == false )
                then
                end
                """);
        assertThatThrownBy(() -> compiler.compile(folder)).isInstanceOfSatisfying(RuleCompilationException.class,
                e -> assertThat(e.errors()).filteredOn(error -> error.message().contains("paidSet"))
                        .isNotEmpty().allSatisfy(error -> assertThat(error.column()).isZero()));
    }

    @Test
    void aDecisionTableErrorIsReportedAtTheRowItComesFrom() throws IOException {
        Policy.copyRulesTo(folder);
        Path table = folder.resolve("channel-overrides.drl.csv");
        String rows = Files.readString(table).stripTrailing() + "\n"
                + "Sales email goes to a random user,30,strategy,picked at random,RANDOM,true,sales-email,RANDOM\n"
                + "Support email goes to the least busy,30,strategy,least busy,LEAST_BUSY,true,support-email,LEAST_BUZY\n";
        Files.writeString(table, rows);
        int typoRow = rows.split("\n").length; // the last row, counted from 1 as spreadsheets count
        assertThatThrownBy(() -> compiler.compile(folder))
                .isInstanceOfSatisfying(RuleCompilationException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(error -> {
                            assertThat(error.file()).isEqualTo("channel-overrides.drl.csv");
                            assertThat(error.line()).isEqualTo(typoRow);
                            assertThat(error.column()).isZero();
                            assertThat(error.message()).contains("LEAST_BUZY");
                        }));
        // A condition cell's mistake, where Drools itself says line -1:
        Files.writeString(table, rows.replace("LEAST_BUZY", "LEAST_BUSY").replace(",RANDOM,true,sales-email", ",RANDUM,true,sales-email"));
        assertThatThrownBy(() -> compiler.compile(folder))
                .isInstanceOfSatisfying(RuleCompilationException.class, e -> assertThat(e.errors())
                        .singleElement().satisfies(error -> {
                            assertThat(error.line()).isEqualTo(typoRow - 1);
                            assertThat(error.message()).contains("RANDUM");
                        }));
    }

    @Test
    void aDecisionTableThatIsNotASpreadsheetIsAnErrorOfThatFile() throws IOException {
        Policy.copyRulesTo(folder);
        Files.writeString(folder.resolve("quoting.drl.csv"), "a,b\n\"unterminated");
        Files.writeString(folder.resolve("notes.drl.xlsx"), "not a spreadsheet");
        assertThatThrownBy(() -> compiler.compile(folder))
                .isInstanceOfSatisfying(RuleCompilationException.class, e -> assertThat(e.errors())
                        .extracting(RuleError::file).containsExactly("notes.drl.xlsx", "quoting.drl.csv"))
                .hasMessageContaining("not a readable decision table");
    }

    @Test
    void aBrokenFolderLeavesThePreviousRuleSetActive() throws IOException {
        Policy.copyRulesTo(folder);
        ActiveRules active = new ActiveRules(compiler.compile(folder));
        RuleSet before = active.current();
        Files.writeString(folder.resolve("strategy.drl"), "rule \"half\" when then");
        try {
            active.activate(compiler.compile(folder));
        } catch (RuleCompilationException expected) {
            // the loader refused the whole folder
        }
        assertThat(active.current()).isSameAs(before);
        assertThat(active.current().ruleNames()).contains("Chat, bot and Messenger conversations go to the least busy eligible user");
    }

    @Test
    void theVersionIsDerivedFromContent() throws IOException {
        Policy.copyRulesTo(folder);
        String first = compiler.compile(folder).version();
        assertThat(compiler.compile(folder).version()).isEqualTo(first);
        Files.writeString(folder.resolve("eligibility.drl"), "\n// a comment changes the content\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(compiler.compile(folder).version()).isNotEqualTo(first);
    }

    @Test
    void anEmptyFolderIsAnErrorNotAnEmptyPolicy() {
        assertThatThrownBy(() -> compiler.compile(folder))
                .isInstanceOfSatisfying(RuleCompilationException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.message()).contains("no .drl")));
    }

    @Test
    void activationGroupsFireAgainOnEveryRun() {
        RuleSet rules = compiler.compile(List.of(file("groups.drl", """
                package policy;
                import java.util.List;
                rule "first" activation-group "g" salience 10 when $l : List() then $l.add("first"); end
                rule "second" activation-group "g" when $l : List() then $l.add("second"); end
                """)));
        for (int run = 0; run < 3; run++) {
            List<String> fired = new java.util.ArrayList<>();
            assertThat(rules.run(List.of(fired)).firedRules()).containsExactly("first");
            assertThat(fired).containsExactly("first");
        }
    }

    static RuleFile file(String name, String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return RuleFile.of(name, bytes);
    }
}
