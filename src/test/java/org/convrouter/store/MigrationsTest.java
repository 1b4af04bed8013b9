package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.convrouter.PostgresSchemas;
import org.convrouter.support.Sha256;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Schema migrations by Flyway, on the embedded H2 database and on a real PostgreSQL server. */
class MigrationsTest {

    /** Every script of db/migration, in version order (found in the folder, as Flyway finds them). */
    static final List<String> SCRIPTS = scripts();

    @Nested
    class OnH2 extends Behaviour {
        @TempDir
        Path dataDir;

        @Override
        String url() {
            return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("router")
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        }

        @Override
        Database open() {
            return Database.embedded(dataDir);
        }
    }

    @Nested
    @EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
    class OnPostgresql extends Behaviour {
        private String url;

        @BeforeEach
        void newSchema() {
            url = PostgresSchemas.newSchemaUrl();
        }

        @AfterEach
        void dropSchema() {
            PostgresSchemas.drop(url);
        }

        @Override
        String url() {
            return url;
        }

        @Override
        Database open() {
            return Database.open(url);
        }

        @Test
        void instancesStartingTogetherOnANewDatabaseApplyEachScriptOnce() throws Exception {
            startTogether(4);

            assertThat(query("SELECT script FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")).isEqualTo(SCRIPTS);
        }

