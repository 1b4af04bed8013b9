package org.convrouter.directory;

import java.util.List;

/** An inbox. {@code teams == null} means every user has access; otherwise only those teams' members. */
public record Inbox(String id, String name, List<String> teams) {

    public Inbox {
        teams = teams == null ? null : List.copyOf(teams);
    }

    public boolean restrictedToTeams() {
        return teams != null;
    }
}
