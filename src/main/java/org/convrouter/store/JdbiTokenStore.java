package org.convrouter.store;

import java.time.Instant;
import java.util.Optional;
import org.convrouter.access.Principal;
import org.convrouter.access.TokenStore;
import org.jdbi.v3.core.Jdbi;

public final class JdbiTokenStore implements TokenStore {

    private final Jdbi jdbi;

    public JdbiTokenStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public void save(String tokenHash, Principal principal, String name) {
        jdbi.useTransaction(h -> h.createUpdate("INSERT INTO tokens (token_hash, kind, subject, name, created_at) "
                        + "VALUES (:hash, :kind, :subject, :name, :at)")
                .bind("hash", tokenHash).bind("kind", principal.kind().name()).bind("subject", principal.subject())
                .bind("name", name).bind("at", JdbiConversationStore.ts(Instant.now())).execute());
    }

    @Override
    public Optional<Principal> findByHash(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, subject FROM tokens WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new Principal(Principal.Kind.valueOf(rs.getString("kind")), rs.getString("subject")))
                .findOne());
    }

    @Override
    public boolean exists(Principal principal) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM tokens WHERE kind = :kind AND subject = :subject")
                .bind("kind", principal.kind().name()).bind("subject", principal.subject())
                .mapTo(Integer.class).one()) > 0;
    }

    @Override
    public void revokeAll(Principal principal) {
        jdbi.useTransaction(h -> h.createUpdate("DELETE FROM tokens WHERE kind = :kind AND subject = :subject")
                .bind("kind", principal.kind().name()).bind("subject", principal.subject()).execute());
    }
}
