package org.convrouter.routing;

import java.util.List;

/** One candidate as recorded in a decision: eligible, or not with every reason (R1, R5). */
public record CandidateOutcome(String userId, CandidateRole role, boolean eligible, List<String> reasons) {

    public CandidateOutcome {
        reasons = List.copyOf(reasons);
    }
}
