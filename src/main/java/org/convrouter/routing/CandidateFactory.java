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

/**
 * Builds the candidates for one routing request. This is mechanism, not policy: it lists who the
 * settings point at (every user named, every member of every team named, or the contact owner and
 * the fallback user) with the facts the rules judge them by. It excludes nobody.
 */
public final class CandidateFactory {

    private final AgentLoads loads;

    public CandidateFactory(AgentLoads loads) {
        this.loads = loads;
    }

    /** Everything one routing request puts in front of the rules, with its candidates. */
    public RoutingFacts facts(Directory directory, Channel channel, Inbox inbox, RoutingSettings settings, Contact contact,
                              IncomingMessage message) {
        return new RoutingFacts(channel, inbox, settings, contact, message, candidates(directory, inbox, settings, contact));
    }

    public List<Candidate> candidates(Directory directory, Inbox inbox, RoutingSettings settings, Contact contact) {
        AssignTo assignTo = settings.assignTo();
        List<Candidate> candidates = new ArrayList<>();
        if (settings.assignsToUsersAndTeams()) {
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
            for (String userId : everyone) {
                directory.user(userId).ifPresent(user -> candidates.add(candidate(directory, inbox, user,
                        CandidateRole.SELECTED, direct.contains(userId), primary.contains(userId), secondary.contains(userId))));
            }
        } else {
            Optional.ofNullable(contact).map(Contact::owner).flatMap(directory::user).ifPresent(owner ->
                    candidates.add(candidate(directory, inbox, owner, CandidateRole.OWNER, false, false, false)));
            directory.user(assignTo.fallbackUser()).ifPresent(fallback ->
                    candidates.add(candidate(directory, inbox, fallback, CandidateRole.FALLBACK, false, false, false)));
        }
        return candidates;
    }

    private Candidate candidate(Directory directory, Inbox inbox, User user, CandidateRole role,
                                boolean direct, boolean primaryOfSelected, boolean secondaryOfSelected) {
        AgentLoad load = loads.of(user.id());
        return new Candidate(user.id(), user.name(), user.email(), role, user.seat(), user.hasPaidSeat(),
                user.active(), directory.hasAccess(user.id(), inbox), user.available(),
                direct, primaryOfSelected, secondaryOfSelected,
                directory.primaryTeamOf(user.id()), directory.teamsOf(user.id()),
                load.openChats(), load.lastChatAssignedAt());
    }
}
