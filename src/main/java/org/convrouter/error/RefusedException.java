package org.convrouter.error;

import java.util.List;

/** A business rule refuses the request (M4, M5, R2 and the like). */
public class RefusedException extends RouterException {

    public RefusedException(String message) {
        super("refused", message, List.of());
    }

    public RefusedException(String message, List<?> details) {
        super("refused", message, details);
    }
}
