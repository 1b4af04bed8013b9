package org.convrouter.error;

import java.util.List;

/** No token, or one the service does not know. */
public class UnauthorizedException extends RouterException {

    public UnauthorizedException(String message) {
        super("unauthorized", message, List.of());
    }
}
