package org.convrouter.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.convrouter.rules.Activation;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSetStore;
import org.convrouter.support.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Rule sets in SQL. Publishing locks the one row of {@code rule_set_active} ({@code FOR UPDATE}),
 * so concurrent publishers on any instance take turns and each compares against the pointer as
 * the one before left it; the history row, the pointer and the rules counter change together.
 */
public final class JdbiRuleSetStore implements RuleSetStore {

    private static final TypeReference<List<Activation.FileHash>> FILES = new TypeReference<>() {};
    private static final String ACTIVE = "SELECT a.seq, r.version, r.activated_at, r.files, r.triggered_by "
            + "FROM rule_set_active a JOIN rule_activations r ON r.seq = a.seq WHERE a.id = 1 AND a.version IS NOT NULL";

    private final Jdbi jdbi;

    public JdbiRuleSetStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Optional<Numbered> active() {
        return jdbi.withHandle(h -> h.createQuery(ACTIVE).map((rs, ctx) -> numbered(rs)).findOne());
    }

    @Override
    public long activeSeq() {
        return jdbi.withHandle(h -> h.createQuery("SELECT seq FROM rule_set_active WHERE id = 1").mapTo(Long.class).one());
    }

    @Override
    public boolean seen(String version) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM rule_activations WHERE version = :version")
                .bind("version", version).mapTo(Long.class).one()) > 0;
    }

    @Override
    public List<RuleFile> files(String version) {
        return jdbi.withHandle(h -> h.createQuery("SELECT name, content FROM rule_set_files WHERE version = :version ORDER BY name")
                .bind("version", version).map((rs, ctx) -> RuleFile.of(rs.getString("name"), rs.getBytes("content"))).list());
    }

    @Override
    public Publication publish(Activation activation, List<RuleFile> files, long expectedSeq) {
        return jdbi.inTransaction(h -> {
            var pointer = h.createQuery("SELECT version, seq FROM rule_set_active WHERE id = 1 FOR UPDATE")
                    .map((rs, ctx) -> new InStep(rs.getString("version"), rs.getLong("seq"))).one();
            if (activation.version().equals(pointer.version())) {
                return new Publication(Result.ALREADY_ACTIVE, h.createQuery(ACTIVE).map((rs, ctx) -> numbered(rs)).one());
            }
            if (pointer.seq() != expectedSeq) {
                return new Publication(Result.MOVED, h.createQuery(ACTIVE).map((rs, ctx) -> numbered(rs)).findOne().orElse(null));
            }
            for (RuleFile file : files) { // a version published before (a rollback) keeps the files it has
                h.createUpdate("INSERT INTO rule_set_files (version, name, content) VALUES (:version, :name, :content) "
                                + "ON CONFLICT DO NOTHING")
                        .bind("version", activation.version()).bind("name", file.name()).bind("content", file.content()).execute();
            }
            long seq = pointer.seq() + 1; // the row lock above makes this the only writer of the history
            h.createUpdate("INSERT INTO rule_activations (seq, version, activated_at, files, triggered_by) "
                            + "VALUES (:seq, :version, :at, :files, :by)")
                    .bind("seq", seq).bind("version", activation.version()).bind("at", ts(activation.activatedAt()))
                    .bind("files", Json.write(activation.files())).bind("by", activation.triggeredBy()).execute();
            h.createUpdate("UPDATE rule_set_active SET version = :version, seq = :seq WHERE id = 1")
                    .bind("version", activation.version()).bind("seq", seq).execute();
            Changes.bump(h, Changes.RULES);
            return new Publication(Result.PUBLISHED, new Numbered(seq, activation));
        });
    }

    @Override
    public Optional<InStep> inStep(String folder) {
        return jdbi.withHandle(h -> h.createQuery("SELECT version, seq FROM rule_folders WHERE folder = :folder")
                .bind("folder", folder).map((rs, ctx) -> new InStep(rs.getString("version"), rs.getLong("seq"))).findOne());
    }

    @Override
    public void markInStep(String folder, InStep inStep) {
        jdbi.useTransaction(h -> {
            if (update(h, folder, inStep) == 0) {
                h.createUpdate("INSERT INTO rule_folders (folder, version, seq, updated_at) VALUES (:folder, :version, :seq, :at) "
                                + "ON CONFLICT DO NOTHING")
                        .bind("folder", folder).bind("version", inStep.version()).bind("seq", inStep.seq())
                        .bind("at", ts(Instant.now())).execute();
                update(h, folder, inStep); // another instance on the same folder inserted first: ours is as new
            }
        });
    }

    private static int update(Handle h, String folder, InStep inStep) {
        return h.createUpdate("UPDATE rule_folders SET version = :version, seq = :seq, updated_at = :at WHERE folder = :folder")
                .bind("folder", folder).bind("version", inStep.version()).bind("seq", inStep.seq())
                .bind("at", ts(Instant.now())).execute();
    }

    @Override
    public List<Numbered> list(Long before, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM rule_activations WHERE seq < :before ORDER BY seq DESC LIMIT :limit")
                .bind("before", before == null ? Long.MAX_VALUE : before).bind("limit", limit)
                .map((rs, ctx) -> numbered(rs)).list());
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static Numbered numbered(ResultSet rs) throws SQLException {
        return new Numbered(rs.getLong("seq"), new Activation(rs.getString("version"),
                rs.getTimestamp("activated_at").toInstant(), Json.read(rs.getString("files"), FILES),
                rs.getString("triggered_by")));
    }
}
