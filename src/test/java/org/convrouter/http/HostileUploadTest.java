package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile rule files uploaded to the running service are refused at their line; the service goes on as it was. */
class HostileUploadTest {

    private static final Path CORPUS = Path.of("src/test/resources/hostile");

    @TempDir
    Path dir;
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        server.seedOneAgentChat("ana", "help", "chat");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static int markedLine(String text) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("// <- refused")) {
                return i + 1;
            }
        }
        return 0;
    }

    @Test
    void eachHostileUploadIsRefusedAtItsLineAndThePreviousRulesStayActive() throws Exception {
        String before = server.admin("GET", "/api/v1/rules", null).get("version").asText();
        for (String name : List.of("system-exit.drl", "thread-sleep.drl", "runtime-exec.drl", "constraint-getclass.drl",
                "clock-localtime.drl", "unicode-function.drl", "modify-loop.drl")) {
            String text = Files.readString(CORPUS.resolve(name));
            TestServer.Answer refused = server.put("/api/v1/rules/files/" + name, TestServer.ADMIN, text);

            assertThat(refused.status()).as(name + ": " + refused.body()).isEqualTo(422);
            JsonNode detail = refused.json().at("/error/details/0");
            if (name.equals("modify-loop.drl")) { // compiles, and is stopped when the gate's scenarios run it
                assertThat(detail.get("file").asText()).startsWith("scenarios/");
                assertThat(detail.get("message").asText()).contains("were stopped");
            } else {
                assertThat(detail.get("file").asText()).as(name).isEqualTo(name);
                assertThat(detail.get("line").asInt()).as(name).isEqualTo(markedLine(text));
            }
            assertThat(Files.exists(server.rulesDir().resolve(name))).as(name + " is not saved").isFalse();

            // The service still answers, on the rules it had.
            assertThat(server.admin("GET", "/api/v1/rules", null).get("version").asText()).isEqualTo(before);
            TestServer.Answer routed = server.post("/api/v1/conversations", TestServer.ADMIN,
                    "{\"channelId\":\"chat\",\"contact\":{\"email\":\"c@customer.test\"},\"message\":{\"text\":\"hi\"}}");
            assertThat(routed.status()).as("after " + name).isEqualTo(201);
            assertThat(routed.json().get("assignee").get("id").asText()).isEqualTo("ana");
        }
    }
}
