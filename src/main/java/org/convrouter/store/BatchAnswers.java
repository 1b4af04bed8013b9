package org.convrouter.store;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.support.DaemonThreads;

/**
 * Runs each committed batch's completions (and so whatever waits on them: answering each request
 * over HTTP, releasing its locks) in a row on one thread, off the group-commit writer. One thread
 * answering a whole batch spares waking one parked thread per write, which cost more of the two
 * cores than the commit itself.
 *
 * <p>A completion can block: its answer goes to a client that does not read it, or a failure's
 * reckoning waits for the writer. A batch that has made no progress for a {@link #CHECK_EVERY_MS}
 * check is given another thread for the rest of its completions, so one stuck answer delays only
 * its own client. Threads come from a cached pool, so a completion waiting on a later batch never
 * starves that batch of a thread. Once closed, a batch is answered on the caller's thread.
 */
final class BatchAnswers implements AutoCloseable {

    private static final long CHECK_EVERY_MS = 25;

    private final ExecutorService threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), DaemonThreads.named("group-commit-answers"), (task, closed) -> task.run());
    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("group-commit-answers-watchdog"));
    private final Set<Batch> running = ConcurrentHashMap.newKeySet();

    BatchAnswers() {
        watchdog.scheduleWithFixedDelay(this::helpStalled, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** Runs these completions, in order, on another thread. */
    void answer(List<Runnable> completions) {
        if (completions.isEmpty()) {
            return;
        }
        Batch batch = new Batch(List.copyOf(completions));
        running.add(batch);
        start(batch);
    }

    private void start(Batch batch) {
        try {
            threads.execute(batch);
        } catch (Throwable noThread) { // no thread could be made: answered here rather than never
            batch.run();
        }
    }

    /** A batch whose next completion has not been taken since the last check gets one more thread. */
    private void helpStalled() {
        for (Batch batch : running) {
            int taken = batch.next.get();
            if (taken >= batch.completions.size()) {
                running.remove(batch); // its last completion is running: nothing left to hand over
            } else if (taken == batch.takenAtLastCheck) {
                start(batch);
            } else {
                batch.takenAtLastCheck = taken;
            }
        }
    }

    /** Lets every completion handed over run, for up to 10 s. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        threads.shutdown();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A batch's completions, taken one at a time by however many threads are draining it. */
    private final class Batch implements Runnable {
        final List<Runnable> completions;
        final AtomicInteger next = new AtomicInteger();
        /** Read and written by the watchdog only. */
        int takenAtLastCheck;

        Batch(List<Runnable> completions) {
            this.completions = completions;
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < completions.size(); i = next.getAndIncrement()) {
                completions.get(i).run();
            }
            running.remove(this);
        }
    }
}
