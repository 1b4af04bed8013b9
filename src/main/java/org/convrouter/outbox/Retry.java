package org.convrouter.outbox;

import java.time.Duration;

/**
 * How an outbox retries: the first retry waits {@code firstDelay}, each later one twice as long,
 * never more than {@code maxDelay}; after {@code maxAttempts} failed tries a row is marked failed.
 * A claimed row is held for {@code lease} (longer than any one send can take): a sender that dies
 * mid-send leaves it due again then. Idle senders look for due rows every {@code poll}.
 */
public record Retry(Duration firstDelay, Duration maxDelay, int maxAttempts, Duration lease, Duration poll, int batch) {

    /** 30 s, 1, 2, 4, 8, 16, 32 min: the eighth try comes about an hour after the first, then the row is failed. */
    public static final Retry DEFAULT = new Retry(Duration.ofSeconds(30), Duration.ofHours(1), 8, Duration.ofMinutes(5),
            Duration.ofSeconds(1), 5);

    public Retry {
        if (maxAttempts < 1 || batch < 1) {
            throw new IllegalArgumentException("maxAttempts and batch must be at least 1");
        }
    }

    /** The wait after the {@code attempts}-th failed try. */
    Duration delayAfter(int attempts) {
        Duration delay = firstDelay;
        for (int i = 1; i < attempts && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
