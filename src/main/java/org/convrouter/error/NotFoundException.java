package org.convrouter.error;

import java.util.List;

/** An unknown id. */
public class NotFoundException extends RouterException {

    public NotFoundException(String message) {
        super("not_found", message, List.of());
    }

    public NotFoundException(String message, List<?> details) {
        super("not_found", message, details);
    }
}
