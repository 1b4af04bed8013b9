package org.convrouter.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket per address, on a clock the test moves. */
class AuthFailureLimiterTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void aBurstOfFailuresPassesThenEachSecondRefillsOne() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(new AuthFailureLimit(3, 1.0, 100), now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.failure("10.0.0.1")).isZero();
        }
        assertThat(limiter.failure("10.0.0.1")).isEqualTo(1);
        assertThat(limiter.failure("10.0.0.2")).as("another address has its own allowance").isZero();

        now.addAndGet(500_000_000L);
        assertThat(limiter.failure("10.0.0.1")).as("half a token refilled: wait the rest").isEqualTo(1);
        now.addAndGet(500_000_000L);
        assertThat(limiter.failure("10.0.0.1")).isZero();
        assertThat(limiter.failure("10.0.0.1")).isEqualTo(1);

        now.addAndGet(3_600_000_000_000L);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.failure("10.0.0.1")).as("refilled to the burst, never beyond").isZero();
        }
        assertThat(limiter.failure("10.0.0.1")).isEqualTo(1);
    }

    @Test
    void aSlowRefillSaysHowManySecondsToWait() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(new AuthFailureLimit(1, 0.1, 100), now::get);
        assertThat(limiter.failure("a")).isZero();
        assertThat(limiter.failure("a")).isEqualTo(10);
        now.addAndGet(4_000_000_000L);
        assertThat(limiter.failure("a")).isEqualTo(6);
    }

    @Test
    void itRemembersAtMostTheLimitOfAddressesForgettingTheLeastRecentlyFailing() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(new AuthFailureLimit(1, 1.0, 3), now::get);
        limiter.failure("a");
        limiter.failure("b");
        limiter.failure("c");
        assertThat(limiter.failure("a")).as("a is known and spent").isEqualTo(1);
        limiter.failure("d"); // b, the least recently failing, is forgotten; a is kept
        assertThat(limiter.failure("a")).isEqualTo(1);
        assertThat(limiter.failure("b")).as("b starts afresh").isZero();
        for (int i = 0; i < 1000; i++) {
            limiter.failure("spray-" + i);
        }
        assertThat(limiter.addresses()).isEqualTo(3);
    }
}
