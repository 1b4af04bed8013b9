package org.convrouter.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar sends R7 mail to the SMTP server its environment names (Jakarta Mail's providers survive shading). */
class MailIT {

    @TempDir
    Path data;

    @Test
    void r7_the_jar_sends_the_mail_to_the_server_ROUTER_SMTP_URL_names_with_a_link_from_ROUTER_PUBLIC_URL() throws Exception {
        int smtpPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            smtpPort = socket.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        Map<String, String> env = Map.of("ROUTER_SMTP_URL", "smtp://127.0.0.1:" + smtpPort,
                "ROUTER_MAIL_FROM", "router@example.org", "ROUTER_PUBLIC_URL", "https://router.example.org");
        try (JarProcess jar = JarProcess.start(env, data, Path.of("rules"))) {
            Http http = new Http(jar.base(), JarProcess.ADMIN);
            http.post("/api/v1/users", "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\",\"seat\":\"service\","
                    + "\"available\":false}");
            http.post("/api/v1/inboxes", "{\"id\":\"support\",\"name\":\"Support\",\"teams\":null}");
            http.post("/api/v1/channels", "{\"id\":\"mail\",\"inboxId\":\"support\",\"kind\":\"email\",\"name\":\"Mail\"}");
            http.call("PUT", "/api/v1/channels/mail/routing",
                    "{\"autoAssign\":true,\"assignTo\":{\"type\":\"contact_owner\"},\"onlyAvailable\":true}", 200);
            http.post("/api/v1/contacts", "{\"id\":\"c1\",\"email\":\"customer@example.net\",\"name\":\"Customer\",\"owner\":\"ana\"}");
            http.post("/api/v1/conversations", "{\"id\":\"it-r7\",\"channelId\":\"mail\",\"contactId\":\"c1\","
                    + "\"message\":{\"subject\":\"Lieferung\",\"text\":\"Grüße, wo bleibt meine Bestellung?\"}}");

            assertThat(smtp.waitForIncomingEmail(30_000, 1)).as("the mail arrived").isTrue();
            MimeMessage mail = smtp.getReceivedMessages()[0];
            assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ana@example.com");
            assertThat((String) mail.getContent()).contains("Grüße, wo bleibt meine Bestellung?")
                    .contains("https://router.example.org/#/inbox/it-r7");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void a_malformed_ROUTER_SMTP_URL_stops_serve_with_a_message_naming_it() throws Exception {
        JarProcess.Exited exited = JarProcess.runToEnd(Map.of("ROUTER_SMTP_URL", "mail.example.org:25"), data, Path.of("rules"));
        assertThat(exited.exitCode()).isEqualTo(2);
        assertThat(exited.output()).contains("ROUTER_SMTP_URL");
    }
}
