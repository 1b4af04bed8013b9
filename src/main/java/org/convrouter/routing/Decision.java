package org.convrouter.routing;

import java.time.Instant;
import java.util.List;

/**
 * The record of one automatic routing decision (R9): which rule set ran, the strategy taken, every
 * candidate with its reasons, the rules that fired, the notes their {@code @summary} metadata
 * rendered for people, the assignee (a user id, or null), the
 * notifications queued, and how long it took.
 */
public record Decision(
        String id,
        String ruleSetVersion,
        Strategy strategy,
        List<CandidateOutcome> candidates,
        List<String> firedRules,
        List<String> notes,
        String assignee,
        List<Notification> notifications,
        long tookMicros,
        Instant decidedAt) {

    public Decision {
        candidates = List.copyOf(candidates);
        firedRules = List.copyOf(firedRules);
        notes = notes == null ? List.of() : List.copyOf(notes);
        notifications = List.copyOf(notifications);
    }

    public long eligibleCount() {
        return candidates.stream().filter(CandidateOutcome::eligible).count();
    }
}
