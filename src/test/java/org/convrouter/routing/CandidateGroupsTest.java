package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.convrouter.directory.Seat;
import org.junit.jupiter.api.Test;

/** Who stands for whom when selected candidates are judged one per profile. */
class CandidateGroupsTest {

    @Test
    void everySelectedCandidateSharesTheSlotOfTheFirstWithItsProfileAndOwnersStandAlone() {
        Random r = new Random(5);
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // hundreds of distinct profiles: the table must grow
            CandidateRole role = i % 97 == 0 ? CandidateRole.OWNER : i % 89 == 0 ? CandidateRole.FALLBACK : CandidateRole.SELECTED;
            Seat seat = Seat.values()[r.nextInt(Seat.values().length)];
            candidates.add(new Candidate("u" + i, "U", "u@x", role, seat, r.nextBoolean(), r.nextBoolean(), r.nextBoolean(),
                    r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), r.nextBoolean(), null, Set.of(), 0, null));
        }

        CandidateGroups groups = CandidateGroups.byProfile(candidates);

        for (int i = 0; i < candidates.size(); i++) {
            Candidate candidate = candidates.get(i);
            Candidate judged = groups.judged().get(groups.slotOf(i));
            if (CandidateProfile.standsAlone(candidate)) {
                assertThat(judged).isSameAs(candidate);
            } else {
                Candidate first = candidates.stream().filter(c -> !CandidateProfile.standsAlone(c)
                        && CandidateProfile.key(c) == CandidateProfile.key(candidate)).findFirst().orElseThrow();
                assertThat(judged).as("candidate " + i).isSameAs(first);
            }
        }
        long distinct = candidates.stream().filter(c -> !CandidateProfile.standsAlone(c)).mapToInt(CandidateProfile::key)
                .distinct().count();
        long alone = candidates.stream().filter(CandidateProfile::standsAlone).count();
        assertThat(groups.judged()).hasSize((int) (distinct + alone));
        assertThat(distinct).isGreaterThan(64);
    }
}
