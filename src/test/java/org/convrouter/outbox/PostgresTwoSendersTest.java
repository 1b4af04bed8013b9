package org.convrouter.outbox;

import org.convrouter.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.convrouter.PostgresSchemas;
import org.convrouter.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/** Two whole services on one PostgreSQL database, both sending mail: each R7 email is sent once. */
@EnabledIfEnvironmentVariable(named = "ROUTER_TEST_PG_URL", matches = "jdbc:postgresql:.+")
class PostgresTwoSendersTest {

    private static final int MAILS = 30;

    @TempDir
    Path folder;
    private String url;
    private GreenMail smtp;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void start() {
        int port = MailDeliveryTest.freePort();
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        url = PostgresSchemas.newSchemaUrl();
        OutboxConfig config = new OutboxConfig(SmtpServer.parse("smtp://127.0.0.1:" + port), "router@example.org",
                "https://router.example.org", MailDeliveryTest.quick(8));
        a = TestServer.start(folder.resolve("a"), url, config);
        b = TestServer.start(folder.resolve("b"), url, config);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        smtp.stop();
        PostgresSchemas.drop(url);
    }

    @Test
    void r7_two_instances_send_each_mail_exactly_once() throws Exception {
        MailDeliveryTest.seedAwayOwner(a);
        Await.until("b sees the routing settings", () -> b.get("/api/v1/channels/mail/routing", TestServer.ADMIN).json()
                .path("assignTo").path("type").asText().equals("contact_owner")
                && b.get("/api/v1/users/ana", TestServer.ADMIN).status() == 200);
        for (int i = 0; i < MAILS; i++) {
            MailDeliveryTest.routeToAna(i % 2 == 0 ? a : b, "conv-" + i, "Order " + i, "Message number " + i);
        }

        Await.until("every notification is sent", () -> {
            JsonNode items = a.admin("GET", "/api/v1/notifications?limit=500", null).path("items");
            int sent = 0;
            for (JsonNode item : items) {
                sent += item.path("status").asText().equals("sent") ? 1 : 0;
            }
            return sent == MAILS;
        });
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(MAILS);
        Set<String> ids = new HashSet<>();
        for (MimeMessage m : received) {
            ids.add(m.getMessageID());
        }
        assertThat(ids).hasSize(MAILS);
        assertThat(Arrays.stream(received).map(m -> {
            try {
                return ((String) m.getContent()).replaceAll("(?s).*Message number (\\d+).*", "$1").strip();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).distinct()).hasSize(MAILS);
        for (JsonNode item : a.admin("GET", "/api/v1/notifications?limit=500", null).path("items")) {
            assertThat(item.path("attempts").asInt()).as("tries of %s", item.path("id").asText()).isEqualTo(1);
        }
    }

    @Test
    void two_instances_post_each_webhook_event_once_signed() throws Exception {
        try (WebhookDeliveryTest.Receiver receiver = new WebhookDeliveryTest.Receiver()) {
            a.admin("POST", "/api/v1/webhooks", "{\"url\":\"" + receiver.url() + "\",\"secret\":\""
                    + WebhookDeliveryTest.SECRET + "\",\"events\":[\"conversation.created\"]}");
            a.seedOneAgentChat("ana", "help", "chat");
            Await.until("b sees the channel", () -> b.get("/api/v1/channels/chat", TestServer.ADMIN).status() == 200);
            for (int i = 0; i < MAILS; i++) {
                (i % 2 == 0 ? a : b).admin("POST", "/api/v1/conversations",
                        "{\"id\":\"hook-" + i + "\",\"channelId\":\"chat\",\"message\":{\"text\":\"hi\"}}");
            }
            Await.until("every event arrives", () -> receiver.received.size() >= MAILS);
            assertThat(receiver.received).allSatisfy(r -> assertThat(r.verifies(WebhookDeliveryTest.SECRET)).isTrue());
            assertThat(receiver.received.stream().map(r -> r.json().path("conversationId").asText()).distinct()).hasSize(MAILS);
            assertThat(receiver.received).hasSize(MAILS);
        }
    }
}
