package org.convrouter.routing;

import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/** The mechanisms strategies use to pick among eligible candidates: one linear pass, never a sort. */
final class Selection {

    private Selection() {}

    static Candidate leastBusy(List<Candidate> eligible) {
        Candidate best = null;
        for (Candidate candidate : eligible) {
            if (best == null || lessBusy(candidate, best)) {
                best = candidate;
            }
        }
        return best;
    }

    /** R4: fewest open chats; then least recently assigned a chat (never counts as longest ago); then smallest id. */
    static boolean lessBusy(Candidate a, Candidate b) {
        if (a.openChats() != b.openChats()) {
            return a.openChats() < b.openChats();
        }
        Instant x = a.lastChatAssignedAt();
        Instant y = b.lastChatAssignedAt();
        if (x != y) {
            if (x == null || y == null) {
                return x == null;
            }
            int order = x.compareTo(y);
            if (order != 0) {
                return order < 0;
            }
        }
        return a.userId().compareTo(b.userId()) < 0;
    }

    /** R3: each eligible candidate equally likely. */
    static Candidate random(List<Candidate> eligible, RandomGenerator random) {
        return eligible.isEmpty() ? null : eligible.get(random.nextInt(eligible.size()));
    }
}
