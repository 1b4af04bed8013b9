package org.convrouter.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one thread applies queued writes in submission order, as many as are waiting in
 * one transaction, and completes each write's future once that transaction has committed. Under
 * load, dozens of routing requests share one commit (one fsync) instead of paying one each;
 * each request still answers only after its own change is durable. If a batch fails, its writes
 * are retried one by one so that one bad write fails only its own request.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final int MAX_BATCH = 256;

    private record Write(Consumer<Handle> apply, CompletableFuture<Void> done) {}

    private static final Write STOP = new Write(h -> { }, new CompletableFuture<>());

    private final Jdbi jdbi;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private boolean stopped;

    GroupCommitWriter(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.thread = new Thread(this::run, "group-commit");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a write; after {@link #close()} (or if the writer has died) the future fails at once. */
    CompletableFuture<Void> submit(Consumer<Handle> apply) {
        Write write = new Write(apply, new CompletableFuture<>());
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
                commit(batch);
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) {
            LOG.error("the group-commit writer stopped", e);
            batch.forEach(w -> w.done().completeExceptionally(e));
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
        left.forEach(w -> w.done().completeExceptionally(new IllegalStateException("the store is closed")));
    }

    private void commit(List<Write> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(h -> batch.forEach(w -> w.apply().accept(h)));
            batch.forEach(w -> w.done().complete(null));
        } catch (RuntimeException batchFailure) {
            LOG.warn("a group commit of {} writes failed; retrying them one by one", batch.size(), batchFailure);
            for (Write w : batch) {
                try {
                    jdbi.useTransaction(h -> w.apply().accept(h));
                    w.done().complete(null);
                } catch (RuntimeException e) {
                    w.done().completeExceptionally(e);
                }
            }
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
