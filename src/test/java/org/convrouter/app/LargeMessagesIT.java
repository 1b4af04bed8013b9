package org.convrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the real jar with a 256 MB heap: conversations full of messages of the largest size,
 * written and read by several clients at once, hold more text than the heap. The service keeps
 * answering (an OutOfMemoryError would end the process), and paging returns every message.
 */
class LargeMessagesIT {

    private static final int CONVERSATIONS = 16;
    private static final int MESSAGES_EACH = 150;
    private static final int MAX_TEXT = 20_000;

    @TempDir
    Path data;

    @Test
    void manyLargeMessagesInAHeapOf256MbKeepTheServiceUpAndArePagedInFull() throws Exception {
        try (JarProcess jar = JarProcess.startWithHeap("256m", data, Path.of("rules"))) {
            Http http = new Http(jar.base(), JarProcess.ADMIN);
            http.post("/api/v1/users", "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\",\"seat\":\"service\",\"available\":true}");
            http.post("/api/v1/inboxes", "{\"id\":\"help\",\"name\":\"Help\",\"teams\":null}");
            http.post("/api/v1/channels", "{\"id\":\"mail\",\"inboxId\":\"help\",\"kind\":\"email\",\"name\":\"Mail\"}");

            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<String>> written = new ArrayList<>();
                for (int c = 0; c < CONVERSATIONS; c++) {
                    int conversation = c;
                    written.add(clients.submit(() -> writeOne(http, conversation)));
                }
                List<String> ids = new ArrayList<>();
                for (Future<String> f : written) {
                    ids.add(f.get());
                }
                assertThat(jar.alive()).as(jar.output()).isTrue();

                List<Future<?>> read = new ArrayList<>();
                for (int c = 0; c < CONVERSATIONS; c++) {
                    int conversation = c;
                    read.add(clients.submit(() -> {
                        readAll(http, ids.get(conversation), conversation);
                        return null;
                    }));
                }
                for (Future<?> f : read) {
                    f.get();
                }
            } finally {
                clients.shutdownNow();
            }
            assertThat(jar.alive()).as(jar.output()).isTrue();
            assertThat(jar.output()).doesNotContain("OutOfMemoryError");
            assertThat(http.get("/health").get("status").asText()).isEqualTo("ok");
        }
    }

    /** A conversation of the largest messages, each one telling its conversation and number at its start; read back as it grows. */
    private static String writeOne(Http http, int conversation) throws Exception {
        String id = http.post("/api/v1/conversations", "{\"channelId\":\"mail\",\"message\":{\"text\":\""
                + text(conversation, 0) + "\"}}").get("id").asText();
        for (int n = 1; n < MESSAGES_EACH; n++) {
            JsonNode replied = http.post("/api/v1/conversations/" + id + "/replies", "{\"text\":\"" + text(conversation, n)
                    + "\",\"byUserId\":\"ana\"}");
            assertThat(replied.get("messageCount").asInt()).isEqualTo(n + 1);
            assertThat(replied.get("messages").size()).isLessThanOrEqualTo(50);
            if (n % 25 == 0) {
                assertThat(http.get("/api/v1/conversations/" + id).get("messages").size()).isLessThanOrEqualTo(50);
            }
        }
        return id;
    }

    private static void readAll(Http http, String id, int conversation) throws Exception {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = http.get("/api/v1/conversations/" + id + "/messages?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            for (JsonNode message : page.get("items")) {
                String text = message.get("text").asText();
                assertThat(text).hasSize(MAX_TEXT);
                assertThat(text).startsWith(conversation + "/" + n + "/");
                n++;
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(n).isEqualTo(MESSAGES_EACH);
    }

    private static String text(int conversation, int n) {
        String head = conversation + "/" + n + "/";
        return head + "m".repeat(MAX_TEXT - head.length());
    }
}
