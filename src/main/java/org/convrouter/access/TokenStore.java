package org.convrouter.access;

import java.util.Optional;

/** Durable token hashes. The tokens themselves are never stored. Thread-safe. */
public interface TokenStore {

    void save(String tokenHash, Principal principal, String name);

    Optional<Principal> findByHash(String tokenHash);

    /** True when a token of this principal is kept. */
    boolean exists(Principal principal);

    /** Revokes every token of this principal (a user's token is renewed by replacing it). */
    void revokeAll(Principal principal);
}
