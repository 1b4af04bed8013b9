package org.convrouter.access;

/** Who a request acts as: the admin, a user (with their id), or an integration (with its token's id). */
public record Principal(Kind kind, String subject) {

    public enum Kind { ADMIN, USER, INTEGRATION }

    public static final Principal ADMIN = new Principal(Kind.ADMIN, null);

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    public boolean isUser() {
        return kind == Kind.USER;
    }

    /** The user id for user tokens; null otherwise. */
    public String userId() {
        return kind == Kind.USER ? subject : null;
    }
}
