package org.convrouter.rules;

import java.util.ArrayList;
import java.util.List;
import org.convrouter.PostgresSchemas;
import org.convrouter.store.Database;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Instances on one PostgreSQL schema, each with connections of its own, as separate processes would be. */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresSharedRuleSetsTest extends SharedRuleSetsContract {

    private String url;
    private final List<Database> databases = new ArrayList<>();

    @Override
    protected Database database() {
        if (url == null) {
            url = PostgresSchemas.newSchemaUrl();
        }
        Database database = Database.open(url);
        databases.add(database);
        return database;
    }

    @Override
    protected void closeDatabases() {
        databases.forEach(Database::close);
        if (url != null) {
            PostgresSchemas.drop(url);
        }
    }
}
