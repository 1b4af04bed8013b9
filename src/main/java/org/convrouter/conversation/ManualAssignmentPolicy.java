package org.convrouter.conversation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;

/**
 * Asks the rules whether a target may be assigned by hand (M4, M5). Java only describes the
 * target; which targets are refused, and why, lives in manual-assignment.drl.
 */
public final class ManualAssignmentPolicy {

    private final ActiveRules rules;

    public ManualAssignmentPolicy(ActiveRules rules) {
        this.rules = rules;
    }

    /** The reasons the target is refused; empty when allowed. */
    public List<String> refusals(Directory directory, Conversation conversation, Inbox inbox, Assignee target, String byUserId) {
        AssignmentRequest request = describe(directory, conversation, inbox, target, byUserId);
        RuleSet.Firing firing = rules.current().run(List.of(request), Refusal.class);
        return firing.factsOf(Refusal.class).stream().map(Refusal::reason).sorted().toList();
    }

    /** The refusals of many targets in one rule run; allowed targets map to an empty list. */
    public Map<Assignee, List<String>> refusalsByTarget(Directory directory, Conversation conversation, Inbox inbox,
                                                         List<Assignee> targets) {
        Map<AssignmentRequest, Assignee> requests = new LinkedHashMap<>();
        for (Assignee target : targets) {
            requests.put(describe(directory, conversation, inbox, target, null), target);
        }
        RuleSet.Firing firing = rules.current().run(List.copyOf(requests.keySet()), Refusal.class);
        Map<Assignee, List<String>> result = new LinkedHashMap<>();
        targets.forEach(t -> result.put(t, new ArrayList<>()));
        for (Refusal refusal : firing.factsOf(Refusal.class)) {
            result.get(requests.get(refusal.request())).add(refusal.reason());
        }
        result.values().forEach(reasons -> reasons.sort(null));
        return result;
    }

    static AssignmentRequest describe(Directory directory, Conversation conversation, Inbox inbox, Assignee target, String byUserId) {
        boolean restricted = inbox.restrictedToTeams();
        if (target.type() == AssigneeType.USER) {
            User user = directory.user(target.id()).orElseThrow();
            boolean member = restricted && directory.hasAccess(user.id(), inbox);
            return new AssignmentRequest(conversation.id(), inbox.id(), restricted, true, user.id(), user.active(),
                    user.hasPaidSeat(), member, false, byUserId);
        }
        Team team = directory.team(target.id()).orElseThrow();
        boolean inboxTeam = restricted && inbox.teams().contains(team.id());
        return new AssignmentRequest(conversation.id(), inbox.id(), restricted, false, team.id(), true, true,
                false, inboxTeam, byUserId);
    }
}
