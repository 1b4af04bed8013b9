package org.convrouter.directory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * New contacts that in-flight routing requests carry, by email, until one of those requests has
 * stored its contact (then lookups go to the database, which may already hold a change to it) or
 * all of them have failed. Its own small lock, never held during I/O: the thread answering a
 * committed batch settles entries, and must not wait for the directory's lock.
 */
final class PendingContacts {

    /** One new contact and how many requests carry it. */
    static final class Entry {
        final Contact contact;
        private int uses = 1;

        private Entry(Contact contact) {
            this.contact = contact;
        }
    }

    private final Map<String, Entry> byEmail = new HashMap<>();

    /** The pending contact for this (normal) email, counted as carried by one more request. */
    synchronized Optional<Entry> join(String email) {
        Entry entry = byEmail.get(email);
        if (entry != null) {
            entry.uses++;
        }
        return Optional.ofNullable(entry);
    }

    /** A new contact, carried by one request. The caller has checked that none is pending or stored for its email. */
    synchronized Entry add(Contact contact) {
        Entry entry = new Entry(contact);
        byEmail.put(contact.email(), entry);
        return entry;
    }

    /** One carrier's write is done; once the contact is stored, or nobody carries it any more, it is no longer pending. */
    synchronized void settled(Entry entry, boolean stored) {
        entry.uses--;
        if (stored || entry.uses == 0) {
            byEmail.remove(entry.contact.email(), entry);
        }
    }

    synchronized Optional<Contact> withEmail(String email) {
        return Optional.ofNullable(byEmail.get(email)).map(e -> e.contact);
    }

    synchronized boolean holdsId(String id) {
        return byEmail.values().stream().anyMatch(e -> e.contact.id().equals(id));
    }
}
