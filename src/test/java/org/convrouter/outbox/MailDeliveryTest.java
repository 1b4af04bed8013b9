package org.convrouter.outbox;

import org.convrouter.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.convrouter.http.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R7 mail over real SMTP: the service routes through its HTTP API to an away contact owner, and
 * the email arrives at a GreenMail server started by the test.
 */
public class MailDeliveryTest {

    /** Quick retries for tests; the service's own schedule is {@link Retry#DEFAULT}. */
    static Retry quick(int maxAttempts) {
        return new Retry(Duration.ofMillis(20), Duration.ofMillis(200), maxAttempts, Duration.ofMinutes(1),
                Duration.ofMillis(50), 5);
    }

    @TempDir
    Path folder;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private GreenMail smtpServer(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        open.add(mail::stop);
        return mail;
    }

    private TestServer server(Path dir, String dbUrl, int smtpPort, Retry retry) {
        OutboxConfig config = new OutboxConfig(SmtpServer.parse("smtp://127.0.0.1:" + smtpPort), "router@example.org",
                "https://router.example.org/", retry);
        TestServer server = TestServer.start(dir, dbUrl, config);
        open.add(server);
        return server;
    }

    /** ana is away and owns contact c1; the email channel routes to contact owners (R6/R7). */
    public static void seedAwayOwner(TestServer server) {
        server.admin("POST", "/api/v1/users", "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\","
                + "\"seat\":\"service\",\"available\":false}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"support\",\"name\":\"Support\",\"teams\":null}");
        server.admin("POST", "/api/v1/channels", "{\"id\":\"mail\",\"inboxId\":\"support\",\"kind\":\"email\",\"name\":\"Mail\"}");
        server.admin("PUT", "/api/v1/channels/mail/routing",
                "{\"autoAssign\":true,\"assignTo\":{\"type\":\"contact_owner\"},\"onlyAvailable\":true}");
        server.admin("POST", "/api/v1/contacts", "{\"id\":\"c1\",\"email\":\"customer@example.net\",\"name\":\"Customer\","
                + "\"owner\":\"ana\"}");
    }

    static String routeToAna(TestServer server, String id, String subject, String text) {
        JsonNode created = server.admin("POST", "/api/v1/conversations", "{\"id\":\"" + id + "\",\"channelId\":\"mail\","
                + "\"contactId\":\"c1\",\"message\":{\"subject\":" + json(subject) + ",\"text\":" + json(text) + "}}");
        assertThat(created.path("assignee").path("id").asText()).isEqualTo("ana");
        return id;
    }

    static String json(String text) {
        return org.convrouter.support.Json.write(text);
    }

    static JsonNode notificationOf(TestServer server, String conversationId) {
        for (JsonNode item : server.admin("GET", "/api/v1/notifications?limit=500", null).path("items")) {
            if (item.path("conversationId").asText().equals(conversationId)) {
                return item;
            }
        }
        return null;
    }

    static String statusOf(TestServer server, String conversationId) {
        JsonNode n = notificationOf(server, conversationId);
        return n == null ? null : n.path("status").asText();
    }

    @Test
    void r7_an_away_owner_gets_the_message_by_smtp_in_utf8_with_the_conversation_and_a_link() throws Exception {
        int port = freePort();
        GreenMail smtp = smtpServer(port);
        TestServer server = server(folder, null, port, quick(8));
        seedAwayOwner(server);
        String text = "Grüße aus Köln 🎉 — my order 4711 is late.\r\nBcc: evil@example.com\r\n\r\nX-Injected: yes";
        routeToAna(server, "conv-r7", "Late order\r\nBcc: evil@example.com", text);

        assertThat(smtp.waitForIncomingEmail(20_000, 1)).as("the mail arrived").isTrue();
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(Arrays.stream(mail.getAllRecipients()).map(Object::toString)).containsExactly("ana@example.com");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("router@example.org");
        assertThat(mail.getSubject()).isEqualTo("New conversation assigned to you");
        assertThat(mail.getContentType()).containsIgnoringCase("text/plain").containsIgnoringCase("charset=UTF-8");
        String body = (String) mail.getContent();
        assertThat(body.replace("\r\n", "\n")).contains("Grüße aus Köln 🎉 — my order 4711 is late.\nBcc: evil@example.com")
                .contains("X-Injected: yes")
                .contains("Conversation: conv-r7")
                .contains("https://router.example.org/#/inbox/conv-r7")
                .contains("Subject: Late order");
        // The customer's text stayed in the body: no header and no recipient came from it.
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("X-Injected")).isNull();
        assertThat(mail.getRecipients(Message.RecipientType.BCC)).isNull();
        assertThat(smtp.getReceivedMessagesForDomain("example.com")).hasSize(1);

