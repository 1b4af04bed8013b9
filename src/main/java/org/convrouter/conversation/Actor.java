package org.convrouter.conversation;

/** Who performs a triage action: a user, an admin, or an admin acting for a user ({@code userId} may be null for admins). */
public record Actor(String userId, boolean admin) {

    public static Actor user(String userId) {
        return new Actor(userId, false);
    }

    public static Actor admin(String onBehalfOf) {
        return new Actor(onBehalfOf, true);
    }
}
