package org.convrouter.directory;

/** Whom a channel's automatic routing picks from. */
public enum AssignToType {
    USERS_AND_TEAMS, CONTACT_OWNER
}
