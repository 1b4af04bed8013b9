package org.convrouter.conversation;

import java.time.Instant;

/**
 * One entry of a conversation's assignment history. {@code from}/{@code to} may be null
 * (unassigned); {@code byUserId} is null when routing or an admin token did it.
 */
public record AssignmentChange(Instant at, Assignee from, Assignee to, String byUserId, Cause cause) {

    public enum Cause { ROUTING, MANUAL, REPLY }
}
