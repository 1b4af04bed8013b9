package org.convrouter.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.convrouter.support.Sha256;

/**
 * Brings the schema up to date: each script of {@code db/migration} is applied once, in order, and
 * recorded in {@code schema_history} with its SHA-256, so a script edited after it ran, or a
 * database migrated by a newer build, stops start-up with a clear error instead of drifting.
 *
 * <p>It replaces Flyway, which on every start scanned the 33,000 entries of the service jar for
 * scripts and loaded its plugins: 0.6-0.9 s of a 3 s start-up budget, for three scripts. Databases
 * Flyway migrated are adopted (its history says which versions they hold).
 */
final class Migrations {

    /**
     * The scripts in order of their versions. Listed rather than found, because finding them means
     * scanning the jar; {@code MigrationsTest} checks this list against the folder. A version may be
     * missing (scripts written on parallel branches are numbered before they are merged).
     */
    static final List<String> SCRIPTS = List.of(
            "V1__schema.sql",
            "V2__journal_position.sql",
            "V3__fewer_conversation_indexes.sql",
            "V4__rosters.sql",
            "V5__contact_emails_without_case.sql",
            "V6__change_counters.sql",
            "V7__loads_in_the_database.sql",
            "V8__rule_sets.sql",
            "V9__admin_token.sql");

    static final String FOLDER = "db/migration/";

    private static final Pattern NAME = Pattern.compile("V(\\d+)__\\w+\\.sql");
    /** Any constant will do: it only has to be the same for every instance of the service. */
    private static final long POSTGRES_LOCK = 0x636f6e76726f7574L;

    private Migrations() {}

    /** Returns how many scripts it applied. */
    static int migrate(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            if (postgres) { // instances starting together against one server migrate one at a time
                execute(connection, "SELECT pg_advisory_lock(" + POSTGRES_LOCK + ")");
            }
            try {
                return migrate(connection);
            } finally {
                if (postgres) {
                    execute(connection, "SELECT pg_advisory_unlock(" + POSTGRES_LOCK + ")");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot migrate the database schema: " + e.getMessage(), e);
        }
    }

    private static int migrate(Connection connection) throws SQLException {
        execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_history (
                    version    INT          PRIMARY KEY,
                    script     VARCHAR(200) NOT NULL,
                    sha256     VARCHAR(64)  NOT NULL,
                    applied_at TIMESTAMP WITH TIME ZONE NOT NULL
                )""");
        Map<Integer, String> applied = appliedChecksums(connection);
        if (applied.isEmpty()) {
            adoptFlywayHistory(connection, applied);
        }
        requireKnown(applied.keySet());
        int count = 0;
        for (int version : SCRIPTS.stream().map(Migrations::versionOf).toList()) {
            String checksum = applied.get(version);
            if (checksum == null) {
                apply(connection, version);
                count++;
            } else if (!checksum.equals(checksum(version))) {
                String ran = scriptApplied(connection, version);
                if (!ran.equals(name(version))) {
                    throw new IllegalStateException("version " + version + " of this database is " + FOLDER + ran
                            + ", a script this build does not have (one withdrawn before release); this build's version "
                            + version + " is " + name(version) + ". Start on a new data folder.");
                }
                throw new IllegalStateException(FOLDER + name(version)
                        + " was changed after it was applied to this database; add a new script instead");
            }
        }
        return count;
    }

    private static void requireKnown(java.util.Collection<Integer> versions) {
        int newest = versions.stream().mapToInt(Integer::intValue).max().orElse(0);
        int known = versionOf(SCRIPTS.get(SCRIPTS.size() - 1));
        if (newest > known) {
            throw new IllegalStateException("the database schema is at version " + newest
                    + ", newer than this build knows (" + known + "): run a newer build");
        }
    }

    /** Records, all or nothing, the versions a database migrated by Flyway (before this class) holds. */
    private static void adoptFlywayHistory(Connection connection, Map<Integer, String> applied) throws SQLException {
        List<Integer> versions = versionsFlywayApplied(connection);
        requireKnown(versions);
        connection.setAutoCommit(false);
        try {
            for (int version : versions) {
                String checksum = checksum(version);
                record(connection, version, checksum);
                applied.put(version, checksum);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** One script and its history row in one transaction (PostgreSQL's DDL is transactional; H2's commits as it goes). */
    private static void apply(Connection connection, int version) throws SQLException {
        connection.setAutoCommit(false);
        try {
            String script = script(version);
            execute(connection, script); // both drivers run a script of several statements
            record(connection, version, Sha256.hex(script));
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw new IllegalStateException("cannot apply " + FOLDER + name(version) + ": " + e.getMessage(), e);
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void record(Connection connection, int version, String checksum) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO schema_history (version, script, sha256, applied_at) VALUES (?, ?, ?, ?)")) {
            insert.setInt(1, version);
            insert.setString(2, name(version));
            insert.setString(3, checksum);
            insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    private static String scriptApplied(Connection connection, int version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT script FROM schema_history WHERE version = ?")) {
            query.setInt(1, version);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    private static Map<Integer, String> appliedChecksums(Connection connection) throws SQLException {
        Map<Integer, String> applied = new HashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version, sha256 FROM schema_history")) {
            while (rows.next()) {
                applied.put(rows.getInt(1), rows.getString(2));
            }
        }
        return applied;
    }

    /** The versions a database migrated by Flyway (before this class) holds; none for any other database. */
    private static List<Integer> versionsFlywayApplied(Connection connection) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), "flyway_schema_history", null)) {
            if (!tables.next()) {
                return List.of();
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            List<Integer> versions = new java.util.ArrayList<>();
            while (rows.next()) {
                String version = rows.getString(1);
                if (!version.matches("\\d{1,9}")) {
                    throw new IllegalStateException("flyway_schema_history holds version '" + version
                            + "', which no script of this build has");
                }
                versions.add(Integer.parseInt(version));
            }
            return versions;
        }
    }

    /** Orders script names by their version number (V10 after V9). */
    static int byVersion(String a, String b) {
        return Integer.compare(versionOf(a), versionOf(b));
    }

    /** The listed script of this version. */
    static String name(int version) {
        return SCRIPTS.stream().filter(name -> versionOf(name) == version).findFirst()
                .orElseThrow(() -> new IllegalStateException("this build has no script of version " + version));
    }

    static int versionOf(String name) {
        Matcher matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            throw new IllegalStateException(name + " is not named V<version>__<description>.sql");
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static String checksum(int version) {
        return Sha256.hex(script(version));
    }

    static String script(int version) {
        String name = name(version);
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException(FOLDER + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
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
