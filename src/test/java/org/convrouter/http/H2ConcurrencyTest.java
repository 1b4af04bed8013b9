package org.convrouter.http;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2ConcurrencyTest extends ConcurrencyContract {

    @TempDir
    Path dir;

    @Override
    protected TestServer startServer() {
        return TestServer.start(dir);
    }
}
