package org.convrouter.http;

import java.nio.file.Path;
import org.convrouter.PostgresSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** The same races against the service running on PostgreSQL. */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresConcurrencyTest extends ConcurrencyContract {

    @TempDir
    Path dir;
    private String url;

    @Override
    protected TestServer startServer() {
        url = PostgresSchemas.newSchemaUrl();
        return TestServer.start(dir, url);
    }

    @AfterEach
    void dropSchema() {
        server.close();
        server = null;
        PostgresSchemas.drop(url);
    }
}
