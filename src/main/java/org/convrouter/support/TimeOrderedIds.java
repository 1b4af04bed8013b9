package org.convrouter.support;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Ids that sort by creation time: 13 hex digits of microseconds since the epoch (strictly
 * increasing within this process), then 8 random hex digits so that two processes never clash.
 * New rows then land at the end of every B-tree keyed by id, instead of at random places as with
 * random UUIDs, so each commit rewrites a handful of pages, not one per row. Thread-safe.
 */
public final class TimeOrderedIds implements Supplier<String> {

    private final Clock clock;
    private final AtomicLong last = new AtomicLong();
    private final SecureRandom random = new SecureRandom();
    private final String processSuffix;

    public TimeOrderedIds(Clock clock) {
        this.clock = clock;
        byte[] bytes = new byte[4];
        random.nextBytes(bytes);
        this.processSuffix = HexFormat.of().formatHex(bytes);
    }

    @Override
    public String get() {
        var now = clock.instant();
        long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        long next = last.updateAndGet(previous -> Math.max(previous + 1, micros));
        String hex = Long.toHexString(next); // 13 digits until the year 2112; String.format costs more than routing's lookups
        return "0".repeat(Math.max(0, 13 - hex.length())) + hex + '-' + processSuffix;
    }
}
