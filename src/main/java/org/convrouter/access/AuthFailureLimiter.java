package org.convrouter.access;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down token guessing: a token bucket per client address that only failed authentications
 * draw from, so a caller with a valid token is never slowed by it. This is one instance's memory on
 * purpose: it protects the instance, and decides nothing about routing. The least recently failing
 * address is forgotten once {@link AuthFailureLimit#maxAddresses} are held, so the map cannot grow
 * without bound. Thread-safe.
 */
public final class AuthFailureLimiter {

    private final AuthFailureLimit limit;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    public AuthFailureLimiter(AuthFailureLimit limit, LongSupplier nanoTime) {
        this.limit = limit;
        this.nanoTime = nanoTime;
        this.buckets = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > limit.maxAddresses();
            }
        };
    }

    public AuthFailureLimiter(AuthFailureLimit limit) {
        this(limit, System::nanoTime);
    }

    /**
     * Counts one failed authentication from {@code address}. Returns 0 when it is within the
     * limit (answer 401), otherwise how many whole seconds until the next attempt would be (429).
     */
    public synchronized long failure(String address) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(address);
        if (bucket == null) {
            bucket = new Bucket(limit.burst(), now);
            buckets.put(address, bucket);
        } else {
            double refilled = (now - bucket.at) / 1e9 * limit.refillPerSecond();
            bucket.tokens = Math.min(limit.burst(), bucket.tokens + refilled);
            bucket.at = now;
        }
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / limit.refillPerSecond()));
    }

    /** How many addresses are remembered now. */
    public synchronized int addresses() {
        return buckets.size();
    }
}
