package org.convrouter.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.convrouter.error.StorageUnconfirmedException;
import org.convrouter.support.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread applies queued writes in submission order, as many as are waiting in
 * one transaction, and completes each write's future once that transaction is durable. Under load,
 * dozens of routing requests share one commit instead of paying one each; each request still
 * answers only after its own change is durable. If a batch fails, its writes are retried one by
 * one so that one bad write fails only its own request.
 *
 * <p>With a {@link Journal} (the embedded database), a batch is durable once its journal record
 * is on the disk, and the database writes its pages later. The writer commits a batch, then hands
 * its record to a second thread that appends and forces the records of every batch committed
 * meanwhile together, so the writer commits the next batch while the disk syncs the last: the
 * force was a third of the writer's time when one thread did both. The database checks every
 * statement before the record is written; a committed batch whose record cannot be written is
 * made durable by writing the database down instead, or else reported as unconfirmed. Without a
 * journal (PostgreSQL), the commit itself is durable.
 *
 * <p>Neither thread answers: a durable batch's futures are completed by {@link BatchAnswers}, in
 * a row on another thread. A database has one writer at a time (the service's one
 * {@link JdbiConversationStore}): the journal's records follow this writer's commits.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 256;
    /**
     * Past this size the journal is retired and the database checkpointed, so the journal does not
     * grow without end. Replay after a crash reads the whole journal but runs only the last seconds
     * of it (the database writes its pages every 2 s): a restart after kill -9 with 241 MB took
     * 1.9 s. Each checkpoint stalls the disk for the journal's forces; at 64 MB it came every 7 s
     * under load and set the p99 (side by side, 256 MB: p99 medians 50.0 -> 26.1 ms).
     */
    private static final long JOURNAL_LIMIT = 256L << 20;
    /** A batch still being written after this long means the disk or the database is stuck: the service is not healthy. */
    private static final long STALLED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Write(List<SqlWrite> statements, CompletableFuture<Void> done) {
        /** Completing this write's future: durable when {@code failure} is null. */
        Runnable outcome(Throwable failure) {
            return failure == null ? () -> done.complete(null) : () -> done.completeExceptionally(failure);
        }
    }

    /** A committed batch waiting for its journal record to be forced: its sequence number and its writes. */
    private record Committed(long seq, List<Write> writes) {}

    private static final Write STOP = new Write(List.of(), new CompletableFuture<>());
    private static final Committed STOP_JOURNALING = new Committed(0, List.of());

    private final DataSource dataSource;
    private final Journal journal;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Committed> committed = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Thread journaling;
    /** Checkpoints after a journal is retired, off the writer thread. */
    private final ExecutorService checkpoints = Executors.newSingleThreadExecutor(DaemonThreads.named("journal-checkpoint"));
    private final BatchAnswers answers = new BatchAnswers();
    private volatile boolean stopped;
    /** When the batch being committed started (System.nanoTime), or 0 while the writer waits for work. */
    private volatile long batchStarted;
    /** When the records being forced started, or 0 while the journal waits for committed batches. */
    private volatile long forceStarted;
    /** The next batch's journal sequence number (writer thread only): never reused, since replay needs only order. */
    private long nextSeq;
    /**
     * Set once committed batches could be neither journaled nor written down, or the journal thread
     * died: a later batch journaled without them would be replayed without what it may build on, so
     * nothing more is committed or journaled until a restart.
     */
    private volatile Throwable unjournaled;

    /** {@code journal} may be null: the database's own commit is durable. */
    GroupCommitWriter(DataSource dataSource, Journal journal) {
        this.dataSource = dataSource;
        this.journal = journal;
        this.nextSeq = journal == null ? 0 : journal.lastSeq() + 1;
        this.thread = DaemonThreads.named("group-commit").newThread(this::run);
        this.journaling = DaemonThreads.named("group-commit-journal").newThread(this::journal);
        this.thread.start();
        if (journal != null) {
            this.journaling.start();
        }
    }

    /** Queues a write; after {@link #close()} (or if the writer has died) the future fails at once. */
    CompletableFuture<Void> submit(List<SqlWrite> statements) {
        Write write = new Write(List.copyOf(statements), new CompletableFuture<>());
        synchronized (this) {
            if (stopped) {
                write.done().completeExceptionally(new IllegalStateException("the store is closed"));
                return write.done();
            }
            queue.add(write);
        }
        return write.done();
    }

    private void run() {
        List<Write> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (true) {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                boolean stop = batch.remove(STOP);
                batchStarted = System.nanoTime() | 1; // never 0
                commit(batch);
                batchStarted = 0;
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            LOG.error("the group-commit writer stopped", e);
            answers.answer(outcomes(batch, e));
        } finally {
            failQueued(); // nobody waits forever for a writer that is gone
            committed.add(STOP_JOURNALING); // after every batch the writer committed
        }
    }

    private void failQueued() {
        synchronized (this) {
            stopped = true;
        }
        List<Write> left = new ArrayList<>();
        queue.drainTo(left);
        IllegalStateException closed = new IllegalStateException("the store is closed");
        answers.answer(outcomes(left, closed));
    }

    /**
     * Commits the batch, then hands it to the journal (or, without one, its outcomes to the
     * answers). Whatever has been handed on or has an outcome leaves {@code batch}: should the
     * writer fail past this point, it fails only the writes left in it, never one already stored.
     */
    private void commit(List<Write> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long seq;
        try {
            seq = transaction(batch);
        } catch (SQLException | IOException | RuntimeException batchFailure) {
            LOG.warn("a group commit of {} writes failed; retrying them one by one", batch.size(), batchFailure);
            retryOneByOne(batch);
            return;
        }
        committed(seq, batch);
        batch.clear();
    }

    private void retryOneByOne(List<Write> batch) {
        List<Runnable> failures = new ArrayList<>();
        int handled = 0;
        try {
            for (Write w : batch) {
                long seq;
                try {
                    seq = transaction(List.of(w));
                } catch (SQLException | IOException | RuntimeException e) {
                    failures.add(w.outcome(e));
                    handled++;
                    continue;
                }
                committed(seq, List.of(w));
                handled++;
            }
        } finally {
            batch.subList(0, handled).clear();
            answers.answer(failures);
        }
    }

    /** A batch that has committed is durable now (no journal) or once its record is forced. */
    private void committed(long seq, List<Write> writes) {
        if (journal == null) {
            answers.answer(outcomes(writes, null));
        } else {
            committed.add(new Committed(seq, List.copyOf(writes)));
        }
    }

    /**
     * One transaction: the statements (with a journal, and the batch's sequence number as the
     * database's journal position), then the commit. Returns the sequence number.
     */
    private long transaction(List<Write> writes) throws SQLException, IOException {
        if (journal != null) {
            journal.checkWritable(); // a batch that cannot be journaled is not committed either
            if (unjournaled != null) {
                throw new IOException("earlier changes could be neither journaled nor written down: nothing more is"
                        + " stored until the service restarts", unjournaled);
            }
        }
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            long seq = nextSeq;
            try {
                // The statements are closed before the commit: once it has happened, nothing may fail the batch.
                try (SqlWrite.Runner runner = new SqlWrite.Runner(connection)) {
                    for (Write write : writes) {
                        runner.run(write.statements());
                    }
                    if (journal != null) {
                        runner.run(new SqlWrite(Sql.MARK_JOURNAL, seq));
                    }
                }
                connection.commit();
            } catch (Throwable e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            nextSeq = seq + 1;
            return seq;
        } finally {
            closeQuietly(connection);
        }
    }

    /**
     * The journal thread: forces the records of every batch committed meanwhile together, then
     * answers them. It is the journal's one user while the writer runs (it appends, measures and
     * retires; the checkpoint thread only deletes the retired file), so the journal takes no lock.
     */
    private void journal() {
        List<Committed> group = new ArrayList<>();
        boolean stop = false;
        try {
            while (!stop) {
                group.add(committed.take());
                committed.drainTo(group);
                stop = group.remove(STOP_JOURNALING);
                forceStarted = System.nanoTime() | 1; // never 0
                List<Runnable> completions = force(group);
                group.clear();
                answers.answer(completions);
                forceStarted = 0;
                trimJournal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            LOG.error("the group-commit journal stopped", e);
            unjournaled = e;
            failUntilStopped(group, stop);
        }
    }

    /** After the journal thread failed: every committed batch still to come is unconfirmed, until the writer stops. */
    private void failUntilStopped(List<Committed> group, boolean stop) {
        StorageUnconfirmedException unconfirmed = unconfirmed(unjournaled);
        try {
            while (true) {
                answers.answer(outcomes(writesOf(group), unconfirmed));
                group.clear();
                Committed next = stop ? STOP_JOURNALING : committed.take();
                if (next == STOP_JOURNALING) {
                    return;
                }
                group.add(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Appends the group's records and forces them together; returns each of its writes' outcomes, in order. */
    private List<Runnable> force(List<Committed> group) {
        if (unjournaled != null) { // an earlier batch is missing from the journal: these must not be replayed without it
            return outcomes(writesOf(group), unconfirmed(unjournaled));
        }
        try {
            journal.append(group.stream().map(c -> new Journal.Batch(c.seq(),
                    c.writes().stream().map(Write::statements).toList())).toList());
        } catch (IOException | RuntimeException e) {
            return outcomes(writesOf(group), writeDownInstead(group, e));
        }
        return outcomes(writesOf(group), null);
    }

    /** Each write's completion, all with one outcome: durable when {@code failure} is null. */
    private static List<Runnable> outcomes(List<Write> writes, Throwable failure) {
        return writes.stream().map(w -> w.outcome(failure)).toList();
    }

    private static List<Write> writesOf(List<Committed> group) {
        return group.stream().flatMap(c -> c.writes().stream()).toList();
    }

    /**
     * The batches have committed but their records could not be written: they are made durable by
     * writing the database down. Returns null when that worked, else the failure to answer.
     */
    private Throwable writeDownInstead(List<Committed> group, Exception journalFailure) {
        try (Connection connection = dataSource.getConnection()) {
            Database.writeDown(connection);
            LOG.warn("the journal refused the records of {} committed batches; the database was written down instead",
                    group.size(), journalFailure);
            return null;
        } catch (SQLException | RuntimeException e) {
            journalFailure.addSuppressed(e);
            LOG.error("{} committed batches could be neither journaled nor written down", group.size(), journalFailure);
            unjournaled = journalFailure;
            return unconfirmed(journalFailure);
        }
    }

    private static StorageUnconfirmedException unconfirmed(Throwable e) {
        return new StorageUnconfirmedException("the change was made but could not be confirmed on the disk: it may be"
                + " lost if the service stops now; read it back before trying again", e);
    }

    /** A failure to give the connection back changes nothing about the batch: it has committed, or has already failed. */
    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("could not give a database connection back after a group commit", e);
        }
    }

    /** False once the writer has stopped, its journal cannot take more, or a batch has been written for too long. */
    boolean healthy() {
        return !stopped && (journal == null || !journal.isBroken()) && unjournaled == null // a dead writer stops
                && !stalled(batchStarted) && !stalled(forceStarted);
    }

    private static boolean stalled(long started) {
        return started != 0 && System.nanoTime() - started >= STALLED_AFTER_NANOS;
    }

    /**
     * Once the journal is long, retire it and start a fresh one at once (every batch in it has
     * committed); another thread then lets the database write everything down (CHECKPOINT SYNC)
     * and deletes the retired journal, so no request waits for that.
     */
    private void trimJournal() {
        try {
            if (journal.size() <= JOURNAL_LIMIT || !journal.canRetire()) {
                return;
            }
            journal.retire();
            checkpoints.execute(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    Database.writeDown(connection);
                    journal.dropRetired();
                } catch (SQLException | IOException e) {
                    LOG.warn("could not write the database down; the retired journal stays until the next start", e);
                }
            });
        } catch (IOException | RuntimeException e) { // a RejectedExecutionException after close() gave up waiting
            LOG.warn("could not retire the journal or have the database written down; the journal keeps growing"
                    + " until that succeeds or the service restarts", e);
        }
    }

    /** Applies and journals what is queued, then stops. */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true; // later submits fail at once; what is queued is still committed
            queue.add(STOP);
        }
        try {
            thread.join(10_000);
            if (journal != null) {
                journaling.join(10_000);
            }
            if (thread.isAlive() || journaling.isAlive()) {
                LOG.error("the group commit is still writing after 10 s; the writes it holds may or may not be stored");
            }
            checkpoints.shutdown();
            checkpoints.awaitTermination(10, TimeUnit.SECONDS);
            answers.close(); // the answers already handed over are still given
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
