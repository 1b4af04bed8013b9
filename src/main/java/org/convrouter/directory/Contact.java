package org.convrouter.directory;

/** A customer. {@code owner} is a user id or null. */
public record Contact(String id, String email, String name, String owner, boolean cookieTracked) {

    public boolean hasOwner() {
        return owner != null;
    }
}
