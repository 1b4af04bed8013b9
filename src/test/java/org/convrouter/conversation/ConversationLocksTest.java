package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One lock per conversation with a change in progress, gone once nobody holds or awaits it. */
class ConversationLocksTest {

    private final ConversationLocks locks = new ConversationLocks();

    @Test
    void aConversationsLockIsHeldByOneChangeAtATimeAndIsGoneOnceReleased() throws Exception {
        ConversationLocks.Held first = locks.tryAcquire("c1", Duration.ZERO);
        assertThat(first).isNotNull();
        assertThat(locks.tryAcquire("c1", Duration.ofMillis(50))).isNull(); // held: the second change gives up
        assertThat(locks.size()).isEqualTo(1); // the one that gave up left nothing behind

        first.release();
        ConversationLocks.Held second = locks.tryAcquire("c1", Duration.ZERO);
        assertThat(second).isNotNull();
        second.release();
        assertThat(locks.size()).isZero();
    }

    @Test
    void differentConversationsNeverWaitForEachOther() throws Exception {
        // 1,025 ids: with the 1,024 striped semaphores this replaced, two of them had to share one.
        ConversationLocks.Held[] held = new ConversationLocks.Held[1025];
        for (int i = 0; i < held.length; i++) {
            held[i] = locks.tryAcquire("c" + i, Duration.ZERO);
            assertThat(held[i]).as("lock of c%d", i).isNotNull();
        }
        assertThat(locks.size()).isEqualTo(1025);
        for (ConversationLocks.Held h : held) {
            h.release();
        }
        assertThat(locks.size()).isZero();
    }

    @Test
    void aChangeWaitingForTheLockTakesItOnceReleased() throws Exception {
        ConversationLocks.Held first = locks.tryAcquire("c1", Duration.ZERO);
        Thread releaser = new Thread(() -> {
            sleep(100);
            first.release();
        });
        releaser.start();
        ConversationLocks.Held second = locks.tryAcquire("c1", Duration.ofSeconds(10));
        assertThat(second).isNotNull();
        assertThat(locks.size()).isEqualTo(1); // the waiter kept the lock alive through the release
        second.release();
        releaser.join();
        assertThat(locks.size()).isZero();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
