package org.convrouter.access;

/**
 * Who a request acts as: the admin, a user (with their id), an integration or an analyst (with
 * its token's id). {@code name} is the name an integration or analyst token was given, so the
 * rules history can say who changed the rules; null for the admin and users.
 */
public record Principal(Kind kind, String subject, String name) {

    public enum Kind { ADMIN, USER, INTEGRATION, ANALYST }

    public static final Principal ADMIN = new Principal(Kind.ADMIN, null, null);

    public Principal(Kind kind, String subject) {
        this(kind, subject, null);
    }

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

    /** Whether this is the same token holder, whatever name it carries. */
    public boolean sameHolder(Principal other) {
        return kind == other.kind && java.util.Objects.equals(subject, other.subject);
    }

    /** How the rules history names who made a change: "admin", or "analyst 'Pricing team' (id ...)". */
    public String describe() {
        return switch (kind) {
            case ADMIN -> "admin";
            case USER -> "user " + subject;
            case INTEGRATION, ANALYST -> kind.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "' (id " + subject + ")";
        };
    }
}
