package org.convrouter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void anIdIsThirteenHexDigitsOfMicrosecondsThenTheProcessSuffix() {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(Instant.ofEpochSecond(0, 26_000), ZoneOffset.UTC));
        assertThat(ids.get()).matches("000000000001a-[0-9a-f]{8}");
        assertThat(new TimeOrderedIds(Clock.fixed(Instant.parse("2026-11-25T16:00:00Z"), ZoneOffset.UTC)).get())
                .startsWith(Long.toHexString(Instant.parse("2026-11-25T16:00:00Z").getEpochSecond() * 1_000_000) + "-");
    }

    @Test
    void theHexIsWhatStringFormatGave() {
        for (long micros : new long[] {1, 0xabcL, 0xfffffffffffffL, 0x10000000000000L, 1_795_000_000_000_000L}) {
            TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(Instant.EPOCH.plusNanos(micros * 1_000), ZoneOffset.UTC));
            assertThat(ids.get()).startsWith(String.format("%013x-", micros));
        }
    }

    @Test
    void idsMadeOnManyThreadsAtOnceAreDistinct() throws Exception {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.systemUTC());
        List<Future<List<String>>> made = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            made.add(pool.submit(() -> Stream.generate(ids).limit(5_000).toList()));
        }
        pool.shutdown();
        Set<String> all = new HashSet<>();
        for (var f : made) {
            all.addAll(f.get());
        }
        assertThat(all).hasSize(20_000);
    }

    @Test
    void idsFromOneClockTickStillIncreaseAndSortAsCreated() {
        TimeOrderedIds ids = new TimeOrderedIds(Clock.fixed(Instant.ofEpochSecond(0, 15_000), ZoneOffset.UTC));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            made.add(ids.get());
        }
        assertThat(made).isSorted().doesNotHaveDuplicates();
        assertThat(made.get(1)).startsWith("0000000000010-"); // 15 µs, then 16 µs: 0xf, then 0x10
    }
}
