package org.convrouter.directory;

/** A channel's routing settings. The defaults follow HubSpot: not assigned, only available users. */
public record RoutingSettings(boolean autoAssign, AssignTo assignTo, boolean onlyAvailable) {

    public static final RoutingSettings DEFAULT =
            new RoutingSettings(false, AssignTo.usersAndTeams(null, null), true);

    public boolean assignsToContactOwner() {
        return assignTo.type() == AssignToType.CONTACT_OWNER;
    }

    public boolean assignsToUsersAndTeams() {
        return assignTo.type() == AssignToType.USERS_AND_TEAMS;
    }
}
