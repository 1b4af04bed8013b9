package org.convrouter.routing;

/**
 * A notification the rules asked for, queued for delivery (R7). A subject a rule made longer than
 * {@link #MAX_SUBJECT} is cut there, so a rule's long subject never makes routing fail in the database.
 */
public record Notification(String channel, String userId, String address, String subject, String text) {

    /** The stored subject's column size. */
    public static final int MAX_SUBJECT = 500;

    public Notification {
        if (subject != null && subject.length() > MAX_SUBJECT) {
            int end = Character.isHighSurrogate(subject.charAt(MAX_SUBJECT - 1)) ? MAX_SUBJECT - 1 : MAX_SUBJECT;
            subject = subject.substring(0, end);
        }
    }
}
