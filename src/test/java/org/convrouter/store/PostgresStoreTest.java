package org.convrouter.store;

import org.convrouter.PostgresSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store suite on a real PostgreSQL server (ROUTER_TEST_PG_URL, set by .ci/run when one
 * answers). Each test gets a schema of its own, dropped afterwards.
 */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresStoreTest extends StoreContract {

    private String url;

    @Override
    protected Database open() {
        url = PostgresSchemas.newSchemaUrl();
        return Database.open(url);
    }

    @AfterEach
    void dropSchema() {
        PostgresSchemas.drop(url);
    }
}
