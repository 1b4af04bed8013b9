package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.convrouter.directory.Seat;
import org.junit.jupiter.api.Test;

/** How a rule's {@code @summary} template reads, with a chosen user and without one (R9). */
class DecisionSummaryTest {

    private static final Candidate ANA = new Candidate("ana", "Ana", "ana@example.com", CandidateRole.SELECTED, Seat.SERVICE,
            true, true, true, true, true, false, false, null, Set.of(), 1, null);

    @Test
    void R9_aTemplateNamesTheEligibleCountAndTheChosenUserWithTheirLoad() {
        assertThat(DecisionSummary.render("{assignee}: least busy of {eligible} ({openChats})", 3, ANA))
                .isEqualTo("Ana: least busy of 3 eligible users (1 open chat)");
        assertThat(DecisionSummary.render("one of {eligible}", 1, ANA)).isEqualTo("one of 1 eligible user");
    }

    @Test
    void R9_withNobodyEligibleATemplateThatCountsThemSaysSoInPlainWords() {
        assertThat(DecisionSummary.render("least busy of {eligible} ({openChats})", 0, null))
                .isEqualTo("nobody was eligible");
        assertThat(DecisionSummary.render("picked at random among {eligible}", 0, null))
                .isEqualTo("nobody was eligible");
    }

    @Test
    void R9_withNobodyChosenABracketedAsideOnTheChosenUserGoesWhole() {
        assertThat(DecisionSummary.render("the named user (now {assignee}, {openChats}) of {eligible}", 2, null))
                .isEqualTo("the named user of 2 eligible users");
        assertThat(DecisionSummary.render("the named user of {eligible} (by load), as configured", 2, null))
                .as("an aside on nothing chosen stays").isEqualTo("the named user of 2 eligible users (by load), as configured");
    }

    @Test
    void R5_aDecisionWithNobodyEligibleReadsAsPlainEnglish() {
        Decision decision = new Decision("d1", "v1", Strategy.LEAST_BUSY,
                java.util.List.of(new CandidateOutcome("bo", CandidateRole.SELECTED, false, java.util.List.of("away"))),
                java.util.List.of("least busy"), java.util.List.of(DecisionSummary.render("least busy of {eligible} ({openChats})", 0, null)),
                null, java.util.List.of(), 10, java.time.Instant.EPOCH);

        assertThat(DecisionSummary.of(decision, id -> "Bo")).isEqualTo("Left unassigned: nobody was eligible; Bo skipped: away");
    }

    @Test
    void R9_withNobodyChosenABareAssigneeIsNobodyAndABareLoadIsLeftOut() {
        assertThat(DecisionSummary.render("given to {assignee} with {openChats} before", 0, null))
                .isEqualTo("given to nobody with before");
        assertThat(DecisionSummary.render("{openChats} for {assignee}", 0, null)).isEqualTo("for nobody");
    }
}
