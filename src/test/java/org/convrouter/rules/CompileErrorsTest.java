package org.convrouter.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compile errors sit on the line and column of the mistake, name what is valid, and show no Drools or Java internals. */
class CompileErrorsTest {

    private static final String HEAD = """
            package policy;
            import org.convrouter.routing.*;
            import org.convrouter.directory.*;
            """;

    private static RuleError onlyError(String rules) {
        RuleCompilationException refused = catchThrowableOfType(() -> new RuleSetCompiler().compile(
                List.of(RuleFile.of("t.drl", (HEAD + rules).getBytes(StandardCharsets.UTF_8)))), RuleCompilationException.class);
        assertThat(refused).isNotNull();
        assertThat(refused.errors()).hasSize(1);
        RuleError error = refused.errors().get(0);
        assertThat(error.file()).isEqualTo("t.drl");
        assertThat(error.message()).doesNotContain("org.", "java.", "Parser returned", "strict-mode", "ERR ", "Rule Compilation error");
        return error;
    }

    @Test
    void aMisspeltEnumValueInAnActionIsReportedWhereItIsWithTheValidValues() {
        RuleError error = onlyError("""
                rule "a"
                when
                    $d : RoutingDecision()
                then
                    $d.useStrategy( Strategy.LEAST_BUZY );
                end
                """);
        assertThat(error.line()).isEqualTo(8);
        assertThat(error.column()).isEqualTo(21);
        assertThat(error.message()).contains("Strategy has no value 'LEAST_BUZY'", "LEAST_BUSY", "RANDOM", "CONTACT_OWNER");
    }

    @Test
    void aMisspeltEnumValueInAConditionListsTheValidValues() {
        RuleError error = onlyError("""
                rule "e"
                when
                    $c : Candidate( role == CandidateRole.OWNR )
                then
                end
                """);
        assertThat(error.line()).isEqualTo(6);
        assertThat(error.column()).isEqualTo(29);
        assertThat(error.message()).contains("CandidateRole has no value 'OWNR'", "did you mean OWNER?", "SELECTED, OWNER, FALLBACK");
    }

    @Test
    void anUnknownFieldOnAFactListsItsFields() {
        RuleError error = onlyError("""
                rule "b"
                when
                    $c : Candidate( paidSet )
                then
                end
                """);
        assertThat(error.line()).isEqualTo(6);
        assertThat(error.column()).isEqualTo(21);
        assertThat(error.message()).contains("Candidate has no field 'paidSet'", "did you mean paidSeat?", "inboxAccess", "openChats");
    }

    @Test
    void anUnknownMethodInAnActionIsReportedOnItsLineWithWhatTheFactHas() {
        RuleError error = onlyError("""
                rule "d"
                when
                    $c : Candidate( )
                then
                    String n = $c.nme();
                end
                """);
        assertThat(error.line()).isEqualTo(8);
        assertThat(error.column()).isEqualTo(19);
        assertThat(error.message()).contains("Candidate has no 'nme'", "name()");
    }

    @Test
    void aMissingClosingParenthesisIsReportedAtTheEndOfItsLineNotTheLineAfter() {
        RuleError error = onlyError("""
                rule "c"
                when
                    $c : Candidate( !paidSeat
                then
                end
                """);
        assertThat(error.line()).isEqualTo(6);
        assertThat(error.column()).isEqualTo(30);
        assertThat(error.message()).contains("')' is missing");
    }

    @Test
    void anUnknownFactIsReportedWhereItIsWithTheFacts() {
        RuleError error = onlyError("""
                rule "f"
                when
                    $c : Candidat( )
                then
                end
                """);
        assertThat(error.line()).isEqualTo(6);
        assertThat(error.column()).isEqualTo(10);
        assertThat(error.message()).contains("there is no fact 'Candidat'", "did you mean Candidate?", "RoutingDecision");
    }

    @Test
    void aConstructorGivenTheWrongValuesSaysWhatItTakes() {
        RuleError error = onlyError("""
                rule "h"
                when
                    $c : Candidate( )
                then
                    insert( new Exclusion( $c ) );
                end
                """);
        assertThat(error.line()).isEqualTo(8);
        assertThat(error.message()).contains("Exclusion", "candidate, reason");
    }
}
