package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.convrouter.directory.Seat;
import org.junit.jupiter.api.Test;

/** The least-busy pick (R4) against the order the spec states, written here as a comparator. */
class SelectionTest {

    /** Fewest open chats; then least recently assigned a chat, never counting as longest ago; then smallest id. */
    private static final Comparator<Candidate> R4 = Comparator.comparingInt(Candidate::openChats)
            .thenComparing(Candidate::lastChatAssignedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Candidate::userId);

    @Test
    void R4_theLeastBusyPickIsTheFirstInTheSpecsOrder() {
        Random r = new Random(9);
        for (int round = 0; round < 2_000; round++) {
            List<Candidate> eligible = new ArrayList<>();
            int n = 1 + r.nextInt(12);
            for (int i = 0; i < n; i++) { // few values, so ties at every level are common
                Instant last = r.nextInt(3) == 0 ? null : Instant.ofEpochSecond(r.nextInt(3));
                eligible.add(new Candidate("u" + r.nextInt(6), "U", "u@x", CandidateRole.SELECTED, Seat.SERVICE, true, true,
                        true, true, true, false, false, null, Set.of(), r.nextInt(3), last));
            }

            Candidate picked = Selection.leastBusy(eligible);

            assertThat(R4.compare(picked, eligible.stream().min(R4).orElseThrow())).as(eligible.toString()).isZero();
            assertThat(eligible.stream().filter(c -> R4.compare(c, picked) == 0).findFirst()).containsSame(picked);
        }
    }
}
