package org.convrouter.directory;

/**
 * The contact a routing request names. {@code unsaved}: it is new, and the request stores it with its
 * conversation; {@code settled} is called once that write has succeeded or failed.
 */
public record ResolvedContact(Contact contact, boolean unsaved, Runnable settled) {

    private static final Runnable NOTHING = () -> { };

    public static ResolvedContact stored(Contact contact) {
        return new ResolvedContact(contact, false, NOTHING);
    }
}
