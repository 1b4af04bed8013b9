package org.convrouter.store;

/**
 * Every statement the group-commit writer runs, with its parameters' types in order ({@code s}
 * text, {@code i} integer, {@code l} long, {@code t} timestamp). Writes are lists of these with their values, so a
 * batch can be both executed and written to the {@link Journal} (and replayed from it) the same way.
 */
enum Sql {
    /** Rosters are named by their content: storing one again (a replay, another instance) changes nothing. */
    INSERT_ROSTER("INSERT INTO rosters (id, members) VALUES (?, ?) ON CONFLICT DO NOTHING", "ss", false),
    /**
     * A contact first seen in a routing request, written in the same batch as its conversation. Every
     * request that met it while it was being stored carries it; the first to commit inserts it.
     */
    INSERT_CONTACT_IF_ABSENT("INSERT INTO contacts (id, email, name, owner_id, cookie_tracked) "
            + "SELECT ?, ?, ?, NULL, FALSE WHERE NOT EXISTS (SELECT 1 FROM contacts WHERE id = ?)", "ssss", false),
    INSERT_DECISION("INSERT INTO decisions (id, body) VALUES (?, ?)", "ss", false),
    INSERT_NOTIFICATION("INSERT INTO notifications (id, conversation_id, channel, user_id, address, subject, text, queued_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "ssssssst", false),
    INSERT_CONVERSATION("INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, status, "
            + "assignee_type, assignee_id, decision_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "ssssssssst", false),
    INSERT_MESSAGE("INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)", "ssissst", false),
    INSERT_ASSIGNMENT_CHANGE("INSERT INTO assignment_changes (conversation_id, seq, at, from_type, from_id, to_type, to_id, "
            + "by_user_id, cause) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "sitssssss", false),
    STAMP_LAST_CHAT_ASSIGNMENT("UPDATE users SET last_chat_assigned_at = ? WHERE id = ?", "ts", false),
    /** A change to a conversation that is not stored must fail, not write orphan rows: exactly one row. */
    UPDATE_ASSIGNEE("UPDATE conversations SET assignee_type = ?, assignee_id = ? WHERE id = ?", "sss", true),
    UPDATE_STATUS("UPDATE conversations SET status = ? WHERE id = ?", "ss", true),
    /** The last journal batch this database holds, written in that batch's own transaction. */
    MARK_JOURNAL("UPDATE journal_position SET seq = ? WHERE id = 1", "l", true);

    final String text;
    final String types;
    final boolean exactlyOneRow;

    Sql(String text, String types, boolean exactlyOneRow) {
        this.text = text;
        this.types = types;
        this.exactlyOneRow = exactlyOneRow;
    }
}
