package org.convrouter.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The rule-facing outcome of one routing request: the small verbs a rule consequence calls. One
 * instance per request, inserted as a fact, so concurrent requests never share it.
 */
public final class RoutingDecision {

    private Strategy strategy = Strategy.NONE;
    private Candidate assignee;
    private final List<Notification> notifications = new ArrayList<>();

    /** Let Java pick among the eligible candidates with this strategy (RANDOM, LEAST_BUSY). */
    public void useStrategy(Strategy chosen) {
        this.strategy = chosen;
    }

    /** Leave the conversation unassigned, recording why in the strategy (for example UNASSIGNED). */
    public void leaveUnassigned(Strategy why) {
        this.strategy = why;
        this.assignee = null;
    }

    /** Assign to this candidate, recording the strategy that chose them. */
    public void assignTo(Candidate candidate, Strategy why) {
        this.strategy = why;
        this.assignee = candidate;
    }

    /** Queue an email to the candidate's address carrying the customer's message (R7). */
    public void notifyByEmail(Candidate candidate, String subject, String text) {
        notifications.add(new Notification("email", candidate.userId(), candidate.email(), subject, text));
    }

    public Strategy strategy() { return strategy; }
    public Candidate assignee() { return assignee; }
    public List<Notification> notifications() { return List.copyOf(notifications); }
}
