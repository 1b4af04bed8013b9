package org.convrouter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.convrouter.store.Database;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's claim, lease and retry, on the embedded database, with a clock the test moves. */
class OutboxTest {

    /** A sender that dies mid-send: nothing after the claim is recorded. */
    static final class Crash extends Error {}

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-01-07T12:00:00Z");

        @Override public Instant instant() { return now; }
        @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        void advance(Duration d) { now = now.plus(d); }
    }

    private static final Retry RETRY = new Retry(Duration.ofSeconds(30), Duration.ofHours(1), 3, Duration.ofMinutes(5),
            Duration.ofSeconds(1), 5);

    @TempDir
    Path folder;
    private Database database;
    private Jdbi jdbi;
    private final MovableClock clock = new MovableClock();
    private final List<String> delivered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        database = Database.embedded(folder);
        jdbi = database.jdbi();
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO notifications (id, conversation_id, channel, user_id, address, subject, "
                        + "text, queued_at, status, attempts, next_attempt_at) VALUES ('n1', 'c1', 'email', 'ana', "
                        + "'ana@example.com', 'Hi', 'Hello', :at, 'pending', 0, :at)")
                .bind("at", Timestamp.from(clock.instant())).execute());
    }

    @AfterEach
    void close() {
        database.close();
    }

    private Map<String, Object> row() {
        return jdbi.withHandle(h -> h.createQuery("SELECT status, attempts, last_error, next_attempt_at FROM notifications "
                + "WHERE id = 'n1'").mapToMap().one());
    }

    @Test
    void a_row_whose_lease_ran_out_behind_a_slow_send_of_its_batch_is_left_to_its_new_claim() {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO notifications (id, conversation_id, channel, user_id, address, subject, "
                        + "text, queued_at, status, attempts, next_attempt_at) VALUES ('n2', 'c2', 'email', 'ana', "
                        + "'ana@example.com', 'Hi', 'Hello', :at, 'pending', 0, :at)")
                .bind("at", Timestamp.from(clock.instant())).execute());
        List<String> byOther = new CopyOnWriteArrayList<>();
        Outbox other = new Outbox(jdbi, "notifications", byOther::add, RETRY, clock);
        Outbox slow = new Outbox(jdbi, "notifications", id -> {
            if (id.equals("n1")) { // this send outlasts the batch's lease; meanwhile another instance claims what is due
                clock.advance(RETRY.lease().plusSeconds(1));
                other.sendDue();
            }
            delivered.add(id);
        }, RETRY, clock);

        slow.sendDue();

        assertThat(byOther).as("the other instance sent the rows whose lease had ended").contains("n2");
        assertThat(delivered).as("the slow sender does not send n2 again").doesNotContain("n2");
    }

    @Test
    void a_sender_that_dies_mid_send_leaves_the_row_to_be_sent_again_when_its_lease_ends() {
        Outbox crashing = new Outbox(jdbi, "notifications", id -> { throw new Crash(); }, RETRY, clock);
        assertThatThrownBy(crashing::sendDue).isInstanceOf(Crash.class);
        assertThat(row()).containsEntry("status", "pending").containsEntry("attempts", 1);

        Outbox other = new Outbox(jdbi, "notifications", delivered::add, RETRY, clock);
        assertThat(other.sendDue()).as("the claim's lease holds").isZero();
        clock.advance(RETRY.lease().plusSeconds(1));
        assertThat(other.sendDue()).isEqualTo(1);
        assertThat(delivered).containsExactly("n1");
        assertThat(row()).containsEntry("status", "sent").containsEntry("attempts", 2);
        assertThat(other.sendDue()).as("sent rows are done").isZero();
    }

    @Test
    void failures_are_retried_with_backoff_and_the_row_is_failed_after_the_last_try() {
        Outbox failing = new Outbox(jdbi, "notifications", id -> { throw new java.io.IOException("connection refused"); },
                RETRY, clock);
        assertThat(failing.sendDue()).isEqualTo(1);
        assertThat(row()).containsEntry("status", "pending").containsEntry("attempts", 1)
                .containsEntry("last_error", "connection refused");
        assertThat(failing.failing()).isTrue();
        assertThat(failing.sendDue()).as("not due before its backoff").isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(failing.sendDue()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(59));
        assertThat(failing.sendDue()).as("the second wait is twice the first").isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(failing.sendDue()).isEqualTo(1);
        assertThat(row()).containsEntry("status", "failed").containsEntry("attempts", 3);
        assertThat(row().get("next_attempt_at")).isNull();
        clock.advance(Duration.ofDays(1));
        assertThat(failing.sendDue()).as("failed rows are not tried again").isZero();
    }

    @Test
    void a_failure_no_retry_can_mend_fails_the_row_at_once() {
        Outbox giving = new Outbox(jdbi, "notifications", id -> { throw new Outbox.GiveUp("the webhook was deleted"); },
                RETRY, clock);
        assertThat(giving.sendDue()).isEqualTo(1);
        assertThat(row()).containsEntry("status", "failed").containsEntry("attempts", 1)
                .containsEntry("last_error", "the webhook was deleted");
    }
}
