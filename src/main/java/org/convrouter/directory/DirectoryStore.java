package org.convrouter.directory;

import java.util.function.Function;

/**
 * Durable storage of the directory, shared by every instance. A version counter says which
 * directory a snapshot is: every write moves it on by one. Implementations are thread-safe.
 */
public interface DirectoryStore {

    /** The directory's version now. Read it before {@link #load}: the directory then loaded is at least that version. */
    long version();

    /** The directory as stored now. */
    Directory load();

    /**
     * Runs {@code work} in one transaction that first locks the version counter, so writes from every
     * instance run one at a time and each sees the last one's work. When {@code work} returns, the
     * counter moves on to {@code version() + 1} and everything commits together; when it throws,
     * nothing is written.
     */
    <T> T write(Function<Writer, T> work);

    /** The saves of one {@link #write}, inside its transaction. */
    interface Writer {

        /** The version the write starts from, read under the lock. */
        long version();

        /** The directory as this transaction sees it (the {@link #version()} one). */
        Directory load();

        void save(User user);

        /**
         * Revokes the user's tokens in this transaction, and tells every instance to drop them from
         * its cache (a deactivated user's token must stop working with the change that deactivates).
         */
        void revokeTokensOf(String userId);

        void save(Team team);

        void save(Inbox inbox);

        void save(Channel channel);

        void saveSettings(String channelId, RoutingSettings settings);
    }
}
