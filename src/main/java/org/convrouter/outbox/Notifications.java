package org.convrouter.outbox;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** The R7 emails as an admin sees them, and whether mail is working, for {@code /health}. */
public final class Notifications {

    /** One email: {@code status} is pending, sent or failed; {@code lastError} says why the latest try failed. */
    public record Item(String id, String conversationId, String to, String subject, String status, int attempts,
                       String lastError, Instant sentAt) {}

    /** {@code mail} is "ok", "unconfigured" or "failing"; {@code degraded} says whether /health should say so. */
    public record Health(String mail, boolean degraded) {}

    private final Jdbi jdbi;
    private final Outbox mail;

    /** {@code mail} is the mail outbox, or null when no SMTP server is configured. */
    public Notifications(Jdbi jdbi, Outbox mail) {
        this.jdbi = jdbi;
        this.mail = mail;
    }

    /** Newest first (ids are time-ordered), up to {@code limit} after the cursor (an id), plus one more if there is one. */
    public List<Item> page(String after, int limit) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT id, conversation_id, address, subject, status, attempts, last_error, sent_at "
                    + "FROM notifications" + (after == null ? "" : " WHERE id < :after") + " ORDER BY id DESC LIMIT :n");
            if (after != null) {
                query.bind("after", after);
            }
            return query.bind("n", limit + 1).map((rs, ctx) -> {
                    Timestamp sent = rs.getTimestamp("sent_at");
                    return new Item(rs.getString("id"), rs.getString("conversation_id"), rs.getString("address"),
                            rs.getString("subject"), rs.getString("status"), rs.getInt("attempts"), rs.getString("last_error"),
                            sent == null ? null : sent.toInstant());
                }).list();
        });
    }

    /**
     * Failing: this instance's latest try to send failed (it is degraded). Unconfigured: no SMTP
     * server; degraded only while mail waits for one, since a service whose rules send no mail needs none.
     */
    public Health health() {
        if (mail != null) {
            return new Health(mail.failing() ? "failing" : "ok", mail.failing());
        }
        try {
            boolean waiting = jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM notifications WHERE status = 'pending' LIMIT 1")
                    .mapTo(Integer.class).findOne().isPresent());
            return new Health("unconfigured", waiting);
        } catch (RuntimeException e) {
            return new Health("unconfigured", true); // the database is out of reach: /health says so too
        }
    }
}
