package org.convrouter.error;

import java.util.List;

/** Too many failed attempts from this client; it may try again after {@code retryAfterSeconds}. */
public class TooManyRequestsException extends RouterException {

    private final long retryAfterSeconds;

    public TooManyRequestsException(String message, long retryAfterSeconds) {
        super("too_many_requests", message, List.of());
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
