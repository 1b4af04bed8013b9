package org.convrouter.directory;

import java.util.List;

/**
 * A team. A user is a primary member of at most one team (checked by the directory) and a
 * secondary member of any number. Only primary members are routed to automatically (R1).
 */
public record Team(String id, String name, List<String> primaryMembers, List<String> secondaryMembers) {

    public Team {
        primaryMembers = List.copyOf(primaryMembers);
        secondaryMembers = List.copyOf(secondaryMembers);
    }
}
