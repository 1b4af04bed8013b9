package org.convrouter.error;

import java.util.List;

/** So many changes are waiting to be stored that this one was refused before it was made; retry shortly. */
public class StorageBusyException extends RouterException {

    public StorageBusyException(int waiting) {
        super("storage_busy", waiting + " changes are waiting to be stored; this one did not happen: retry in a moment", List.of());
    }
}
