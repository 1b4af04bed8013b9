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
    void R9_withNobodyChosenABracketedAsideOnTheChosenUserGoesWhole() {
        assertThat(DecisionSummary.render("least busy of {eligible} ({openChats})", 0, null))
                .isEqualTo("least busy of 0 eligible users");
        assertThat(DecisionSummary.render("least busy (now {assignee}, {openChats}) of {eligible}", 0, null))
                .isEqualTo("least busy of 0 eligible users");
        assertThat(DecisionSummary.render("least busy of {eligible} (by load), as configured", 0, null))
                .as("an aside on nothing chosen stays").isEqualTo("least busy of 0 eligible users (by load), as configured");
    }

    @Test
    void R9_withNobodyChosenABareAssigneeIsNobodyAndABareLoadIsLeftOut() {
        assertThat(DecisionSummary.render("given to {assignee} with {openChats} before", 0, null))
                .isEqualTo("given to nobody with before");
        assertThat(DecisionSummary.render("{openChats} for {assignee}", 0, null)).isEqualTo("for nobody");
    }
}
