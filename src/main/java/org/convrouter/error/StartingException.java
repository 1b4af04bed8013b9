package org.convrouter.error;

import java.util.List;

/** The service listens but its first rule set is still being compiled and checked; retry shortly. */
public class StartingException extends RouterException {

    public StartingException() {
        super("starting", "the service is starting: its rules are being compiled and checked; retry in a moment", List.of());
    }
}
