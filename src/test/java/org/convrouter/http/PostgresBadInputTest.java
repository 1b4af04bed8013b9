package org.convrouter.http;

import java.nio.file.Path;
import org.convrouter.PostgresSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input against the service on PostgreSQL, which refuses more than H2 (a NUL character, for one). */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresBadInputTest extends BadInputContract {

    @TempDir
    Path dir;
    private final String url = PostgresSchemas.newSchemaUrl();

    @Override
    protected TestServer startServer() {
        return TestServer.start(dir, url);
    }

    @Override
    protected String databaseUrl() {
        return url;
    }

    @AfterEach
    void dropSchema() {
        if (server != null) {
            server.close();
            server = null;
        }
        PostgresSchemas.drop(url);
    }
}
