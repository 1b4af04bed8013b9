package org.convrouter.error;

import java.util.List;

/** The request conflicts with what exists, such as a duplicate id. */
public class ConflictException extends RouterException {

    public ConflictException(String message) {
        super("conflict", message, List.of());
    }

    public ConflictException(String message, List<?> details) {
        super("conflict", message, details);
    }
}
