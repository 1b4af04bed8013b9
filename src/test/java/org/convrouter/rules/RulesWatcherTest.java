package org.convrouter.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesWatcherTest {

    @TempDir
    Path dir;

    @Test
    void aChangedFileAsksForOneReloadAfterTheFolderIsQuiet() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("rules"));
        AtomicInteger reloads = new AtomicInteger();
        // Far longer than a loaded machine may pause between two of the saves below, so they stay one burst;
        // the wait after the first reload is longer still, so a second one would show.
        Duration quiet = Duration.ofMillis(500);
        try (RulesWatcher watcher = new RulesWatcher(folder, quiet, Duration.ofMillis(100), reloads::incrementAndGet).start()) {
            for (int i = 0; i < 5; i++) {
                Files.writeString(folder.resolve("a.drl"), "rule " + i);
            }
            await(() -> reloads.get() >= 1);
            Thread.sleep(quiet.multipliedBy(2).toMillis());
            assertThat(reloads.get()).isEqualTo(1);
            assertThat(watcher.healthy()).isTrue();
        }
    }

    @Test
    void whenTheFolderGoesAwayTheWatcherReportsItselfFailingThenWatchesAgainAndReloadsWhatItMissed() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("rules"));
        Path aside = dir.resolve("aside");
        AtomicInteger reloads = new AtomicInteger();
        try (RulesWatcher watcher = new RulesWatcher(folder, Duration.ofMillis(50), Duration.ofMillis(100), reloads::incrementAndGet).start()) {
            Files.move(folder, aside);

            await(() -> !watcher.healthy());
            int before = reloads.get();
            Files.writeString(aside.resolve("changed.drl"), "while nobody watched");
            Files.move(aside, folder);

            await(watcher::healthy);
            await(() -> reloads.get() > before); // what changed while unwatched is picked up
            int afterRestart = reloads.get();
            Files.writeString(folder.resolve("later.drl"), "after the restart");
            await(() -> reloads.get() > afterRestart); // and hot reload works again
        }
    }

    @Test
    void aDeletedAndRecreatedFolderIsWatchedAgain() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("rules"));
        AtomicInteger reloads = new AtomicInteger();
        try (RulesWatcher watcher = new RulesWatcher(folder, Duration.ofMillis(50), Duration.ofMillis(100), reloads::incrementAndGet).start()) {
            Files.delete(folder);
            await(() -> !watcher.healthy());

            Files.createDirectories(folder);
            await(watcher::healthy);
            int afterRestart = reloads.get();
            Files.writeString(folder.resolve("new.drl"), "written into the new folder");
            await(() -> reloads.get() > afterRestart);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