        JsonNode row = notificationOf(server, "conv-r7");
        Await.until("the notification is marked sent", () -> "sent".equals(statusOf(server, "conv-r7")));
        row = notificationOf(server, "conv-r7");
        assertThat(row.path("to").asText()).isEqualTo("ana@example.com");
        assertThat(row.path("subject").asText()).isEqualTo("New conversation assigned to you");
        assertThat(row.path("attempts").asInt()).isEqualTo(1);
        assertThat(row.path("lastError").isNull()).isTrue();
        assertThat(row.path("sentAt").isTextual()).isTrue();
        // The Message-ID is made from the notification's id: a resend would carry the same one.
        assertThat(mail.getMessageID()).isEqualTo("<" + row.path("id").asText() + "@example.org>");
        assertThat(server.get("/health", null).json().path("mail").asText()).isEqualTo("ok");
    }

    @Test
    void a_mail_server_that_is_down_gets_the_mail_once_it_is_back_with_the_failed_tries_recorded() throws Exception {
        int port = freePort(); // nothing listens there yet
        TestServer server = server(folder, null, port, quick(1000));
        seedAwayOwner(server);
        routeToAna(server, "conv-down", "Hello", "Are you there?");

        // A try counts when it is claimed, before it fails; a third is claimed only once the second has
        // failed, so that second try cannot reach the mail server started below.
        Await.until("two tries failed", () -> {
            JsonNode n = notificationOf(server, "conv-down");
            return n != null && n.path("attempts").asInt() >= 3 && n.path("lastError").isTextual();
        });
        JsonNode failing = notificationOf(server, "conv-down");
        assertThat(failing.path("status").asText()).isEqualTo("pending");
        assertThat(failing.path("sentAt").isNull()).isTrue();
        JsonNode health = server.get("/health", null).json();
        assertThat(health.path("mail").asText()).isEqualTo("failing");
        assertThat(health.path("status").asText()).isEqualTo("degraded");

        GreenMail smtp = smtpServer(port);
        Await.until("the notification is marked sent", () -> "sent".equals(statusOf(server, "conv-down")));
        assertThat(smtp.getReceivedMessages()).hasSize(1);
        assertThat((String) smtp.getReceivedMessages()[0].getContent()).contains("Are you there?");
        JsonNode sent = notificationOf(server, "conv-down");
        assertThat(sent.path("attempts").asInt()).isGreaterThan(2);
        assertThat(sent.path("lastError").isNull()).isTrue();
        assertThat(server.get("/health", null).json().path("mail").asText()).isEqualTo("ok");
        assertThat(server.get("/health", null).json().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void a_mail_that_cannot_be_sent_is_marked_failed_after_the_last_try() {
        int port = freePort(); // never a mail server
        TestServer server = server(folder, null, port, quick(3));
        seedAwayOwner(server);
        routeToAna(server, "conv-failed", "Hello", "Nobody will read this");

        Await.until("the notification is marked failed", () -> "failed".equals(statusOf(server, "conv-failed")));
        JsonNode failed = notificationOf(server, "conv-failed");
        assertThat(failed.path("attempts").asInt()).isEqualTo(3);
        assertThat(failed.path("lastError").asText()).isNotBlank();
        assertThat(failed.path("sentAt").isNull()).isTrue();
        assertThat(server.get("/health", null).json().path("mail").asText()).isEqualTo("failing");
    }

    @Test
    void without_a_mail_server_mail_waits_and_health_says_so() {
        TestServer server = TestServer.start(folder, null);
        open.add(server);
        JsonNode before = server.get("/health", null).json();
        assertThat(before.path("mail").asText()).isEqualTo("unconfigured");
        assertThat(before.path("status").asText()).as("no mail waits yet").isEqualTo("ok");

        seedAwayOwner(server);
        routeToAna(server, "conv-waiting", "Hello", "Waiting for a mail server");

        assertThat(statusOf(server, "conv-waiting")).isEqualTo("pending");
        assertThat(notificationOf(server, "conv-waiting").path("attempts").asInt()).isZero();
        JsonNode after = server.get("/health", null).json();
        assertThat(after.path("mail").asText()).isEqualTo("unconfigured");
        assertThat(after.path("status").asText()).isEqualTo("degraded");
    }

    @Test
    void notifications_are_listed_newest_first_a_page_at_a_time() {
        TestServer server = TestServer.start(folder, null);
        open.add(server);
        seedAwayOwner(server);
        for (int i = 1; i <= 3; i++) {
            routeToAna(server, "conv-page-" + i, "Hello", "Message " + i);
        }
        JsonNode first = server.admin("GET", "/api/v1/notifications?limit=2", null);
        assertThat(first.path("items")).hasSize(2);
        assertThat(first.path("items").get(0).path("conversationId").asText()).isEqualTo("conv-page-3");
        assertThat(first.path("nextCursor").asText()).isEqualTo(first.path("items").get(1).path("id").asText());
        JsonNode second = server.admin("GET", "/api/v1/notifications?limit=2&cursor=" + first.path("nextCursor").asText(), null);
        assertThat(second.path("items")).hasSize(1);
        assertThat(second.path("items").get(0).path("conversationId").asText()).isEqualTo("conv-page-1");
        assertThat(second.path("nextCursor").isNull()).isTrue();
    }
}
