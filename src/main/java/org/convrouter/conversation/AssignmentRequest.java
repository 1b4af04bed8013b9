package org.convrouter.conversation;

/**
 * A rule fact: one proposed manual assignment target, with what the M4/M5 rules look at.
 *
 * @param targetMemberOfInboxTeams the target user is a primary or secondary member of one of the inbox's teams
 * @param targetIsInboxTeam        the target team is one of the inbox's teams
 */
public record AssignmentRequest(
        String conversationId,
        String inboxId,
        boolean inboxRestrictedToTeams,
        boolean targetIsUser,
        String targetId,
        boolean targetActive,
        boolean targetHasPaidSeat,
        boolean targetMemberOfInboxTeams,
        boolean targetIsInboxTeam,
        String byUserId) {}
