package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.convrouter.PostgresSchemas;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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

    /**
     * The driver prepares a statement on the server after 5 runs, and PostgreSQL may then plan it once
     * for any values; the candidates' locks and loads are planned for their ids every time (see
     * JdbiConversationStore), which shows as no server-side prepared statement for them.
     */
    @Test
    void theCandidatesLocksAndLoadsArePlannedForTheirIdsEachTimeWhileOtherStatementsArePreparedOnce() {
        List<String> prepared = database.jdbi().withHandle(h -> {
            for (int i = 0; i < 10; i++) {
                JdbiConversationStore.lockRows(h, "users", List.of("ana", "bo", "cy"));
                JdbiConversationStore.loads(h, List.of("ana", "bo", "cy"));
                h.createQuery("SELECT open_chats FROM users WHERE id = :id").bind("id", "ana").mapTo(Integer.class).findOne();
            }
            return h.createQuery("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%FROM users WHERE id%'")
                    .mapTo(String.class).list();
        });
        assertThat(prepared).containsExactly("SELECT open_chats FROM users WHERE id = $1");
    }
}
