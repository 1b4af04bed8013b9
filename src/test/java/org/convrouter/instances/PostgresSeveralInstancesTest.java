package org.convrouter.instances;

import org.convrouter.PostgresSchemas;
import org.convrouter.store.Database;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Each instance has a connection pool of its own to one PostgreSQL schema, as separate processes would. */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresSeveralInstancesTest extends SeveralInstancesContract {

    private String url;

    @Override
    protected Database open() {
        if (url == null) {
            url = PostgresSchemas.newSchemaUrl();
        }
        return Database.open(url);
    }

    @Override
    protected void dispose() {
        PostgresSchemas.drop(url);
    }
}
