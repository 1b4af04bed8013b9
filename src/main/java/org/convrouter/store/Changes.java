package org.convrouter.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.convrouter.support.DaemonThreads;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every instance's caches in step through the database. A change bumps its topic's counter
 * ({@link #bump}) in the transaction that makes it; each instance polls the counters and tells the
 * topic's listeners when one has moved, so they reload. Polling rather than PostgreSQL's
 * LISTEN/NOTIFY: it works the same on H2 and PostgreSQL, needs no connection of its own, cannot
 * miss a change while a connection is lost, and reading one tiny table every {@code interval}
 * costs nothing. Thread-safe.
 */
public final class Changes implements AutoCloseable {

    public static final String DIRECTORY = "directory";
    public static final String TOKENS = "tokens";
    public static final String RULES = "rules";
    public static final String WEBHOOKS = "webhooks";

    private static final Logger LOG = LoggerFactory.getLogger(Changes.class);

    private final Jdbi jdbi;
    private final Duration interval;
    private final Map<String, List<Runnable>> listeners = new HashMap<>();
    private final Map<String, Long> seen = new HashMap<>();
    private ScheduledExecutorService poller;

    public Changes(Jdbi jdbi, Duration interval) {
        this.jdbi = jdbi;
        this.interval = interval;
        for (String topic : List.of(DIRECTORY, TOKENS, RULES, WEBHOOKS)) {
            listeners.put(topic, new CopyOnWriteArrayList<>());
        }
    }

    /** Marks {@code topic} changed, inside the caller's transaction: other instances see it once that commits. */
    public static void bump(Handle handle, String topic) {
        if (handle.createUpdate("UPDATE change_counters SET version = version + 1 WHERE topic = :topic")
                .bind("topic", topic).execute() != 1) {
            throw new IllegalArgumentException("unknown change topic '" + topic + "'");
        }
    }

    /**
     * Locks the topic's counter until the caller's transaction ends and returns its value: changes
     * that take this lock first run one at a time across every instance, each seeing the last one's work.
     */
    public static long lock(Handle handle, String topic) {
        return handle.createQuery("SELECT version FROM change_counters WHERE topic = :topic FOR UPDATE")
                .bind("topic", topic).mapTo(Long.class).one();
    }

    /** The topic's counter as the database holds it now. */
    public static long version(Handle handle, String topic) {
        return handle.createQuery("SELECT version FROM change_counters WHERE topic = :topic").bind("topic", topic)
                .mapTo(Long.class).one();
    }

    /** {@code listener} runs on the polling thread after {@code topic} has moved (by any instance, this one included). */
    public void onChange(String topic, Runnable listener) {
        List<Runnable> list = listeners.get(topic);
        if (list == null) {
            throw new IllegalArgumentException("unknown change topic '" + topic + "'");
        }
        list.add(listener);
    }

    /** Starts polling; the counters as they are now count as seen. */
    public synchronized void start() {
        if (poller != null) {
            return;
        }
        seen.putAll(counters());
        poller = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("changes"));
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads the counters once and tells the listeners of every topic that moved; also called by the poller. */
    public void poll() {
        Map<String, Long> now;
        try {
            now = counters();
        } catch (RuntimeException e) {
            LOG.warn("cannot read the change counters; trying again: {}", e.toString());
            return;
        }
        now.forEach((topic, version) -> {
            Long before;
            synchronized (this) {
                before = seen.put(topic, version);
            }
            if (before != null && before.longValue() != version) {
                for (Runnable listener : listeners.getOrDefault(topic, List.of())) {
                    try {
                        listener.run();
                    } catch (RuntimeException e) {
                        LOG.warn("reloading {} after a change failed; the next change retries: {}", topic, e.toString());
                        synchronized (this) {
                            seen.put(topic, before); // seen again as moved on the next poll
                        }
                    }
                }
            }
        });
    }

    private Map<String, Long> counters() {
        return jdbi.withHandle(h -> {
            Map<String, Long> counters = new HashMap<>();
            h.createQuery("SELECT topic, version FROM change_counters")
                    .map((rs, ctx) -> Map.entry(rs.getString("topic"), rs.getLong("version")))
                    .forEach(e -> counters.put(e.getKey(), e.getValue()));
            return counters;
        });
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}
