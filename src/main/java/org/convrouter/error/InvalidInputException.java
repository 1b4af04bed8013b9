package org.convrouter.error;

import java.util.List;

/** Malformed or invalid input; the message names the field. */
public class InvalidInputException extends RouterException {

    public InvalidInputException(String message) {
        super("invalid_input", message, List.of());
    }

    public InvalidInputException(String message, List<?> details) {
        super("invalid_input", message, details);
    }
}
