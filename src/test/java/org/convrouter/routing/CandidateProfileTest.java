package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.convrouter.directory.Seat;
import org.junit.jupiter.api.Test;

/** The profile must tell apart any two candidates that differ in a profile field. */
class CandidateProfileTest {

    private static final Candidate BASE = new Candidate("ana", "Ana", "ana@example.com", CandidateRole.SELECTED,
            Seat.SERVICE, true, true, true, true, true, false, false, "t1", Set.of("t1"), 2, Instant.EPOCH);

    @Test
    void everyCandidateFieldIsEitherPartOfTheProfileOrKnownToBelongToOneUser() {
        Set<String> components = Arrays.stream(Candidate.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toSet());
        Set<String> classified = new HashSet<>(CandidateProfile.FIELDS);
        classified.addAll(CandidateProfile.PER_USER_FIELDS);

        assertThat(classified).as("a new Candidate field must be classified").isEqualTo(components);
        assertThat(CandidateProfile.FIELDS).doesNotContainAnyElementsOf(CandidateProfile.PER_USER_FIELDS);
    }

    @Test
    void candidatesDifferingInAnyProfileFieldHaveDifferentKeys() {
        Candidate[] variants = {
                with(BASE, CandidateRole.OWNER, BASE.seat(), BASE.paidSeat(), 0),
                with(BASE, BASE.role(), Seat.SALES, BASE.paidSeat(), 0),
                with(BASE, BASE.role(), BASE.seat(), false, 0),
                with(BASE, BASE.role(), BASE.seat(), BASE.paidSeat(), 1),
                with(BASE, BASE.role(), BASE.seat(), BASE.paidSeat(), 2),
                with(BASE, BASE.role(), BASE.seat(), BASE.paidSeat(), 3),
                with(BASE, BASE.role(), BASE.seat(), BASE.paidSeat(), 4),
                with(BASE, BASE.role(), BASE.seat(), BASE.paidSeat(), 5),
                with(BASE, BASE.role(), BASE.seat(), BASE.paidSeat(), 6),
        };
        Set<Integer> keys = new HashSet<>();
        keys.add(CandidateProfile.key(BASE));
        for (Candidate variant : variants) {
            int key = CandidateProfile.key(variant);
            assertThat(key).isBetween(0, CandidateProfile.KEYS - 1);
            assertThat(keys.add(key)).as("key of " + variant).isTrue();
        }
    }

    @Test
    void candidatesDifferingOnlyInWhoTheyAreShareAKey() {
        Candidate bo = new Candidate("bo", "Bo", "bo@example.com", CandidateRole.SELECTED, Seat.SERVICE, true, true,
                true, true, true, false, false, null, Set.of(), 9, null);

        assertThat(CandidateProfile.key(bo)).isEqualTo(CandidateProfile.key(BASE));
    }

    /** BASE with one boolean profile field flipped (flip 1-6: active, inboxAccess, available, direct, primary, secondary). */
    private static Candidate with(Candidate c, CandidateRole role, Seat seat, boolean paid, int flip) {
        return new Candidate(c.userId(), c.name(), c.email(), role, seat, paid,
                c.active() ^ flip == 1, c.inboxAccess() ^ flip == 2, c.available() ^ flip == 3,
                c.selectedDirectly() ^ flip == 4, c.primaryMemberOfSelectedTeam() ^ flip == 5,
                c.secondaryMemberOfSelectedTeam() ^ flip == 6, c.primaryTeam(), c.teams(), c.openChats(),
                c.lastChatAssignedAt());
    }
}
