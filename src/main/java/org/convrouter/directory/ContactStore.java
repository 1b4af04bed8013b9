package org.convrouter.directory;

import java.util.List;
import java.util.Optional;

/** Durable storage of contacts, which are too many to keep in memory. Thread-safe. */
public interface ContactStore {

    Optional<Contact> find(String id);

    /** By the email as stored, {@link Contact#normalEmail} form. */
    Optional<Contact> findByEmail(String email);

    /**
     * Stores a new contact. The database's keys decide: a contact already stored with its id or email,
     * by this instance or another, is a {@link org.convrouter.error.ConflictException}.
     */
    void create(Contact contact);

    /** Stores the contact as it is now; an email another contact has is a {@link org.convrouter.error.ConflictException}. */
    void save(Contact contact);

    /** Contacts ordered by id, after the given id (null for the first page). */
    List<Contact> list(String afterId, int limit);
}
