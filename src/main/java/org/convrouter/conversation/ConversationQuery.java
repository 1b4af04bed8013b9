package org.convrouter.conversation;

import java.util.Set;

/**
 * A page of conversations, newest first. {@code inboxIds} null means every inbox; {@code mineFor}
 * and {@code unassignedOnly} select the Mine and Unassigned views; {@code before} is the cursor
 * (the position of the last item of the previous page).
 */
public record ConversationQuery(Set<String> inboxIds, boolean unassignedOnly, String mineFor,
                                ConversationStatus status, Cursor before, int limit) {

    /** The same query over every inbox (for stores that already narrowed it to one). */
    public ConversationQuery withoutInboxes() {
        return new ConversationQuery(null, unassignedOnly, mineFor, status, before, limit);
    }

    /** A stable position in newest-first order: creation time, then id. */
    public record Cursor(java.time.Instant createdAt, String id) {}
}
