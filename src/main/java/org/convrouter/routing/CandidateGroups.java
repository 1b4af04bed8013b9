package org.convrouter.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The candidates a decision puts in front of the rules, and who stands for whom: either every
 * candidate for themselves, or one selected candidate per {@link CandidateProfile} standing for
 * every selected user with that profile (owners and fallback users always stand for themselves).
 */
final class CandidateGroups {

    private final List<Candidate> judged;
    /** For each candidate, the slot (index in {@code judged}) of the candidate judged for it. */
    private final int[] slots;

    private CandidateGroups(List<Candidate> judged, int[] slots) {
        this.judged = judged;
        this.slots = slots;
    }

    static CandidateGroups each(List<Candidate> candidates) {
        int[] slots = new int[candidates.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = i;
        }
        return new CandidateGroups(candidates, slots);
    }

    /** One linear pass: the first selected candidate of each profile is judged for all of them. */
    static CandidateGroups byProfile(List<Candidate> candidates) {
        List<Candidate> judged = new ArrayList<>();
        int[] slots = new int[candidates.size()];
        int[] slotOfProfile = new int[CandidateProfile.KEYS]; // slot + 1; 0: no candidate of that profile yet
        for (int i = 0; i < slots.length; i++) {
            Candidate candidate = candidates.get(i);
            if (!CandidateProfile.standsAlone(candidate)) {
                int key = CandidateProfile.key(candidate);
                if (slotOfProfile[key] != 0) {
                    slots[i] = slotOfProfile[key] - 1;
                    continue;
                }
                slotOfProfile[key] = judged.size() + 1;
            }
            slots[i] = judged.size();
            judged.add(candidate);
        }
        return new CandidateGroups(judged, slots);
    }

    /** The candidates to insert as facts. */
    List<Candidate> judged() {
        return judged;
    }

    /** The slot of the judged candidate whose outcome the i-th candidate shares (its own when judged on its own). */
    int slotOf(int i) {
        return slots[i];
    }
}
