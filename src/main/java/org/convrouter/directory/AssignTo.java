package org.convrouter.directory;

import java.util.List;

/** The "Assign to" part of routing settings: specific users and teams, or the contact owner with a fallback. */
public record AssignTo(AssignToType type, List<String> users, List<String> teams, String fallbackUser) {

    public AssignTo {
        users = users == null ? List.of() : List.copyOf(users);
        teams = teams == null ? List.of() : List.copyOf(teams);
    }

    public static AssignTo usersAndTeams(List<String> users, List<String> teams) {
        return new AssignTo(AssignToType.USERS_AND_TEAMS, users, teams, null);
    }

    public static AssignTo contactOwner(String fallbackUser) {
        return new AssignTo(AssignToType.CONTACT_OWNER, List.of(), List.of(), fallbackUser);
    }
}