        @Test
        void instancesStartingTogetherOnADatabaseTheOldRunnerMigratedAdoptItOnce() throws Exception {
            migrateByTheOldRunnerTo(5);
            execute("INSERT INTO users (id, name, email, seat, available, active) VALUES ('u1', 'Ann', 'ann@example.com', 'SALES', TRUE, TRUE)");

            startTogether(4);

            assertThat(query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .containsExactlyElementsOf(versionsFrom(5));
            assertThat(query("SELECT name FROM users")).containsExactly("Ann");
        }

        private void startTogether(int instances) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(instances);
            try {
                List<Future<Database>> started = new ArrayList<>();
                for (int i = 0; i < instances; i++) {
                    started.add(pool.submit(this::open));
                }
                for (Future<Database> database : started) {
                    database.get().close();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    abstract static class Behaviour {

        /** A plain JDBC URL of the database under test. */
        abstract String url();

        /** Opens it as the service does, which migrates it. */
        abstract Database open();

        @Test
        void aNewDatabaseGetsEveryScriptOnceAndARestartAppliesNothing() throws SQLException {
            open().close();
            open().close();

            assertThat(query("SELECT script FROM flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank"))
                    .isEqualTo(SCRIPTS);
            assertThat(query("SELECT topic FROM change_counters ORDER BY topic")).containsExactly("directory", "rules", "tokens", "webhooks");
            assertThat(tableExists(LegacyHistory.TABLE)).isFalse();
        }

        @Test
        void aDatabaseTheOldRunnerBroughtToVersion5UpgradesToTheNewestKeepingItsData() throws SQLException {
            migrateByTheOldRunnerTo(5);
            execute("INSERT INTO users (id, name, email, seat, available, active) VALUES ('u1', 'Ann', 'ann@example.com', 'SALES', TRUE, TRUE)");
            execute("INSERT INTO contacts (id, email, cookie_tracked) VALUES ('c1', 'carol@customer.test', FALSE)");

            open().close();
            open().close();

            assertThat(query("SELECT version || ' ' || type FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .as("baselined at the version the old runner reached, then the later scripts")
                    .first().isEqualTo("5 BASELINE");
            assertThat(query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .containsExactlyElementsOf(versionsFrom(5));
            assertThat(query("SELECT name FROM users")).containsExactly("Ann");
            assertThat(query("SELECT email FROM contacts")).containsExactly("carol@customer.test");
            assertThat(query("SELECT topic FROM change_counters ORDER BY topic")).containsExactly("directory", "rules", "tokens", "webhooks");
            assertThat(tableExists(LegacyHistory.TABLE)).as("the old runner's history is dropped").isFalse();
        }

        @Test
        void aDatabaseTheOldRunnerAdoptedFromFlywayUpgradesFromItsOwnHistoryNotFlywaysStaleOne() throws SQLException {
            flyway().target("2").load().migrate(); // Flyway brought it to 2, then the old runner adopted it and ran 3-5
            execute(script(SCRIPTS.get(2)));
            execute(script(SCRIPTS.get(3)));
            execute(script(SCRIPTS.get(4)));
            recordAsTheOldRunnerDid(5);
            execute("INSERT INTO users (id, name, email, seat, available, active) VALUES ('u1', 'Ann', 'ann@example.com', 'SALES', TRUE, TRUE)");

            open().close();

            assertThat(query("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                    .containsExactlyElementsOf(versionsFrom(5));
            assertThat(query("SELECT name FROM users")).containsExactly("Ann");
            assertThat(tableExists(LegacyHistory.TABLE)).isFalse();
        }

        @Test
        void aDatabaseWithAFlywayHistoryContinuesIt() throws SQLException {
            flyway().target("5").load().migrate();
            execute("INSERT INTO users (id, name, email, seat, available, active) VALUES ('u1', 'Ann', 'ann@example.com', 'SALES', TRUE, TRUE)");

            open().close();

            assertThat(query("SELECT script FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")).isEqualTo(SCRIPTS);
            assertThat(query("SELECT name FROM users")).containsExactly("Ann");
        }

        @Test
        void aScriptChangedAfterItWasAppliedStopsStartUp() throws SQLException {
            open().close();
            execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");

            assertThatThrownBy(this::open)
                    .hasMessageContaining("the database schema does not match this build's classpath:db/migration")
                    .hasMessageContaining("checksum mismatch for migration version 2");
        }

        @Test
        void aDatabaseANewerBuildMigratedFurtherStillStarts() throws SQLException {
            open().close();
            execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, installed_on, execution_time, success) "
                    + "VALUES (99, '99', 'later', 'SQL', 'V99__later.sql', 1, 'newer build', CURRENT_TIMESTAMP, 1, TRUE)");

            open().close();

            assertThat(query("SELECT MAX(installed_rank) FROM flyway_schema_history")).containsExactly("99");
        }

        @Test
        void aScriptTheOldRunnerRecordedDifferentlyStopsStartUpAndChangesNothing() throws SQLException {
            migrateByTheOldRunnerTo(5);
            execute("UPDATE schema_history SET sha256 = 'edited' WHERE version = 2");

            assertThatThrownBy(this::open)
                    .hasMessageContaining("db/migration/V2__journal_position.sql was changed after it was applied");
            assertThat(tableExists(LegacyHistory.TABLE)).isTrue();
            assertThat(tableExists("flyway_schema_history")).isFalse();
        }

        @Test
        void aScriptTheOldRunnerRecordedThatThisBuildLacksStopsStartUpNamingIt() throws SQLException {
            migrateByTheOldRunnerTo(5);
            execute("UPDATE schema_history SET script = 'V4__messages_keyed_by_conversation.sql' WHERE version = 4");

            assertThatThrownBy(this::open).hasMessageContaining(
                    "version 4 of this database is db/migration/V4__messages_keyed_by_conversation.sql, a script this build does not have");
        }

        @Test
        void contactEmailsStoredBeforeAreLoweredAndAnAddressSharedInDifferentCasesStaysWithTheSmallestId() throws SQLException {
            for (int i = 0; i < 4; i++) {
                execute(script(SCRIPTS.get(i)));
            }
            execute("INSERT INTO contacts (id, email, cookie_tracked) VALUES ('carol', ' Carol@Customer.Test', FALSE), "
                    + "('ann1', 'ANN@X.TEST', FALSE), ('ann2', 'ann@x.test', FALSE), ('dup1', 'Dup@Y.test', FALSE), "
                    + "('dup2', 'dUP@y.test', FALSE), ('nomail', NULL, FALSE)");

            execute(script("V5__contact_emails_without_case.sql"));

            assertThat(query("SELECT id || '=' || COALESCE(email, '-') FROM contacts ORDER BY id")).containsExactly(
                    "ann1=ann@x.test", "ann2=-", "carol=carol@customer.test", "dup1=dup@y.test", "dup2=-", "nomail=-");
        }

        /** V1..V{version} run, and recorded in schema_history, as the runner before Flyway did. */
        void migrateByTheOldRunnerTo(int version) throws SQLException {
            for (int i = 0; i < version; i++) {
                execute(script(SCRIPTS.get(i)));
            }
            recordAsTheOldRunnerDid(version);
        }

        void recordAsTheOldRunnerDid(int version) throws SQLException {
            execute("""
                    CREATE TABLE schema_history (
                        version    INT          PRIMARY KEY,
                        script     VARCHAR(200) NOT NULL,
                        sha256     VARCHAR(64)  NOT NULL,
                        applied_at TIMESTAMP WITH TIME ZONE NOT NULL
                    )""");
            try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO schema_history (version, script, sha256, applied_at) VALUES (?, ?, ?, ?)")) {
                for (int v = 1; v <= version; v++) {
                    insert.setInt(1, v);
                    insert.setString(2, SCRIPTS.get(v - 1));
                    insert.setString(3, Sha256.hex(script(SCRIPTS.get(v - 1))));
                    insert.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
                    insert.executeUpdate();
                }
            }
        }

        /** The versions Flyway's history holds after a baseline at {@code baseline}: it, then every later script's. */
        static List<String> versionsFrom(int baseline) {
            // the scripts' own numbers: versions reserved for work not merged yet leave gaps
            return SCRIPTS.stream().map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
                    .filter(version -> version >= baseline).map(String::valueOf).toList();
        }

        org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
            return Flyway.configure().dataSource(url(), null, null).locations(Migrations.LOCATION);
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(url());
        }

        void execute(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }

        List<String> query(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(sql)) {
                List<String> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
                return values;
            }
        }

        boolean tableExists(String table) throws SQLException {
            try (Connection connection = connect();
                 ResultSet tables = connection.getMetaData().getTables(null, connection.getSchema(), table, null)) {
                return tables.next();
            }
        }
    }

    private static List<String> scripts() {
        try (Stream<Path> files = Files.list(Path.of(MigrationsTest.class.getClassLoader().getResource("db/migration").toURI()))) {
            return files.map(f -> f.getFileName().toString())
                    .sorted(Comparator.comparingInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))))
                    .toList();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String script(String name) {
        try (var in = MigrationsTest.class.getClassLoader().getResourceAsStream("db/migration/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
