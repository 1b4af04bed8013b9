package org.convrouter.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.routing.Candidate;
import org.convrouter.routing.CandidateRole;

/**
 * The baseline: the shipped users-and-teams policy (R1 eligibility, R3 random, R4 least busy)
 * written by hand in Java, with no rules engine, over the same candidate facts. Records reasons
 * per candidate like the engine does, so both sides do the same work.
 */
final class HandWrittenPolicy {

    record Outcome(String assignee, List<List<String>> reasons) {}

    static Outcome decide(ChannelKind kind, RoutingSettings settings, List<Candidate> candidates, RandomGenerator random) {
        List<List<String>> reasons = new ArrayList<>(candidates.size());
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : candidates) {
            List<String> why = new ArrayList<>(2);
            if (!c.paidSeat()) why.add("no paid seat");
            if (!c.active()) why.add("deactivated");
            if (!c.inboxAccess()) why.add("no access to the inbox");
            if (c.role() == CandidateRole.SELECTED && !c.selectedDirectly() && !c.primaryMemberOfSelectedTeam()) {
                why.add("only a secondary member of a selected team");
            }
            if (settings.onlyAvailable() && !c.available() && c.role() != CandidateRole.OWNER) why.add("away");
            reasons.add(why);
            if (why.isEmpty()) eligible.add(c);
        }
        if (!settings.autoAssign() || eligible.isEmpty()) {
            return new Outcome(null, reasons);
        }
        if (kind.isChatKind()) {
            Candidate best = null;
            for (Candidate c : eligible) {
                if (best == null || c.openChats() < best.openChats()
                        || c.openChats() == best.openChats() && olderOrNever(c, best)) {
                    best = c;
                }
            }
            return new Outcome(best.userId(), reasons);
        }
        return new Outcome(eligible.get(random.nextInt(eligible.size())).userId(), reasons);
    }

    private static boolean olderOrNever(Candidate a, Candidate b) {
        if (a.lastChatAssignedAt() == null || b.lastChatAssignedAt() == null) {
            return a.lastChatAssignedAt() == null && (b.lastChatAssignedAt() != null || a.userId().compareTo(b.userId()) < 0);
        }
        int cmp = a.lastChatAssignedAt().compareTo(b.lastChatAssignedAt());
        return cmp < 0 || cmp == 0 && a.userId().compareTo(b.userId()) < 0;
    }
}
