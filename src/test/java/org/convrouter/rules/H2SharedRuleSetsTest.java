package org.convrouter.rules;

import java.nio.file.Path;
import org.convrouter.store.Database;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database serves one process: its "instances" share one connection pool. */
class H2SharedRuleSetsTest extends SharedRuleSetsContract {

    @TempDir
    Path dataDir;
    private Database database;

    @Override
    protected Database database() {
        if (database == null) {
            database = Database.embedded(dataDir);
        }
        return database;
    }

    @Override
    protected void closeDatabases() {
        if (database != null) {
            database.close();
        }
    }
}
