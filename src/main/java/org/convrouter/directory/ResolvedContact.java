package org.convrouter.directory;

/**
 * The contact a routing request names. {@code unsaved}: it is new, and the request stores it with its
 * conversation, then reports whether that write stored it.
 */
public record ResolvedContact(Contact contact, boolean unsaved, Settled settled) {

    /** Told once the request's write is done: stored, or not (failed, or never made). */
    @FunctionalInterface
    public interface Settled {
        void settled(boolean stored);
    }

    private static final Settled NOTHING = stored -> { };

    public static ResolvedContact stored(Contact contact) {
        return new ResolvedContact(contact, false, NOTHING);
    }

    /** The contact for the request's write to store, or null when it is stored already. */
    public Contact toStore() {
        return unsaved ? contact : null;
    }
}
