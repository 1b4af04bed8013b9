package org.convrouter.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongBiFunction;

/**
 * A thread-safe memo that forgets everything once it holds {@code limit} entries, or once the
 * entries' estimated size would pass a budget in bytes. Only for values that can be worked out
 * again, so forgetting costs speed, never correctness; clearing all at once keeps it simpler than
 * an LRU, and the entries in use come straight back. Thread-safe.
 */
public final class ForgetfulMap<K, V> {

    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final int limit;
    private final long budgetBytes;
    private final ToLongBiFunction<K, V> bytesOf;
    private final AtomicLong bytes = new AtomicLong();

    public ForgetfulMap(int limit) {
        this(limit, Long.MAX_VALUE, (k, v) -> 0);
    }

    /** At most {@code budgetBytes} of entries as {@code bytesOf} estimates them (and at most {@code limit} of them). */
    public ForgetfulMap(int limit, long budgetBytes, ToLongBiFunction<K, V> bytesOf) {
        this.limit = limit;
        this.budgetBytes = budgetBytes;
        this.bytesOf = bytesOf;
    }

    /** The value remembered for {@code key}, or null. */
    public V get(K key) {
        return entries.get(key);
    }

    /** Remembers the value, unless it alone is larger than the budget. */
    public void put(K key, V value) {
        long size = bytesOf.applyAsLong(key, value);
        if (size > budgetBytes) {
            return;
        }
        if (entries.size() >= limit || bytes.addAndGet(size) > budgetBytes) {
            entries.clear(); // a racing put may be forgotten too, or counted twice: either only costs a lookup
            bytes.set(size);
        }
        entries.put(key, value);
    }

    /** The estimated size of what is remembered now. */
    public long bytes() {
        return bytes.get();
    }

    /**
     * An estimate of what a string costs on the heap: its characters (two bytes each at most) and
     * the String and array headers.
     */
    public static long stringBytes(String s) {
        return s == null ? 0 : 56 + 2L * s.length();
    }
}
