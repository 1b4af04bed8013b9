package org.convrouter.rules;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.convrouter.support.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the rules folder and its scenarios folder (new, changed and deleted files) and asks for
 * one reload once the folder has been quiet for a moment, so an editor's burst of saves
 * coalesces into a single reload. Reloads run on this watcher's own thread, never on a request.
 *
 * <p>Hot reload must not stop silently: when watching fails (an I/O error, or the folder itself
 * removed or replaced), the failure is logged, {@link #healthy()} turns false for {@code /health},
 * and the watch is opened again after {@code retry}, followed by one reload for what it missed.
 */
public final class RulesWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);

    private final Path folder;
    private final Runnable reload;
    private final Duration quiet;
    private final Duration retry;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rules-reload"));
    private final Thread thread;
    private volatile boolean healthy = true;
    private volatile boolean closed;
    private volatile WatchService watcher;
    /** The folder's identity (inode) when the watch was opened: a folder moved away or replaced keeps no watch. */
    private Object watchedKey;
    private ScheduledFuture<?> pending;

    public RulesWatcher(Path folder, Duration quiet, Duration retry, Runnable reload) {
        this.folder = folder;
        this.reload = reload;
        this.quiet = quiet;
        this.retry = retry;
        this.thread = DaemonThreads.named("rules-watcher").newThread(this::run);
    }

    public RulesWatcher(Path folder, Duration quiet, Runnable reload) {
        this(folder, quiet, Duration.ofSeconds(1), reload);
    }

    /** Starts watching; the first watch is opened before this returns, so no change after it goes unseen. */
    public RulesWatcher start() {
        try {
            watcher = open();
        } catch (IOException | RuntimeException e) {
            failed(e);
        }
        thread.start();
        return this;
    }

    /** False while watching has failed and is being opened again. */
    public boolean healthy() {
        return healthy;
    }

    private void run() {
        while (!closed) {
            try {
                if (watcher == null) {
                    watcher = open();
                    LOG.info("watching {} again; reloading for changes made while it was not watched", folder);
                    healthy = true;
                    schedule();
                }
                watch(watcher);
            } catch (ClosedWatchServiceException | InterruptedException e) {
                if (closed) {
                    closeQuietly(watcher); // one opened while close() ran
                    return;
                }
                failed(e);
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
            closeQuietly(watcher);
            watcher = null;
            if (!closed) {
                sleep(retry);
            }
        }
    }

    private void failed(Exception e) {
        healthy = false;
        LOG.error("watching the rules folder {} failed; hot reload is paused and restarts in {} ms", folder, retry.toMillis(), e);
    }

    private WatchService open() throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        try {
            watchedKey = fileKey();
            register(service, folder);
            Path scenarios = folder.resolve("scenarios");
            if (Files.isDirectory(scenarios)) {
                register(service, scenarios);
            }
            return service;
        } catch (IOException | RuntimeException e) {
            closeQuietly(service);
            throw e;
        }
    }

    private static void register(WatchService service, Path dir) throws IOException {
        dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(folder, BasicFileAttributes.class).fileKey();
    }

    /**
     * Returns only by an exception: the folder's own key becoming invalid, or the path now naming
     * another folder (moved away or replaced, which the operating system's watch does not report),
     * counts as a failure.
     */
    private void watch(WatchService service) throws IOException, InterruptedException {
        while (true) {
            WatchKey key = service.poll(1, TimeUnit.SECONDS);
            if (key == null) {
                if (!Objects.equals(fileKey(), watchedKey)) {
                    throw new IOException("the rules folder " + folder + " was moved or replaced");
                }
                continue;
            }
            boolean relevant = false;
            for (WatchEvent<?> event : key.pollEvents()) {
                if (!(event.context() instanceof Path name)) {
                    relevant = true; // overflow: reload to be safe
                    continue;
                }
                String file = name.getFileName().toString();
                if (file.startsWith(".")) {
                    continue; // our own upload temp files, editors' swap files
                }
                if (file.equals("scenarios") && key.watchable().equals(folder)
                        && event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
                    register(service, folder.resolve("scenarios"));
                }
                relevant = true;
            }
            if (!key.reset() && key.watchable().equals(folder)) {
                throw new IOException("the rules folder " + folder + " was removed or replaced");
            }
            if (relevant) {
                schedule();
            }
        }
    }

    private synchronized void schedule() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = scheduler.schedule(this::reloadLoggingFailures, quiet.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A scheduled task's exception is kept in its future, which nobody reads: say it here instead. */
    private void reloadLoggingFailures() {
        try {
            reload.run();
        } catch (RuntimeException e) {
            LOG.error("reloading the rules in {} failed; the rule set in force stays active", folder, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(WatchService service) {
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** Returns once no reload runs any more, so the service can close what reloads use. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(watcher);
        thread.interrupt();
        scheduler.shutdownNow();
        try {
            thread.join(5_000);
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
