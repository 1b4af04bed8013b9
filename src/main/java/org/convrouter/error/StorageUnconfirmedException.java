package org.convrouter.error;

import java.util.List;

/**
 * A change was handed to the store, but whether it is stored is not known: it was not confirmed
 * in time, or the store could not undo a write that failed halfway. The client should read the
 * state back before trying again.
 */
public class StorageUnconfirmedException extends RouterException {

    public StorageUnconfirmedException(String message, Throwable cause) {
        super("storage_unconfirmed", message, List.of());
        initCause(cause);
    }
}
