package org.convrouter.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mail settings and the email itself, sent to a real SMTP server (GreenMail). */
class MailComposeTest {

    @Test
    void a_subject_with_line_breaks_goes_out_as_one_line_and_adds_no_header() throws Exception {
        int port = MailDeliveryTest.freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            MailCourier courier = new MailCourier(null, SmtpServer.parse("smtp://127.0.0.1:" + port), "router@example.org",
                    "https://router.example.org");
            MimeMessage message = courier.compose(new MailCourier.Mail("d1/0", "conv-1", "ana@example.com",
                    "Refund\r\nBcc: evil@example.com\r\nX-Injected: yes", "Text\r\nTo: evil@example.com", null));
            Transport.send(message);

            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            MimeMessage received = smtp.getReceivedMessages()[0];
            assertThat(received.getSubject()).isEqualTo("Refund Bcc: evil@example.com X-Injected: yes");
            assertThat(received.getHeader("Bcc")).isNull();
            assertThat(received.getHeader("X-Injected")).isNull();
            assertThat(received.getAllRecipients()).extracting(Object::toString).containsExactly("ana@example.com");
            assertThat(received.getMessageID()).isEqualTo("<d1/0@example.org>");
            assertThat(smtp.getReceivedMessagesForDomain("evil@example.com")).isEmpty();
        } finally {
            smtp.stop();
        }
    }

    @Test
    void a_malformed_address_is_given_up_at_once() {
        MailCourier courier = new MailCourier(null, SmtpServer.parse("smtp://127.0.0.1:25"), "router@example.org",
                "https://router.example.org");
        assertThatThrownBy(() -> courier.compose(new MailCourier.Mail("d1/0", "conv-1", "ana@example.com\r\nBcc: x@y.z",
                "Hi", "Text", null))).isInstanceOf(Outbox.GiveUp.class);
    }

    @Test
    void the_smtp_url_names_server_port_user_and_password_and_never_shows_the_password() {
        SmtpServer plain = SmtpServer.parse("smtp://mail.internal:2525");
        assertThat(plain).isEqualTo(new SmtpServer(false, "mail.internal", 2525, null, null));
        SmtpServer tls = SmtpServer.parse("smtps://router%40example.org:p%40ss:word@smtp.example.org");
        assertThat(tls).isEqualTo(new SmtpServer(true, "smtp.example.org", 465, "router@example.org", "p@ss:word"));
        assertThat(tls.toString()).doesNotContain("p@ss").contains("router@example.org");
        assertThatThrownBy(() -> SmtpServer.parse("http://mail:25")).hasMessageContaining("ROUTER_SMTP_URL");
        assertThatThrownBy(() -> SmtpServer.parse("smtp:///")).hasMessageContaining("ROUTER_SMTP_URL");
        assertThat(plain.properties()).as("no password: a server without STARTTLS is still used")
                .containsEntry("mail.smtp.starttls.required", "false");
        assertThat(SmtpServer.parse("smtp://router:secret@mail.internal:587").properties())
                .as("a password is never sent in clear").containsEntry("mail.smtp.starttls.required", "true");
    }

    @Test
    void the_environment_configures_mail_and_refuses_malformed_values() {
        OutboxConfig config = OutboxConfig.fromEnvironment(Map.of("ROUTER_SMTP_URL", "smtp://127.0.0.1:2525",
                "ROUTER_MAIL_FROM", "router@example.org", "ROUTER_PUBLIC_URL", "https://router.example.org/")::get);
        assertThat(config.smtp().port()).isEqualTo(2525);
        assertThat(config.mailFrom()).isEqualTo("router@example.org");
        assertThat(config.publicUrl()).isEqualTo("https://router.example.org");
        assertThat(OutboxConfig.fromEnvironment(name -> null).smtp()).isNull();
        assertThatThrownBy(() -> OutboxConfig.fromEnvironment(Map.of("ROUTER_MAIL_FROM", "not an address")::get))
                .hasMessageContaining("ROUTER_MAIL_FROM");
        assertThatThrownBy(() -> OutboxConfig.fromEnvironment(Map.of("ROUTER_PUBLIC_URL", "javascript:alert(1)")::get))
                .hasMessageContaining("ROUTER_PUBLIC_URL");
    }

    @Test
    void retries_double_from_the_first_delay_up_to_the_longest() {
        Retry retry = Retry.DEFAULT;
        assertThat(retry.delayAfter(1)).hasSeconds(30);
        assertThat(retry.delayAfter(2)).hasSeconds(60);
        assertThat(retry.delayAfter(7)).hasMinutes(32);
        assertThat(retry.delayAfter(8)).hasHours(1);
        assertThat(retry.delayAfter(50)).hasHours(1);
        assertThat(retry.maxAttempts()).isEqualTo(8);
    }
}
