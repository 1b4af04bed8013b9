package org.convrouter.routing;

/** How the assignee is picked once the rules have decided who is eligible. */
public enum Strategy {
    /** No strategy rule applied: the conversation stays unassigned. */
    NONE,
    /** Automatic assignment is off for the channel (R0). */
    UNASSIGNED,
    /** One eligible user at random, each equally likely (R3). */
    RANDOM,
    /** The eligible user with the fewest open chats, then least recently assigned, then smallest id (R4). */
    LEAST_BUSY,
    /** The contact's owner (R6, R7). */
    CONTACT_OWNER,
    /** The channel's fallback user (R8). */
    FALLBACK_USER
}
