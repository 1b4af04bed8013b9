package org.convrouter.routing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/** The mechanisms strategies use to pick among eligible candidates: one linear pass, never a sort. */
final class Selection {

    /** R4: fewest open chats; then least recently assigned a chat (never counts as longest ago); then smallest id. */
    static final Comparator<Candidate> LEAST_BUSY_FIRST = Comparator
            .comparingInt(Candidate::openChats)
            .thenComparing(Candidate::lastChatAssignedAt, Comparator.nullsFirst(Comparator.<Instant>naturalOrder()))
            .thenComparing(Candidate::userId);

    private Selection() {}

    static Candidate leastBusy(List<Candidate> eligible) {
        Candidate best = null;
        for (Candidate candidate : eligible) {
            if (best == null || LEAST_BUSY_FIRST.compare(candidate, best) < 0) {
                best = candidate;
            }
        }
        return best;
    }

    /** R3: each eligible candidate equally likely. */
    static Candidate random(List<Candidate> eligible, RandomGenerator random) {
        return eligible.isEmpty() ? null : eligible.get(random.nextInt(eligible.size()));
    }
}
