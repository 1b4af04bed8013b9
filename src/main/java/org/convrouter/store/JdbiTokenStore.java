package org.convrouter.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.convrouter.access.Principal;
import org.convrouter.access.StoredToken;
import org.convrouter.access.TokenInfo;
import org.convrouter.access.TokenStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Token hashes in SQL. Every change takes the {@link Changes#TOKENS} lock first, so token changes
 * from all instances run one at a time; a change that stops a token working bumps that counter,
 * which makes every instance drop the hashes it has cached.
 */
public final class JdbiTokenStore implements TokenStore {

    private final Jdbi jdbi;

    public JdbiTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public boolean save(String tokenHash, Principal principal, String name, Instant expiresAt) {
        return jdbi.inTransaction(h -> {
            Changes.lock(h, Changes.TOKENS);
            boolean exists = h.createQuery("SELECT COUNT(*) FROM tokens WHERE kind = :kind AND subject = :subject")
                    .bind("kind", principal.kind().name()).bind("subject", principal.subject())
                    .mapTo(Integer.class).one() > 0;
            if (!exists) {
                insert(h, tokenHash, principal, name, expiresAt);
            }
            return !exists;
        });
    }

    @Override
    public Optional<StoredToken> findByHash(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, subject, name, expires_at FROM tokens WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new StoredToken(new Principal(Principal.Kind.valueOf(rs.getString("kind")),
                        rs.getString("subject"), rs.getString("name")), instant(rs.getTimestamp("expires_at"))))
                .findOne());
    }

    @Override
    public boolean revokeAll(Principal principal) {
        return jdbi.inTransaction(h -> revokeAll(h, principal));
    }

    /**
     * Revokes every token of the principal inside the caller's transaction (a user's deactivation
     * revokes them so, together with the change that deactivates); false when it had none.
     */
    static boolean revokeAll(Handle h, Principal principal) {
        Changes.lock(h, Changes.TOKENS);
        boolean revoked = delete(h, principal) > 0;
        if (revoked) {
            Changes.bump(h, Changes.TOKENS);
        }
        return revoked;
    }

    @Override
    public List<TokenInfo> list(Principal.Kind kind) {
        return jdbi.withHandle(h -> h.createQuery("SELECT subject, name, created_at, expires_at FROM tokens WHERE kind = :kind"
                        + " ORDER BY created_at, subject")
                .bind("kind", kind.name())
                .map((rs, ctx) -> new TokenInfo(rs.getString("subject"), rs.getString("name"),
                        rs.getTimestamp("created_at").toInstant(), instant(rs.getTimestamp("expires_at"))))
                .list());
    }

    @Override
    public void replace(Principal principal, String tokenHash) {
        jdbi.useTransaction(h -> {
            Changes.lock(h, Changes.TOKENS);
            delete(h, principal);
            insert(h, tokenHash, principal, null, null);
            Changes.bump(h, Changes.TOKENS);
        });
    }

    @Override
    public Optional<String> adminHash() {
        return jdbi.withHandle(JdbiTokenStore::adminHash);
    }

    @Override
    public String adminHashIfAbsent(String tokenHash) {
        return jdbi.inTransaction(h -> {
            Changes.lock(h, Changes.TOKENS);
            Optional<String> stored = adminHash(h);
            if (stored.isPresent()) {
                return stored.get();
            }
            h.createUpdate("INSERT INTO admin_token (id, token_hash) VALUES (1, :hash)").bind("hash", tokenHash).execute();
            return tokenHash;
        });
    }

    @Override
    public void replaceAdminHash(String tokenHash) {
        jdbi.useTransaction(h -> {
            Changes.lock(h, Changes.TOKENS);
            Optional<String> stored = adminHash(h);
            if (stored.isPresent() && stored.get().equals(tokenHash)) {
                return; // instances started with the same ROUTER_ADMIN_TOKEN change nothing
            }
            JdbiDirectoryStore.upsert(h, "UPDATE admin_token SET token_hash = :hash WHERE id = 1",
                    "INSERT INTO admin_token (id, token_hash) VALUES (1, :hash)", Map.of("hash", tokenHash));
            Changes.bump(h, Changes.TOKENS);
        });
    }

    private static Optional<String> adminHash(Handle h) {
        return h.createQuery("SELECT token_hash FROM admin_token WHERE id = 1").mapTo(String.class).findOne();
    }

    private static void insert(Handle h, String tokenHash, Principal principal, String name, Instant expiresAt) {
        h.createUpdate("INSERT INTO tokens (token_hash, kind, subject, name, created_at, expires_at)"
                        + " VALUES (:hash, :kind, :subject, :name, :at, :expires)")
                .bind("hash", tokenHash).bind("kind", principal.kind().name()).bind("subject", principal.subject())
                .bind("name", name).bind("at", Timestamp.from(Instant.now()))
                .bind("expires", expiresAt == null ? null : Timestamp.from(expiresAt)).execute();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static int delete(Handle h, Principal principal) {
        return h.createUpdate("DELETE FROM tokens WHERE kind = :kind AND subject = :subject")
                .bind("kind", principal.kind().name()).bind("subject", principal.subject()).execute();
    }
}
