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
    /** The roster grouping these groups were made from, or null. */
    private ProfileGrouping from;

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

    /** The grouping a roster worked out before, over this request's candidates (the same users, in order). */
    static CandidateGroups of(List<Candidate> candidates, ProfileGrouping grouping) {
        int[] standIns = grouping.standIns();
        List<Candidate> judged = new ArrayList<>(standIns.length);
        for (int position : standIns) {
            judged.add(candidates.get(position));
        }
        CandidateGroups groups = new CandidateGroups(judged, grouping.slots());
        groups.from = grouping;
        return groups;
    }

    /** Whether these groups are the roster's {@code grouping} (not worked out candidate by candidate). */
    boolean judgedFrom(ProfileGrouping grouping) {
        return from == grouping;
    }

    /** This grouping, to be kept with the candidates' roster ({@link #of}). */
    ProfileGrouping grouping() {
        int[] standIns = new int[judged.size()];
        for (int i = slots.length - 1; i >= 0; i--) {
            standIns[slots[i]] = i; // the first candidate of each slot is its stand-in
        }
        return new ProfileGrouping(slots.clone(), standIns);
    }

    /** One linear pass: the first selected candidate of each profile is judged for all of them. */
    static CandidateGroups byProfile(List<Candidate> candidates) {
        List<Candidate> judged = new ArrayList<>();
        int[] slots = new int[candidates.size()];
        SlotOfProfile slotOfProfile = new SlotOfProfile();
        for (int i = 0; i < slots.length; i++) {
            Candidate candidate = candidates.get(i);
            if (!CandidateProfile.standsAlone(candidate)) {
                int key = CandidateProfile.key(candidate);
                int slot = slotOfProfile.get(key);
                if (slot >= 0) {
                    slots[i] = slot;
                    continue;
                }
                slotOfProfile.put(key, judged.size());
            }
            slots[i] = judged.size();
            judged.add(candidate);
        }
        return new CandidateGroups(judged, slots);
    }

    /**
     * Profile key to slot, by open addressing: a request has a handful of profiles, so a table
     * of {@link CandidateProfile#KEYS} entries per request would be mostly zeroes to allocate.
     */
    private static final class SlotOfProfile {
        private int[] keys = new int[32];
        private int[] slots = new int[32];
        private int size;

        SlotOfProfile() {
            java.util.Arrays.fill(keys, -1);
        }

        int get(int key) {
            int mask = keys.length - 1;
            for (int i = mix(key) & mask; keys[i] != -1; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return slots[i];
                }
            }
            return -1;
        }

        void put(int key, int slot) {
            if (2 * (size + 1) > keys.length) {
                int[] oldKeys = keys;
                int[] oldSlots = slots;
                keys = new int[oldKeys.length * 2];
                slots = new int[oldKeys.length * 2];
                java.util.Arrays.fill(keys, -1);
                size = 0;
                for (int i = 0; i < oldKeys.length; i++) {
                    if (oldKeys[i] != -1) {
                        put(oldKeys[i], oldSlots[i]);
                    }
                }
            }
            int mask = keys.length - 1;
            int i = mix(key) & mask;
            while (keys[i] != -1) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            slots[i] = slot;
            size++;
        }

        private static int mix(int key) {
            return key * 0x9E3779B1 >>> 16;
        }
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
