package org.convrouter.conversation;

/** Who owns a conversation: a user or a team. A conversation without an assignee is unassigned (M1). */
public record Assignee(AssigneeType type, String id) {

    public static Assignee user(String id) {
        return new Assignee(AssigneeType.USER, id);
    }

    public static Assignee team(String id) {
        return new Assignee(AssigneeType.TEAM, id);
    }

    /** The user whose chat load a conversation assigned to {@code assignee} weighs on: null for a team or no one. */
    public static String userOf(Assignee assignee) {
        return assignee != null && assignee.type == AssigneeType.USER ? assignee.id : null;
    }

    public boolean isUser(String userId) {
        return type == AssigneeType.USER && id.equals(userId);
    }
}
