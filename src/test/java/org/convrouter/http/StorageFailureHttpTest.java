package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.http.ErrorHandlingTest.assertErrorShape;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change whose write the database refuses, over real HTTP: the request is answered only once the
 * write has failed, with 503 in the error shape, and nothing of it is stored or counted.
 */
@Timeout(60) // a reckoning that waited on the writer's own thread would hang, not fail
class StorageFailureHttpTest {

    @TempDir
    Path folder;

    @Test
    void a_write_the_database_refuses_answers_503_storage_failed_and_leaves_nothing_behind() throws SQLException {
        try (TestServer server = TestServer.start(folder)) {
            server.seedOneAgentChat("ana", "in", "chat");

            // The same open database, in this process: its messages table hidden, so the next write fails.
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:"
                    + folder.resolve("data").toAbsolutePath().resolve("router") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE");
                 Statement sql = db.createStatement()) {
                sql.execute("ALTER TABLE messages RENAME TO messages_hidden");
                TestServer.Answer refused = server.call("POST", "/api/v1/conversations", TestServer.ADMIN,
                        "{\"id\":\"lost\",\"channelId\":\"chat\",\"message\":{\"text\":\"Hello\"}}");
                assertErrorShape(refused, 503, "storage_failed");
                sql.execute("ALTER TABLE messages_hidden RENAME TO messages");
            }

            assertThat(server.get("/api/v1/conversations/lost", TestServer.ADMIN).status()).isEqualTo(404);
            TestServer.Answer routed = server.call("POST", "/api/v1/conversations", TestServer.ADMIN,
                    "{\"id\":\"kept\",\"channelId\":\"chat\",\"message\":{\"text\":\"Hello again\"}}");
            assertThat(routed.status()).as(routed.body()).isEqualTo(201);
            assertThat(routed.json().get("assignee").get("id").asText()).isEqualTo("ana");
            // The failed conversation's load was undone: ana carries one open chat, not two.
            assertThat(server.admin("GET", "/api/v1/users/ana", null).get("openChats").asInt()).isEqualTo(1);
        }
    }
}
