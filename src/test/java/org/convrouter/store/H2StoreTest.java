package org.convrouter.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store suite on the embedded H2 file database, as the service runs by default. */
class H2StoreTest extends StoreContract {

    @TempDir
    Path dataDir;

    @Override
    protected Database open() {
        return Database.embedded(dataDir);
    }
}
