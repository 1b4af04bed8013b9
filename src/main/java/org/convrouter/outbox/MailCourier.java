package org.convrouter.outbox;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.jdbi.v3.core.Jdbi;

/**
 * Sends the R7 emails of the {@code notifications} table over SMTP with Jakarta Mail: plain text in
 * UTF-8 carrying the customer's message, the conversation's id and a link to it in the console. The
 * Message-ID is made from the notification's id, so a mail sent twice (at least once) is recognisably
 * the same mail. Customer text goes only into the body; the subject is one sanitised line, and every
 * header is set through Jakarta Mail's API.
 */
public final class MailCourier implements Outbox.Courier {

    /** What one email says. {@code messageSubject} is the customer's own subject (email and form channels), or null. */
    public record Mail(String id, String conversationId, String to, String subject, String text, String messageSubject) {}

    static final int MAX_SUBJECT = 200;

    private final Jdbi jdbi;
    private final SmtpServer smtp;
    private final InternetAddress from;
    private final String publicUrl;
    private final Session session;

    public MailCourier(Jdbi jdbi, SmtpServer smtp, String from, String publicUrl) {
        this.jdbi = jdbi;
        this.smtp = smtp;
        try {
            this.from = new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("ROUTER_MAIL_FROM: not an email address", e);
        }
        this.publicUrl = publicUrl;
        this.session = Session.getInstance(smtp.properties());
    }

    @Override
    public void deliver(String id) throws Exception {
        Mail mail = jdbi.withHandle(h -> h.createQuery("SELECT n.id, n.conversation_id, n.address, n.subject, n.text, "
                        + "m.subject AS message_subject FROM notifications n LEFT JOIN messages m "
                        + "ON m.conversation_id = n.conversation_id AND m.seq = 0 WHERE n.id = :id")
                .bind("id", id).map((rs, ctx) -> new Mail(rs.getString("id"), rs.getString("conversation_id"),
                        rs.getString("address"), rs.getString("subject"), rs.getString("text"), rs.getString("message_subject")))
                .findOne().orElseThrow(() -> new Outbox.GiveUp("the notification is gone")));
        send(compose(mail));
    }

    /** The email for {@code mail}, ready to send. */
    public MimeMessage compose(Mail mail) throws MessagingException, Outbox.GiveUp {
        InternetAddress to;
        try {
            if (mail.to() == null || mail.to().isBlank()) {
                throw new AddressException("no address");
            }
            to = new InternetAddress(mail.to(), true);
        } catch (AddressException e) {
            throw new Outbox.GiveUp("cannot send to '" + oneLine(String.valueOf(mail.to()), 320) + "': " + e.getMessage());
        }
        MimeMessage message = new StableIdMessage(session, messageId(mail.id()));
        message.setFrom(from);
        message.setRecipient(Message.RecipientType.TO, to);
        message.setSubject(oneLine(mail.subject() == null || mail.subject().isBlank() ? "New conversation" : mail.subject(),
                MAX_SUBJECT), "UTF-8");
        message.setSentDate(new Date());
        message.setText(body(mail), "UTF-8"); // text/plain; charset=UTF-8
        return message;
    }

    private void send(MimeMessage message) throws MessagingException {
        if (smtp.user() != null) {
            Transport.send(message, smtp.user(), smtp.password());
        } else {
            Transport.send(message);
        }
    }

    private String body(Mail mail) {
        StringBuilder body = new StringBuilder();
        body.append("A conversation was assigned to you.\n\n");
        body.append("Conversation: ").append(mail.conversationId()).append('\n');
        body.append("Open it: ").append(link(mail.conversationId())).append("\n\n");
        if (mail.messageSubject() != null && !mail.messageSubject().isBlank()) {
            body.append("Subject: ").append(mail.messageSubject()).append('\n');
        }
        body.append("Message from the customer:\n\n");
        body.append(mail.text() == null ? "" : mail.text()).append('\n');
        return body.toString();
    }

    /** The conversation in the web console. */
    String link(String conversationId) {
        return publicUrl + "/#/inbox/" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8);
    }

    /** {@code <notification id@sender's domain>}: the same for every send of one notification. */
    private String messageId(String id) {
        String address = from.getAddress();
        String domain = address.substring(address.indexOf('@') + 1);
        return "<" + id.replaceAll("[^A-Za-z0-9._/-]", "-") + "@" + (domain.isBlank() ? "conversation-router" : domain) + ">";
    }

    /** One line of at most {@code max} characters: control characters (CR, LF among them) become spaces. */
    static String oneLine(String text, int max) {
        String line = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ").replaceAll("\\s+", " ").strip();
        return line.length() > max ? line.substring(0, max - 1) + "…" : line;
    }

    /** Jakarta Mail would make a new Message-ID on every save; this one keeps the notification's. */
    private static final class StableIdMessage extends MimeMessage {
        private final String messageId;

        StableIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
