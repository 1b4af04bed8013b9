package org.convrouter.routing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.User;
import org.convrouter.support.ForgetfulMap;

/**
 * Builds the candidates for one routing request. This is mechanism, not policy: it lists who the
 * settings point at (every user named, every member of every team named, or the contact owner and
 * the fallback user) with the facts the rules judge them by. It excludes nobody.
 */
public final class CandidateFactory {

    /** Beyond this many remembered rosters (simulations with ad-hoc settings add some) they are forgotten. */
    private static final int MAX_ROSTERS = 4096;

    /**
     * Who users-and-teams settings point at, with everything but their loads, per inbox and
     * settings, for the directory snapshot it was built from: routing requests on a channel reuse
     * it until the directory changes, and only add each user's current load. This spares every
     * request walking the teams and the inbox's access for hundreds of users.
     */
    private final ForgetfulMap<RosterKey, Roster> rosters = new ForgetfulMap<>(MAX_ROSTERS);

    private record RosterKey(Inbox inbox, RoutingSettings settings) {}

    private record Roster(Directory directory, List<Candidate> withoutLoads, List<String> userIds) {}

    /** Everyone one routing request may choose: whose loads it reads. */
    public List<String> userIds(Directory directory, Inbox inbox, RoutingSettings settings, Contact contact) {
        if (!settings.assignsToUsersAndTeams()) {
            return ownerAndFallback(directory, inbox, settings.assignTo(), contact, id -> AgentLoad.NONE).stream()
                    .map(Candidate::userId).toList();
        }
        return roster(directory, inbox, settings).userIds();
    }

    /** Everything one routing request puts in front of the rules, with its candidates and their loads. */
    public RoutingFacts facts(Directory directory, Channel channel, Inbox inbox, RoutingSettings settings, Contact contact,
                              IncomingMessage message, AgentLoads loads) {
        if (!settings.assignsToUsersAndTeams()) {
            return new RoutingFacts(channel, inbox, settings, contact, message,
                    ownerAndFallback(directory, inbox, settings.assignTo(), contact, loads));
        }
        Roster roster = roster(directory, inbox, settings);
        return new RoutingFacts(channel, inbox, settings, contact, message, withLoads(roster, loads));
    }

    private Roster roster(Directory directory, Inbox inbox, RoutingSettings settings) {
        RosterKey key = new RosterKey(inbox, settings);
        Roster roster = rosters.get(key);
        if (roster == null || roster.directory() != directory) {
            List<Candidate> selected = selected(directory, inbox, settings.assignTo());
            roster = new Roster(directory, selected, selected.stream().map(Candidate::userId).toList());
            rosters.put(key, roster);
        }
        return roster;
    }

    /** The roster's candidates with their current loads. */
    private static List<Candidate> withLoads(Roster roster, AgentLoads loads) {
        List<Candidate> candidates = new ArrayList<>(roster.withoutLoads().size());
        for (Candidate candidate : roster.withoutLoads()) {
            candidates.add(candidate.withLoad(loads.of(candidate.userId())));
        }
        return candidates;
    }

    /** Every user named, every member of every team named: role SELECTED, without loads. */
    private static List<Candidate> selected(Directory directory, Inbox inbox, AssignTo assignTo) {
        Set<String> direct = new LinkedHashSet<>(assignTo.users());
        Set<String> primary = new LinkedHashSet<>();
        Set<String> secondary = new LinkedHashSet<>();
        for (String teamId : assignTo.teams()) {
            directory.team(teamId).ifPresent(team -> {
                primary.addAll(team.primaryMembers());
                secondary.addAll(team.secondaryMembers());
            });
        }
        Set<String> everyone = new LinkedHashSet<>(direct);
        everyone.addAll(primary);
        everyone.addAll(secondary);
        List<Candidate> candidates = new ArrayList<>(everyone.size());
        for (String userId : everyone) {
            directory.user(userId).ifPresent(user -> candidates.add(candidate(directory, inbox, user,
                    CandidateRole.SELECTED, direct.contains(userId), primary.contains(userId), secondary.contains(userId))));
        }
        return List.copyOf(candidates);
    }

    private static List<Candidate> ownerAndFallback(Directory directory, Inbox inbox, AssignTo assignTo, Contact contact,
                                                    AgentLoads loads) {
        List<Candidate> candidates = new ArrayList<>(2);
        Optional.ofNullable(contact).map(Contact::owner).flatMap(directory::user).ifPresent(owner ->
                candidates.add(candidate(directory, inbox, owner, CandidateRole.OWNER, false, false, false)
                        .withLoad(loads.of(owner.id()))));
        directory.user(assignTo.fallbackUser()).ifPresent(fallback ->
                candidates.add(candidate(directory, inbox, fallback, CandidateRole.FALLBACK, false, false, false)
                        .withLoad(loads.of(fallback.id()))));
        return candidates;
    }

    /** A candidate with no load yet: {@link Candidate#withLoad} adds the current one. */
    private static Candidate candidate(Directory directory, Inbox inbox, User user, CandidateRole role,
                                       boolean direct, boolean primaryOfSelected, boolean secondaryOfSelected) {
        return new Candidate(user.id(), user.name(), user.email(), role, user.seat(), user.hasPaidSeat(),
                user.active(), directory.hasAccess(user.id(), inbox), user.available(),
                direct, primaryOfSelected, secondaryOfSelected,
                directory.primaryTeamOf(user.id()), directory.teamsOf(user.id()), 0, null, user.chatCapacity());
    }
}
