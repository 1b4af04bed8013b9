package org.convrouter.outbox;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.convrouter.support.DaemonThreads;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the rows of one outbox table at least once, from any number of instances. A row is
 * written in the transaction that causes it, so nothing is sent for a change that rolled back and
 * nothing is lost for one that committed. Each instance's sender thread claims due rows in a short
 * transaction ({@code FOR UPDATE SKIP LOCKED}: two instances never claim the same row), pushing
 * their {@code next_attempt_at} out by a lease and counting the attempt; it sends outside any
 * transaction, then records the outcome. A crash mid-send leaves the row due again when the lease
 * ends, so it is sent again rather than lost.
 *
 * <p>The table has the columns {@code id, status ('pending'|'sent'|'failed'), attempts,
 * next_attempt_at, last_error, sent_at}; the {@link Courier} reads the rest.
 */
public final class Outbox implements AutoCloseable {

    /** Sends one row. Throws to report a failure; its message becomes the row's {@code last_error}. */
    public interface Courier {
        void deliver(String id) throws Exception;
    }

    /** A failure that no retry can mend (the webhook was deleted, the address is malformed): the row is failed at once. */
    public static final class GiveUp extends Exception {
        public GiveUp(String message) {
            super(message);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int MAX_ERROR = 1000;

    private final Jdbi jdbi;
    private final String table;
    private final Courier courier;
    private final Retry retry;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private volatile boolean closed;
    /** Whether this instance's latest try failed; null before its first try. */
    private volatile Boolean lastFailed;

    /** {@code table} is a constant of the caller's, never input. */
    public Outbox(Jdbi jdbi, String table, Courier courier, Retry retry, Clock clock) {
        this.jdbi = jdbi;
        this.table = table;
        this.courier = courier;
        this.retry = retry;
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("outbox-" + table));
    }

    public Outbox start() {
        thread.scheduleWithFixedDelay(this::drain, 0, retry.poll().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Sends what is due until nothing is; errors are logged and tried again at the next poll. */
    private void drain() {
        try {
            while (!closed && sendDue() > 0) {
                // more may be due
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox {}: {}", table, e.toString());
        }
    }

    /** One round: claims up to a batch of due rows and tries each once. Returns how many were tried. */
    public int sendDue() {
        List<Claim> claimed = claim();
        for (Claim claim : claimed) {
            if (closed) {
                break; // the lease brings the rest back
            }
            attempt(claim);
        }
        return claimed.size();
    }

    private record Claim(String id, int attempt) {}

    private List<Claim> claim() {
        Instant now = clock.instant();
        return jdbi.inTransaction(h -> {
            List<Claim> due = h.createQuery("SELECT id, attempts FROM " + table + " WHERE status = 'pending' AND "
                            + "next_attempt_at <= :now ORDER BY next_attempt_at LIMIT :batch FOR UPDATE SKIP LOCKED")
                    .bind("now", Timestamp.from(now)).bind("batch", retry.batch())
                    .map((rs, ctx) -> new Claim(rs.getString("id"), rs.getInt("attempts") + 1)).list();
            if (!due.isEmpty()) {
                h.createUpdate("UPDATE " + table + " SET attempts = attempts + 1, next_attempt_at = :until WHERE id IN (<ids>)")
                        .bind("until", Timestamp.from(now.plus(retry.lease())))
                        .bindList("ids", due.stream().map(Claim::id).toList()).execute();
            }
            return due;
        });
    }

    private void attempt(Claim claim) {
        if (!renewLease(claim)) {
            return; // the lease ran out while earlier rows of the batch were sent: another claim has it
        }
        String error;
        boolean giveUp = false;
        try {
            courier.deliver(claim.id());
            lastFailed = false;
            updateIfStillClaimed(claim, "status = 'sent', sent_at = :now, last_error = NULL, next_attempt_at = NULL",
                    update -> update.bind("now", Timestamp.from(clock.instant())));
            return;
        } catch (GiveUp e) {
            error = e.getMessage();
            giveUp = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = describe(e);
        }
        lastFailed = true;
        boolean failed = giveUp || claim.attempt() >= retry.maxAttempts();
        String lastError = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        Instant next = clock.instant().plus(retry.delayAfter(claim.attempt()));
        LOG.info("outbox {}: try {} of {} failed{}: {}", table, claim.attempt(), claim.id(), failed ? ", given up" : "", lastError);
        updateIfStillClaimed(claim, "status = :status, last_error = :error, next_attempt_at = :next",
                update -> update.bind("status", failed ? "failed" : "pending").bind("error", lastError)
                        .bind("next", failed ? null : Timestamp.from(next)));
    }

    /**
     * Starts the row's lease afresh just before its send, if this claim still holds it, so that a slow
     * send earlier in the batch cannot let the lease of a later row run out while it waits here.
     */
    private boolean renewLease(Claim claim) {
        return updateIfStillClaimed(claim, "next_attempt_at = :until",
                update -> update.bind("until", Timestamp.from(clock.instant().plus(retry.lease()))));
    }

    /**
     * Sets {@code assignments} on the claimed row only while this claim still holds it (its attempt is
     * the row's latest and the row is pending): a row whose lease ran out belongs to its new claim.
     */
    private boolean updateIfStillClaimed(Claim claim, String assignments, Consumer<Update> values) {
        return jdbi.withHandle(h -> {
            Update update = h.createUpdate("UPDATE " + table + " SET " + assignments
                    + " WHERE id = :id AND attempts = :attempt AND status = 'pending'");
            values.accept(update);
            return update.bind("id", claim.id()).bind("attempt", claim.attempt()).execute();
        }) == 1;
    }

    /** The exception and its causes' messages, one line: what an admin needs to see why. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < MAX_ERROR; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.isEmpty() ? "" : ": ").append(message);
            }
        }
        return text.toString().replaceAll("\\s+", " ").strip();
    }

    /** Whether the latest try on this instance failed (false before any try). */
    public boolean failing() {
        return Boolean.TRUE.equals(lastFailed);
    }

    /** Stops after the send under way, if any; what was claimed and not sent is due again when its lease ends. */
    @Override
    public void close() {
        closed = true;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
