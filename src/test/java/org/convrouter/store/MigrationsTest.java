package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @TempDir
    Path dataDir;

    @Test
    void theListedScriptsAreExactlyTheScriptsInTheFolder() throws Exception {
        Path folder = Path.of(Migrations.class.getClassLoader().getResource(Migrations.FOLDER).toURI());
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted(Migrations::byVersion))
                    .containsExactlyElementsOf(Migrations.SCRIPTS);
        }
        for (String name : Migrations.SCRIPTS) {
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            assertThat(Migrations.name(version)).isEqualTo(name);
            assertThat(Migrations.script(version)).isNotBlank();
        }
    }

    @Test
    void aNewDatabaseGetsEveryScriptOnceAndARestartChangesNothing() throws SQLException {
        Database.embedded(dataDir).close();
        Database.embedded(dataDir).close();

        assertThat(query("SELECT script FROM schema_history ORDER BY version")).isEqualTo(Migrations.SCRIPTS);
        assertThat(query("SELECT CAST(COUNT(*) AS VARCHAR) FROM change_counters")).containsExactly("3");
    }

    @Test
    void aScriptEditedAfterItRanStopsStartUp() throws SQLException {
        Database.embedded(dataDir).close();
        execute("UPDATE schema_history SET sha256 = 'edited' WHERE version = 2");

        assertThatThrownBy(() -> Database.embedded(dataDir))
                .hasMessageContaining("db/migration/V2__journal_position.sql was changed after it was applied");
    }

    @Test
    void aDatabaseThatRanAWithdrawnScriptStopsStartUpNamingIt() throws SQLException {
        Database.embedded(dataDir).close();
        execute("UPDATE schema_history SET script = 'V4__messages_keyed_by_conversation.sql', sha256 = 'other' WHERE version = 4");

        assertThatThrownBy(() -> Database.embedded(dataDir))
                .hasMessageContaining("version 4 of this database is db/migration/V4__messages_keyed_by_conversation.sql, "
                        + "a script this build does not have")
                .hasMessageContaining("this build's version 4 is V4__rosters.sql");
    }

    @Test
    void aDatabaseMigratedByANewerBuildStopsStartUp() throws SQLException {
        Database.embedded(dataDir).close();
        execute("INSERT INTO schema_history (version, script, sha256, applied_at) VALUES (99, 'V99__later.sql', 'x', CURRENT_TIMESTAMP)");

        assertThatThrownBy(() -> Database.embedded(dataDir))
                .hasMessageContaining("the database schema is at version 99, newer than this build knows");
    }

    @Test
    void aDatabaseFlywayMigratedIsAdoptedWithItsData() throws SQLException {
        for (int version = 1; version <= 2; version++) {
            execute(Migrations.script(version));
        }
        execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), success BOOLEAN NOT NULL)");
        execute("INSERT INTO flyway_schema_history VALUES (1, '1', TRUE), (2, '2', TRUE)");
        execute("INSERT INTO users (id, name, email, seat, available, active) VALUES ('u1', 'Ann', 'ann@example.com', 'SALES', TRUE, TRUE)");

        Database.embedded(dataDir).close();

        assertThat(query("SELECT script FROM schema_history ORDER BY version")).isEqualTo(Migrations.SCRIPTS);
        assertThat(query("SELECT name FROM users")).containsExactly("Ann");
        assertThat(query("SELECT index_name FROM information_schema.indexes WHERE index_name = 'conversations_open'"))
                .as("V3, which Flyway had not applied, ran").isEmpty();
    }

    @Test
    void aFlywayHistoryThisBuildCannotAdoptStopsStartUpAndRecordsNothing() throws SQLException {
        execute(Migrations.script(1));
        execute("CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50), success BOOLEAN NOT NULL)");
        execute("INSERT INTO flyway_schema_history VALUES (1, '1', TRUE), (2, '1.1', TRUE)");

        assertThatThrownBy(() -> Database.embedded(dataDir))
                .hasMessageContaining("flyway_schema_history holds version '1.1', which no script of this build has");
        assertThat(query("SELECT script FROM schema_history")).isEmpty();

        execute("UPDATE flyway_schema_history SET version = '99' WHERE installed_rank = 2");
        assertThatThrownBy(() -> Database.embedded(dataDir))
                .hasMessageContaining("the database schema is at version 99, newer than this build knows");
        assertThat(query("SELECT script FROM schema_history")).as("all or nothing").isEmpty();
    }

    @Test
    void contactEmailsStoredBeforeAreLoweredAndAnAddressSharedInDifferentCasesStaysWithTheSmallestId() throws SQLException {
        for (int version = 1; version <= 4; version++) {
            execute(Migrations.script(version));
        }
        execute("INSERT INTO contacts (id, email, cookie_tracked) VALUES ('carol', ' Carol@Customer.Test', FALSE), "
                + "('ann1', 'ANN@X.TEST', FALSE), ('ann2', 'ann@x.test', FALSE), ('dup1', 'Dup@Y.test', FALSE), "
                + "('dup2', 'dUP@y.test', FALSE), ('nomail', NULL, FALSE)");

        execute(Migrations.script(5));

        assertThat(query("SELECT id || '=' || COALESCE(email, '-') FROM contacts ORDER BY id")).containsExactly(
                "ann1=ann@x.test", "ann2=-", "carol=carol@customer.test", "dup1=dup@y.test", "dup2=-", "nomail=-");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("router")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = connect()) {
            connection.createStatement().execute(sql);
        }
    }

    private List<String> query(String sql) throws SQLException {
        try (Connection connection = connect(); var rows = connection.createStatement().executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
