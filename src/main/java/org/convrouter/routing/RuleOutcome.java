package org.convrouter.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.convrouter.rules.RuleSet;

/**
 * What the rules concluded for one request: each judged candidate's reasons, the strategy, the
 * assignee, the emails, the rules fired and their summaries. Candidates are named by their slot,
 * their place among the facts judged, so the same conclusion applies to another request whose
 * judged candidates differ only in fields the rules do not read (see {@link RuleOutcomes}).
 *
 * @param reasons per slot, sorted, never null (no reason: eligible)
 * @param assignee the slot assigned directly by a rule, or {@link #NOBODY}
 * @param others   candidates the rules named that were not among those judged (only a rule set that
 *                 makes candidates of its own does that); slots past the judged ones. Such an
 *                 outcome belongs to its own request only.
 */
record RuleOutcome(List<List<String>> reasons, Strategy strategy, int assignee, List<Email> emails,
                   List<String> firedRules, List<String> summaries, List<Candidate> others) {

    static final int NOBODY = -1;

    /** An email asked for, to the candidate in slot {@code to}. */
    record Email(int to, String subject, String text, boolean carriesMessage) {}

    /** The outcome of one run of the rules over {@code judged}. */
    static RuleOutcome of(RuleSet.Firing firing, RoutingDecision decision, List<Candidate> judged) {
        Map<Candidate, Integer> slots = new IdentityHashMap<>(judged.size() * 2);
        for (int i = 0; i < judged.size(); i++) {
            slots.putIfAbsent(judged.get(i), i); // the first slot of an instance listed twice speaks for both
        }
        @SuppressWarnings("unchecked")
        List<String>[] reasons = new List[judged.size()];
        for (Object fact : firing.facts()) {
            Exclusion exclusion = (Exclusion) fact;
            Integer slot = slots.get(exclusion.candidate());
            if (slot != null) { // an exclusion of someone who is no candidate changes nothing
                if (reasons[slot] == null) {
                    reasons[slot] = new ArrayList<>(2);
                }
                reasons[slot].add(exclusion.reason());
            }
        }
        List<List<String>> sorted = new ArrayList<>(judged.size());
        for (int i = 0; i < reasons.length; i++) {
            List<String> why = reasons[slots.get(judged.get(i))];
            if (why == null) {
                sorted.add(List.of());
            } else {
                why.sort(null); // a stable order for people and tests, whatever order the rules fired in
                sorted.add(List.copyOf(why)); // (sorting it twice for an instance listed twice changes nothing)
            }
        }
        List<Candidate> others = new ArrayList<>(0);
        int assignee = decision.assignee() == null ? NOBODY : slot(decision.assignee(), slots, judged, others);
        List<Email> emails = new ArrayList<>(decision.emails().size());
        for (RoutingDecision.Email email : decision.emails()) {
            emails.add(new Email(slot(email.to(), slots, judged, others), email.subject(), email.text(),
                    email.carriesMessage()));
        }
        return new RuleOutcome(sorted, decision.strategy(), assignee, emails, firing.firedRules(), firing.summaries(),
                others);
    }

    private static int slot(Candidate candidate, Map<Candidate, Integer> slots, List<Candidate> judged,
                            List<Candidate> others) {
        Integer slot = slots.get(candidate);
        if (slot != null) {
            return slot;
        }
        others.add(candidate);
        return judged.size() + others.size() - 1;
    }

    RuleOutcome {
        reasons = List.copyOf(reasons);
        emails = List.copyOf(emails);
        firedRules = List.copyOf(firedRules);
        summaries = List.copyOf(summaries);
        others = List.copyOf(others);
    }

    /** Whether it may be applied to another request: every candidate it names is one of those judged. */
    boolean reusable() {
        return others.isEmpty();
    }

    /** The candidate the rules assigned directly, among this request's judged candidates, or null. */
    Candidate assignee(List<Candidate> judged) {
        return assignee == NOBODY ? null : candidate(assignee, judged);
    }

    /** The emails, addressed to this request's candidates, carrying this request's message where asked. */
    List<Notification> notifications(List<Candidate> judged, IncomingMessage message) {
        if (emails.isEmpty()) {
            return List.of();
        }
        Notification[] notifications = new Notification[emails.size()];
        for (int i = 0; i < notifications.length; i++) {
            Email email = emails.get(i);
            Candidate to = candidate(email.to(), judged);
            notifications[i] = new Notification("email", to.userId(), to.email(), email.subject(),
                    email.carriesMessage() ? message.text() : email.text());
        }
        return Arrays.asList(notifications);
    }

    private Candidate candidate(int slot, List<Candidate> judged) {
        return slot < judged.size() ? judged.get(slot) : others.get(slot - judged.size());
    }
}
