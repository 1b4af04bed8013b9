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
 * <p>The writer only writes: a batch's futures are completed by {@link BatchAnswers}, in a row on
 * another thread, while the writer commits the next batch.
 *
 * <p>With a {@link Journal} (the embedded database), a batch is durable once its journal record
 * is on the disk: the record is forced before the transaction commits, and the database writes
 * its pages later. Without one (PostgreSQL), the commit itself is durable.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 256;
    /** Past this size the journal is retired and the database checkpointed, so replay after a crash stays short. */
    private static final long JOURNAL_LIMIT = 64L << 20;
    /** A batch still being written after this long means the disk or the database is stuck: the service is not healthy. */
    private static final long STALLED_AFTER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Write(List<SqlWrite> statements, CompletableFuture<Void> done) {
        /** Completing this write's future: durable when {@code failure} is null. */
        Runnable outcome(Throwable failure) {
            return failure == null ? () -> done.complete(null) : () -> done.completeExceptionally(failure);
        }
    }

    private static final Write STOP = new Write(List.of(), new CompletableFuture<>());

    private final DataSource dataSource;
    private final Journal journal;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    /** Checkpoints after a journal is retired, off the writer thread. */
    private final ExecutorService checkpoints = Executors.newSingleThreadExecutor(DaemonThreads.named("journal-checkpoint"));
    private final BatchAnswers answers = new BatchAnswers();
    private volatile boolean stopped;
    /** When the batch being written started (System.nanoTime), or 0 while the writer waits for work. */
    private volatile long batchStarted;

    /** {@code journal} may be null: the database's own commit is durable. */
    GroupCommitWriter(DataSource dataSource, Journal journal) {
        this.dataSource = dataSource;
        this.journal = journal;
        this.thread = DaemonThreads.named("group-commit").newThread(this::run);
        this.thread.start();
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
            answers.answer(batch.stream().map(w -> w.outcome(e)).toList());
        } finally {
            failQueued(); // nobody waits forever for a writer that is gone
        }
    }

    private void failQueued() {
        synchronized (this) {
            stopped = true;
        }
        List<Write> left = new ArrayList<>();
        queue.drainTo(left);
        IllegalStateException closed = new IllegalStateException("the store is closed");
        answers.answer(left.stream().map(w -> w.outcome(closed)).toList());
    }

    /**
     * Commits the batch and hands each write's outcome to the answers. Whatever has an outcome leaves
     * {@code batch}: should the writer fail past this point, it fails only the writes left in it,
     * never one already answered as stored.
     */
    private void commit(List<Write> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Runnable> outcomes = new ArrayList<>(batch.size()); // in batch order
        try {
            apply(batch);
            batch.forEach(w -> outcomes.add(w.outcome(null)));
        } catch (Journal.NotUndone e) {
            LOG.error("a group commit of {} writes failed and its journal record could not be undone", batch.size(), e);
            StorageUnconfirmedException unconfirmed = unconfirmed(e);
            batch.forEach(w -> outcomes.add(w.outcome(unconfirmed)));
        } catch (SQLException | IOException | RuntimeException batchFailure) {
            LOG.warn("a group commit of {} writes failed; retrying them one by one", batch.size(), batchFailure);
            for (Write w : batch) {
                Throwable failure = null;
                try {
                    apply(List.of(w));
                } catch (Journal.NotUndone e) {
                    failure = unconfirmed(e);
                } catch (SQLException | IOException | RuntimeException e) {
                    failure = e;
                }
                outcomes.add(w.outcome(failure));
            }
        } finally {
            batch.subList(0, outcomes.size()).clear();
            answers.answer(outcomes);
        }
        trimJournal();
    }

    private static StorageUnconfirmedException unconfirmed(Journal.NotUndone e) {
        return new StorageUnconfirmedException("the change failed to commit but may still be stored when the service"
                + " restarts: read it back then before trying again", e);
    }

    /** One transaction: the statements, then (with a journal) the batch's record forced to disk, then the commit. */
    private void apply(List<Write> writes) throws SQLException, IOException {
        if (journal == null) {
            transaction(writes);
        } else {
            synchronized (journal) { // batches commit in journal order, even with another writer on the database
                transaction(writes);
            }
        }
    }

    private void transaction(List<Write> writes) throws SQLException, IOException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            long journalStart = journal == null ? 0 : journal.position();
            boolean journaled = false;
            try {
                // The statements are closed before the commit: once it has happened, nothing may fail the batch.
                try (SqlWrite.Runner runner = new SqlWrite.Runner(connection)) {
                    for (Write write : writes) {
                        runner.run(write.statements());
                    }
                    if (journal != null) {
                        long seq = journal.lastSeq() + 1; // never reused, even after a rewind: replay needs only order
                        runner.run(new SqlWrite(Sql.MARK_JOURNAL, seq));
                        journal.append(seq, writes.stream().map(Write::statements).toList());
                        journaled = true;
                    }
                }
                connection.commit();
            } catch (Throwable e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                if (journaled) {
                    try {
                        journal.rewind(journalStart); // never answered: must not be replayed
                    } catch (Journal.NotUndone notUndone) {
                        notUndone.addSuppressed(e);
                        throw notUndone;
                    }
                }
                throw e;
            }
        } finally {
            closeQuietly(connection);
        }
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
        long started = batchStarted;
        return !stopped && (journal == null || !journal.isBroken()) // a writer that dies stops: run() ends in failQueued
                && (started == 0 || System.nanoTime() - started < STALLED_AFTER_NANOS);
    }

    /**
     * Once the journal is long, retire it and start a fresh one at once; another thread then lets
     * the database write everything down (CHECKPOINT SYNC) and deletes the retired journal, so no
     * request waits for that.
     */
    private void trimJournal() {
        if (journal == null) {
            return;
        }
        try {
            synchronized (journal) {
                if (journal.size() <= JOURNAL_LIMIT || !journal.canRetire()) {
                    return;
                }
                journal.retire(); // every batch in it has committed (or been rewound)
            }
            checkpoints.execute(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    Database.writeDown(connection);
                    journal.dropRetired();
                } catch (SQLException | IOException e) {
                    LOG.warn("could not write the database down; the retired journal stays until the next start", e);
                }
            });
        } catch (IOException e) {
            LOG.warn("could not retire the journal; it keeps growing until the next try", e);
        }
    }

    /** Applies what is queued, then stops. */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true; // later submits fail at once; what is queued is still committed
            queue.add(STOP);
        }
        try {
            thread.join(10_000);
            if (thread.isAlive()) {
                LOG.error("the group-commit writer is still writing after 10 s; the writes it holds may or may not be stored");
            }
            checkpoints.shutdown();
            checkpoints.awaitTermination(10, TimeUnit.SECONDS);
            answers.close(); // the answers already handed over are still given
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
