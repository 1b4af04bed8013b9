package org.convrouter.outbox;

import java.util.function.UnaryOperator;

/**
 * What the outboxes need from the configuration: the SMTP server ({@code ROUTER_SMTP_URL}, null
 * when mail is not configured and stays pending), the sender address ({@code ROUTER_MAIL_FROM}),
 * the console's public address for links in mail ({@code ROUTER_PUBLIC_URL}), and the retry schedule.
 */
public record OutboxConfig(SmtpServer smtp, String mailFrom, String publicUrl, Retry retry) {

    public static final String DEFAULT_FROM = "conversation-router@localhost";
    public static final String DEFAULT_PUBLIC_URL = "http://localhost:7070";

    /** No mail server: mail waits, webhooks are sent on the default schedule. */
    public static final OutboxConfig NONE = new OutboxConfig(null, DEFAULT_FROM, DEFAULT_PUBLIC_URL, Retry.DEFAULT);

    public OutboxConfig {
        mailFrom = mailFrom == null || mailFrom.isBlank() ? DEFAULT_FROM : mailFrom.strip();
        publicUrl = publicUrl == null || publicUrl.isBlank() ? DEFAULT_PUBLIC_URL : publicUrl.strip().replaceAll("/+$", "");
    }

    /** From the environment variables; a malformed value is refused with a message naming the variable. */
    public static OutboxConfig fromEnvironment(UnaryOperator<String> env) {
        String smtp = env.apply("ROUTER_SMTP_URL");
        String from = env.apply("ROUTER_MAIL_FROM");
        try {
            if (from != null && !from.isBlank()) {
                new jakarta.mail.internet.InternetAddress(from.strip(), true);
            }
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException("ROUTER_MAIL_FROM: not an email address");
        }
        String publicUrl = env.apply("ROUTER_PUBLIC_URL");
        if (publicUrl != null && !publicUrl.isBlank() && !publicUrl.strip().matches("(?i)https?://\\S+")) {
            throw new IllegalArgumentException("ROUTER_PUBLIC_URL: an http:// or https:// address");
        }
        return new OutboxConfig(smtp == null || smtp.isBlank() ? null : SmtpServer.parse(smtp), from, publicUrl, Retry.DEFAULT);
    }

    public OutboxConfig withRetry(Retry retry) {
        return new OutboxConfig(smtp, mailFrom, publicUrl, retry);
    }

    public OutboxConfig withSmtp(SmtpServer smtp) {
        return new OutboxConfig(smtp, mailFrom, publicUrl, retry);
    }
}
