package org.convrouter.conversation;

/** Who owns a conversation: a user or a team. A conversation without an assignee is unassigned (M1). */
public record Assignee(AssigneeType type, String id) {

    public static Assignee user(String id) {
        return new Assignee(AssigneeType.USER, id);
    }

    public static Assignee team(String id) {
        return new Assignee(AssigneeType.TEAM, id);
    }

    public boolean isUser(String userId) {
        return type == AssigneeType.USER && id.equals(userId);
    }
}
