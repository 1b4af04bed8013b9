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
    private final Candidate[] judgedFor;

    private CandidateGroups(List<Candidate> judged, Candidate[] judgedFor) {
        this.judged = judged;
        this.judgedFor = judgedFor;
    }

    static CandidateGroups each(List<Candidate> candidates) {
        return new CandidateGroups(candidates, candidates.toArray(new Candidate[0]));
    }

    /** One linear pass: the first selected candidate of each profile is judged for all of them. */
    static CandidateGroups byProfile(List<Candidate> candidates) {
        List<Candidate> judged = new ArrayList<>();
        Candidate[] judgedFor = new Candidate[candidates.size()];
        Candidate[] firstOfProfile = new Candidate[CandidateProfile.KEYS];
        for (int i = 0; i < judgedFor.length; i++) {
            Candidate candidate = candidates.get(i);
            Candidate standIn = candidate;
            if (!CandidateProfile.standsAlone(candidate)) {
                int key = CandidateProfile.key(candidate);
                if (firstOfProfile[key] == null) {
                    firstOfProfile[key] = candidate;
                } else {
                    standIn = firstOfProfile[key];
                }
            }
            if (standIn == candidate) {
                judged.add(candidate);
            }
            judgedFor[i] = standIn;
        }
        return new CandidateGroups(judged, judgedFor);
    }

    /** The candidates to insert as facts. */
    List<Candidate> judged() {
        return judged;
    }

    /** The judged candidate whose outcome the i-th candidate shares (itself when judged on its own). */
    Candidate judgedFor(int i) {
        return judgedFor[i];
    }
}
