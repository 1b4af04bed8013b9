package org.convrouter.error;

import java.util.List;

/** A change could not be stored; it did not happen. The client may retry. */
public class StorageFailedException extends RouterException {

    public StorageFailedException(String message, Throwable cause) {
        super("storage_failed", message, List.of());
        initCause(cause);
    }
}
