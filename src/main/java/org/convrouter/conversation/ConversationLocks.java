package org.convrouter.conversation;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One lock per conversation that has a change in progress, so that changes to one conversation
 * are serialised and changes to different ones never wait for each other. A lock exists only
 * while it is held or awaited. It replaced 1,024 striped semaphores: with those, a change waited
 * for whichever unrelated change shared its stripe to become durable (6% of requests at 64 in
 * flight), and while the disk stalled every new conversation soon found its stripe taken and held
 * a request thread for as long as a caller waits for durability.
 *
 * <p>Semaphores, not locks: a lock is released by its write's completion, on another thread than
 * the one that took it.
 */
final class ConversationLocks {

    /** A conversation's lock, with how many changes hold or await it (changed only inside the map's compute). */
    private static final class Entry {
        final Semaphore semaphore = new Semaphore(1);
        int users;
    }

    /** A lock taken: release it exactly once. */
    record Held(ConversationLocks locks, String conversationId, Entry entry) {
        void release() {
            entry.semaphore.release();
            locks.leave(conversationId);
        }
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** The conversation's lock, or null when another change held it for {@code within}. */
    Held tryAcquire(String conversationId, Duration within) throws InterruptedException {
        Entry entry = entries.compute(conversationId, (id, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        boolean acquired = false;
        try {
            acquired = entry.semaphore.tryAcquire(within.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            if (!acquired) {
                leave(conversationId);
            }
        }
        return acquired ? new Held(this, conversationId, entry) : null;
    }

    /** One change no longer holds or awaits the lock; it is there until then, since it is removed only with no users. */
    private void leave(String conversationId) {
        entries.computeIfPresent(conversationId, (id, e) -> --e.users == 0 ? null : e);
    }

    /** How many conversations have a change in progress (or awaited). */
    int size() {
        return entries.size();
    }
}
