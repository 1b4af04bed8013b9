package org.convrouter.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * The rule-facing outcome of one routing request: the small verbs a rule consequence calls. One
 * instance per request, inserted as a fact, so concurrent requests never share it. Candidates are
 * kept by reference: the engine reads who they are (id, address) when it applies the outcome.
 */
public final class RoutingDecision {

    /**
     * An email a rule asked for: with a text of its own, or carrying the customer's message;
     * {@code onlyIfAssigned}: sent only when the conversation ends up assigned to {@code to}.
     */
    record Email(Candidate to, String subject, String text, boolean carriesMessage, boolean onlyIfAssigned) {}

    private Strategy strategy = Strategy.NO_STRATEGY_RULE;
    private Candidate assignee;
    private final List<Email> emails = new ArrayList<>();

    /**
     * Let Java pick among the eligible candidates with this strategy (RANDOM, LEAST_BUSY). Like the
     * other verbs it replaces what an earlier consequence decided, a direct assignee included.
     */
    public void useStrategy(Strategy chosen) {
        this.strategy = chosen;
        this.assignee = null;
    }

    /** Leave the conversation unassigned, recording why in the strategy (for example UNASSIGNED). */
    public void leaveUnassigned(Strategy why) {
        this.strategy = why;
        this.assignee = null;
    }

    /** Leave the conversation unassigned, recording the strategy UNASSIGNED. */
    public void leaveUnassigned() {
        leaveUnassigned(Strategy.UNASSIGNED);
    }

    /**
     * Assign to this candidate, recording the strategy that chose them. The named candidate wins over
     * any strategy's own pick; if the rules excluded them, the conversation stays unassigned.
     */
    public void assignTo(Candidate candidate, Strategy why) {
        this.strategy = why;
        this.assignee = candidate;
    }

    /** Assign to this candidate, recording the strategy DIRECT. */
    public void assignTo(Candidate candidate) {
        assignTo(candidate, Strategy.DIRECT);
    }

    /** Queue an email to the candidate's address carrying the customer's message. */
    public void notifyByEmail(Candidate candidate, String subject) {
        emails.add(new Email(candidate, subject, null, true, false));
    }

    /** Queue an email to the candidate's address with a text of the rule's own. */
    public void notifyByEmail(Candidate candidate, String subject, String text) {
        emails.add(new Email(candidate, subject, text, false, false));
    }

    /**
     * Email the candidate the customer's message only if the conversation ends up assigned to them,
     * whatever rules fire after this one (R7: "assigned to you" must be true).
     */
    public void notifyByEmailIfAssigned(Candidate candidate, String subject) {
        emails.add(new Email(candidate, subject, null, true, true));
    }

    public Strategy strategy() { return strategy; }
    public Candidate assignee() { return assignee; }

    List<Email> emails() { return List.copyOf(emails); }
}
