package org.convrouter.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;

/**
 * Brings the schema up to date with Flyway: every {@code V<n>__<description>.sql} in
 * {@code db/migration} is applied once, in version order, and recorded in
 * {@code flyway_schema_history} with its checksum, so a script edited after it ran stops start-up
 * (Flyway validates before it migrates). New scripts are found in the folder; nothing lists them.
 *
 * <p>Several instances starting together on one PostgreSQL database do not migrate twice: Flyway
 * (13.x, flyway-database-postgresql) holds a PostgreSQL advisory lock keyed by its history table
 * ({@code pg_try_advisory_xact_lock}, tried once a second) while it migrates, so a later instance
 * waits and then finds nothing pending. H2 serves one process, which needs no lock.
 *
 * <p>A database that a newer build migrated further still starts (Flyway ignores applied versions
 * it has no script for, by default), so an instance of the previous build can restart during a
 * rolling upgrade (as long as the newer scripts leave a schema the previous build can use).
 *
 * <p>On an up-to-date database the cost at start is loading Flyway's own classes; its scan of the
 * jar for the one location is small beside that, so the scripts are found rather than listed.
 *
 * <p>A database the migration runner before Flyway kept up to date is adopted first ({@link LegacyHistory}).
 */
final class Migrations {

    /** Only this folder is scanned (an explicit location; one that is missing is an error, not an empty schema). */
    static final String LOCATION = "classpath:db/migration";

    private Migrations() {}

    /** Returns how many scripts it applied. */
    static int migrate(DataSource dataSource) {
        try {
            return LegacyHistory.adoptIfPresent(dataSource,
                    baseline -> flyway(dataSource, baseline).migrate().migrationsExecuted);
        } catch (FlywayValidateException e) {
            throw new IllegalStateException("the database schema does not match this build's " + LOCATION
                    + " (a script changed after it was applied? add a new script instead): " + e.getMessage(), e);
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot migrate the database schema: " + e.getMessage(), e);
        }
    }

    /**
     * Flyway for this service's scripts; with a baseline version, a database that has tables but no
     * Flyway history is recorded as already at that version (never otherwise: baselining an
     * unknown schema would skip scripts it needs).
     */
    static Flyway flyway(DataSource dataSource, Integer baseline) {
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true) // a misnamed script fails start-up instead of being skipped
                .skipDefaultCallbacks(true)    // no SQL callbacks: nothing to look for
                .loggers("slf4j")
                .lockRetryCount(-1); // wait for another instance's migration however long it takes, not 50 s
        if (baseline != null) {
            configuration.baselineOnMigrate(true)
                    .baselineVersion(baseline.toString())
                    .baselineDescription("adopted from schema_history");
        }
        return configuration.load();
    }
}
