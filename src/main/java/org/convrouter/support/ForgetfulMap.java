package org.convrouter.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe memo that forgets everything once it holds {@code limit} entries. Only for values
 * that can be worked out again, so forgetting costs speed, never correctness; clearing all at once
 * keeps it simpler than an LRU, and the entries in use come straight back. Thread-safe.
 */
public final class ForgetfulMap<K, V> {

    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final int limit;

    public ForgetfulMap(int limit) {
        this.limit = limit;
    }

    /** The value remembered for {@code key}, or null. */
    public V get(K key) {
        return entries.get(key);
    }

    public void put(K key, V value) {
        if (entries.size() >= limit) {
            entries.clear();
        }
        entries.put(key, value);
    }
}
