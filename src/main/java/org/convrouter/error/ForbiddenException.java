package org.convrouter.error;

import java.util.List;

/** The caller may not do this. */
public class ForbiddenException extends RouterException {

    public ForbiddenException(String message) {
        super("forbidden", message, List.of());
    }

    public ForbiddenException(String message, List<?> details) {
        super("forbidden", message, details);
    }
}
