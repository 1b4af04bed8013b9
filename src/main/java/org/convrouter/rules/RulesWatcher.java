package org.convrouter.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
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
 */
public final class RulesWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RulesWatcher.class);

    private final Path folder;
    private final Runnable reload;
    private final Duration quiet;
    private final WatchService watcher;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("rules-reload"));
    private ScheduledFuture<?> pending;

    public RulesWatcher(Path folder, Duration quiet, Runnable reload) {
        this.folder = folder;
        this.reload = reload;
        this.quiet = quiet;
        try {
            this.watcher = FileSystems.getDefault().newWatchService();
            register(folder);
            Path scenarios = folder.resolve("scenarios");
            if (Files.isDirectory(scenarios)) {
                register(scenarios);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + folder, e);
        }
        DaemonThreads.named("rules-watcher").newThread(this::watch).start();
    }

    private void register(Path dir) throws IOException {
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
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
                        register(folder.resolve("scenarios"));
                    }
                    relevant = true;
                }
                key.reset();
                if (relevant) {
                    schedule();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        scheduler.shutdownNow();
    }
}
