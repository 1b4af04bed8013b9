package org.convrouter.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.convrouter.support.Sha256;

/**
 * Adopts databases that the migration runner before Flyway kept up to date: they record their
 * scripts in {@code schema_history (version, script, sha256, applied_at)}, not in Flyway's table.
 * On their first start with Flyway, each recorded script is checked to be byte for byte this
 * build's, Flyway is baselined at the newest recorded version and applies the later scripts, and
 * then {@code schema_history} is dropped, so from then on Flyway's history is the only one.
 */
final class LegacyHistory {

    static final String TABLE = "schema_history";
    private static final String FLYWAY_TABLE = "flyway_schema_history";
    private static final String FOLDER = "db/migration/";
    /** The old runner's lock key: instances adopting together (or an old build starting) take turns. */
    private static final long POSTGRES_LOCK = 0x636f6e76726f7574L;

    /** Migrates with Flyway, baselined at the given version when there is one; returns how many scripts it applied. */
    interface Migration {
        int migrate(Integer baselineVersion);
    }

    private LegacyHistory() {}

    static int adoptIfPresent(DataSource dataSource, Migration migration) {
        try {
            boolean present;
            try (Connection connection = dataSource.getConnection()) {
                present = exists(connection, TABLE);
            }
            if (!present) {
                return migration.migrate(null); // every start after the first
            }
            try (Connection connection = dataSource.getConnection()) {
                boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
                if (postgres) {
                    execute(connection, "SELECT pg_advisory_lock(" + POSTGRES_LOCK + ")");
                }
                try {
                    return adopt(connection, migration);
                } finally {
                    if (postgres) {
                        execute(connection, "SELECT pg_advisory_unlock(" + POSTGRES_LOCK + ")");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot adopt the database's " + TABLE + ": " + e.getMessage(), e);
        }
    }

    private static int adopt(Connection connection, Migration migration) throws SQLException {
        if (!exists(connection, TABLE)) {
            return migration.migrate(null); // another instance adopted it while this one waited
        }
        int newest = newestVerifiedVersion(connection);
        dropLeftoverFlywayHistory(connection);
        int applied = migration.migrate(newest);
        // Flyway's history now holds the baseline; a crash before this drop repeats the adoption,
        // which then finds that history (with its baseline row) and continues it.
        execute(connection, "DROP TABLE " + TABLE);
        return applied;
    }

    /** The newest version recorded, once every recorded script is found to be this build's as it ran. */
    private static int newestVerifiedVersion(Connection connection) throws SQLException {
        int newest = 0;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, script, sha256 FROM " + TABLE + " ORDER BY version")) {
            while (rows.next()) {
                int version = rows.getInt(1);
                String script = rows.getString(2);
                String text = script(script);
                if (text == null) {
                    throw new IllegalStateException("version " + version + " of this database is " + FOLDER + script
                            + ", a script this build does not have (a newer build's, or one withdrawn before release)");
                }
                if (!Sha256.hex(text).equals(rows.getString(3))) {
                    throw new IllegalStateException(FOLDER + script
                            + " was changed after it was applied to this database; add a new script instead");
                }
                newest = version;
            }
        }
        return newest;
    }

    /**
     * The old runner adopted a Flyway history by copying its versions and left Flyway's table in
     * place, stale (it applied later scripts without recording them there); Flyway would run those
     * scripts again. Such a leftover has no baseline row, unlike the history an interrupted
     * adoption of this class created, which is continued.
     */
    private static void dropLeftoverFlywayHistory(Connection connection) throws SQLException {
        if (!exists(connection, FLYWAY_TABLE)) {
            return;
        }
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT COUNT(*) FROM " + FLYWAY_TABLE + " WHERE \"type\" = 'BASELINE'")) {
            row.next();
            if (row.getInt(1) > 0) {
                return;
            }
        }
        execute(connection, "DROP TABLE " + FLYWAY_TABLE);
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), table, null)) {
            while (tables.next()) {
                if (tables.getString("TABLE_NAME").equals(table)) { // '_' in the pattern matches any character
                    return true;
                }
            }
            return false;
        }
    }

    private static String script(String name) {
        try (InputStream in = LegacyHistory.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
