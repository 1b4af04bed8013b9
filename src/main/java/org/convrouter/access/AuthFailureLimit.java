package org.convrouter.access;

/**
 * How many failed authentications a client address may make: {@code burst} at once, then one more
 * every {@code 1 / refillPerSecond} seconds. {@code maxAddresses} bounds the memory it takes.
 */
public record AuthFailureLimit(int burst, double refillPerSecond, int maxAddresses) {

    /** 20 failures at once, then one a second; at most 10,000 addresses remembered. */
    public static final AuthFailureLimit DEFAULT = new AuthFailureLimit(20, 1.0, 10_000);

    public AuthFailureLimit {
        if (burst < 1 || !(refillPerSecond > 0) || maxAddresses < 1) {
            throw new IllegalArgumentException("burst, refillPerSecond and maxAddresses must be positive");
        }
    }
}
