package org.convrouter.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable token hashes, shared by every instance. The tokens themselves are never stored. Every
 * change that stops a token working (revocation, renewal, a new admin token) tells the other
 * instances, so none keeps accepting it from a cache. Thread-safe.
 */
public interface TokenStore {

    /**
     * Adds the principal's token unless it already has one, deciding that under a lock that every
     * instance takes, so two cannot both add one. False when it has one. {@code expiresAt} may be null (no end).
     */
    boolean save(String tokenHash, Principal principal, String name, Instant expiresAt);

    Optional<StoredToken> findByHash(String tokenHash);

    /** Revokes every token of this principal; false when it had none. */
    boolean revokeAll(Principal principal);

    /** The tokens of one kind (analyst, integration), oldest first, without their hashes. */
    List<TokenInfo> list(Principal.Kind kind);

    /** Replaces every token of the principal with this one, in one transaction (a user's token is renewed so). */
    void replace(Principal principal, String tokenHash);

    /** The admin token's hash, if one is stored. */
    Optional<String> adminHash();

    /** Stores {@code tokenHash} as the admin token's unless one is stored already; returns the one stored. */
    String adminHashIfAbsent(String tokenHash);

    /** Stores {@code tokenHash} as the admin token's, replacing any other. */
    void replaceAdminHash(String tokenHash);
}
