package org.convrouter.directory;

import java.util.Locale;

/**
 * A customer. {@code owner} is a user id or null. The email is kept in lower case: mail systems
 * treat addresses without regard to case, so "Carol@Customer.Test" writing in is the contact
 * carol@customer.test already is, with her owner, not a new contact without one.
 */
public record Contact(String id, String email, String name, String owner, boolean cookieTracked) {

    public Contact {
        email = normalEmail(email);
    }

    /** The form an email is stored and looked up in. */
    public static String normalEmail(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    public boolean hasOwner() {
        return owner != null;
    }
}
