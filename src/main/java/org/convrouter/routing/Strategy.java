package org.convrouter.routing;

import com.fasterxml.jackson.annotation.JsonAlias;

/** How the assignee is picked once the rules have decided who is eligible: the name a decision records. */
public enum Strategy {
    /** No strategy rule fired, so nothing chose an assignee: the conversation stays unassigned. */
    @JsonAlias("none") // the name decisions stored before it had
    NO_STRATEGY_RULE,
    /** Automatic assignment is off for the channel (R0), or a rule left the conversation unassigned. */
    UNASSIGNED,
    /** One eligible user at random, each equally likely (R3). */
    RANDOM,
    /** The eligible user with the fewest open chats, then least recently assigned, then smallest id (R4). */
    LEAST_BUSY,
    /** The contact's owner (R6, R7). */
    CONTACT_OWNER,
    /** The channel's fallback user (R8). */
    FALLBACK_USER,
    /** A user a rule named directly ({@code assignTo($c)}), such as a member of a VIP team. */
    DIRECT
}
