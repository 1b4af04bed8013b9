package org.convrouter.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store suite on a real PostgreSQL server (ROUTER_TEST_PG_URL, set by .ci/run when one
 * answers). Each test gets a schema of its own, dropped afterwards.
 */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresStoreTest extends StoreContract {

    private String schema;

    @Override
    protected Database open() throws Exception {
        String url = System.getenv("ROUTER_TEST_PG_URL");
        schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        return Database.open(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema);
    }

    @AfterEach
    void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(System.getenv("ROUTER_TEST_PG_URL"))) {
            c.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }
}
