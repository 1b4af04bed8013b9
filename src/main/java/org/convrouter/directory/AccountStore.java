package org.convrouter.directory;

/** Durable account settings, shared by every instance. */
public interface AccountStore {

    Account load();

    /** Saves {@code account} and tells every instance to reload it. */
    void save(Account account);
}
