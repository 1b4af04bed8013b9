package org.convrouter.routing;

import java.time.Instant;
import java.util.Set;
import org.convrouter.directory.Seat;

/**
 * A rule fact: one user who could be chosen, with everything policy may look at. Built by Java from
 * the directory and the load book; whether the user is eligible is decided by the rules, which
 * insert an {@link Exclusion} per failed condition.
 *
 * @param selectedDirectly             named in "Assign to" users
 * @param primaryMemberOfSelectedTeam  a primary member of a team named in "Assign to" teams
 * @param secondaryMemberOfSelectedTeam a secondary member of a team named in "Assign to" teams
 * @param lastChatAssignedAt           when a chat-kind conversation was last assigned to them; null if never
 * @param chatCapacity                 the most open chat-kind conversations they take; null for no limit
 */
public record Candidate(
        String userId,
        String name,
        String email,
        CandidateRole role,
        Seat seat,
        boolean paidSeat,
        boolean active,
        boolean inboxAccess,
        boolean available,
        boolean selectedDirectly,
        boolean primaryMemberOfSelectedTeam,
        boolean secondaryMemberOfSelectedTeam,
        String primaryTeam,
        Set<String> teams,
        int openChats,
        Instant lastChatAssignedAt,
        Integer chatCapacity) {

    /** A candidate without a capacity (no limit). */
    public Candidate(String userId, String name, String email, CandidateRole role, Seat seat, boolean paidSeat,
                     boolean active, boolean inboxAccess, boolean available, boolean selectedDirectly,
                     boolean primaryMemberOfSelectedTeam, boolean secondaryMemberOfSelectedTeam, String primaryTeam,
                     Set<String> teams, int openChats, Instant lastChatAssignedAt) {
        this(userId, name, email, role, seat, paidSeat, active, inboxAccess, available, selectedDirectly,
                primaryMemberOfSelectedTeam, secondaryMemberOfSelectedTeam, primaryTeam, teams, openChats,
                lastChatAssignedAt, null);
    }

    /** This candidate with the given chat load (the directory part stays as it is). */
    public Candidate withLoad(AgentLoad load) {
        return new Candidate(userId, name, email, role, seat, paidSeat, active, inboxAccess, available, selectedDirectly,
                primaryMemberOfSelectedTeam, secondaryMemberOfSelectedTeam, primaryTeam, teams,
                load.openChats(), load.lastChatAssignedAt(), chatCapacity);
    }

    /** This candidate with the given capacity (null: no limit). */
    public Candidate withChatCapacity(Integer capacity) {
        return new Candidate(userId, name, email, role, seat, paidSeat, active, inboxAccess, available, selectedDirectly,
                primaryMemberOfSelectedTeam, secondaryMemberOfSelectedTeam, primaryTeam, teams,
                openChats, lastChatAssignedAt, capacity);
    }

    public boolean memberOf(String teamId) {
        return teams.contains(teamId);
    }
}
