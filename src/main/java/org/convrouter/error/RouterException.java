package org.convrouter.error;

import java.util.List;

/**
 * The one unchecked base of every failure a caller can cause. Subclasses are named after what
 * failed; the HTTP layer maps each to a status in one place. {@code details} are machine-readable
 * specifics (for example the field and id R2 refused).
 */
public abstract class RouterException extends RuntimeException {

    private final String code;
    private final List<Object> details;

    protected RouterException(String code, String message, List<?> details) {
        super(message);
        this.code = code;
        this.details = List.copyOf(details);
    }

    public String code() {
        return code;
    }

    public List<Object> details() {
        return details;
    }
}
