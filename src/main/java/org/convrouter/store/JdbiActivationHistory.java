package org.convrouter.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import org.convrouter.rules.Activation;
import org.convrouter.rules.ActivationHistory;
import org.convrouter.support.Json;
import org.jdbi.v3.core.Jdbi;

public final class JdbiActivationHistory implements ActivationHistory {

    private static final TypeReference<List<Activation.FileHash>> FILES = new TypeReference<>() {};

    private final Jdbi jdbi;

    public JdbiActivationHistory(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public synchronized void record(Activation a) {
        jdbi.useTransaction(h -> {
            long next = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM rule_activations").mapTo(Long.class).one();
            h.createUpdate("INSERT INTO rule_activations (seq, version, activated_at, files, triggered_by) "
                            + "VALUES (:seq, :version, :at, :files, :by)")
                    .bind("seq", next).bind("version", a.version()).bind("at", JdbiConversationStore.ts(a.activatedAt()))
                    .bind("files", Json.write(a.files())).bind("by", a.triggeredBy()).execute();
        });
    }

    @Override
    public List<Numbered> list(Long before, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM rule_activations WHERE seq < :before ORDER BY seq DESC LIMIT :limit")
                .bind("before", before == null ? Long.MAX_VALUE : before).bind("limit", limit)
                .map((rs, ctx) -> new Numbered(rs.getLong("seq"), new Activation(rs.getString("version"),
                        JdbiConversationStore.instant(rs, "activated_at"), Json.read(rs.getString("files"), FILES),
                        rs.getString("triggered_by")))).list());
    }
}
