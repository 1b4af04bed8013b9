package org.convrouter.http;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Bad input against the service on its embedded database. */
class H2BadInputTest extends BadInputContract {

    @TempDir
    Path dir;

    @Override
    protected TestServer startServer() {
        return TestServer.start(dir);
    }

    /** The service's own database file: a second connection in this process shares it. */
    @Override
    protected String databaseUrl() {
        return "jdbc:h2:file:" + dir.resolve("data").resolve("router").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
    }
}
