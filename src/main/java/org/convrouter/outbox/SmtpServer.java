package org.convrouter.outbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Where mail goes, from {@code ROUTER_SMTP_URL}: {@code smtp://host:port} (plain SMTP, STARTTLS when
 * the server offers it) or {@code smtps://user:password@host:port} (TLS from the start). User and
 * password are percent-decoded; {@link #toString()} never shows the password.
 */
public record SmtpServer(boolean tls, String host, int port, String user, String password) {

    /** Each network step of a send gives up after this long, so a stuck server cannot hold a claimed row past its lease. */
    static final int TIMEOUT_MILLIS = 15_000;

    public static SmtpServer parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("ROUTER_SMTP_URL: not a URL (smtp://host:port or smtps://user:password@host:port)");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
            throw new IllegalArgumentException("ROUTER_SMTP_URL: the scheme must be smtp or smtps");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("ROUTER_SMTP_URL: no host (smtp://host:port or smtps://user:password@host:port)");
        }
        boolean tls = scheme.equals("smtps");
        int port = uri.getPort() < 0 ? (tls ? 465 : 25) : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
            password = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
        }
        return new SmtpServer(tls, uri.getHost(), port, user, password);
    }

    String protocol() {
        return tls ? "smtps" : "smtp";
    }

    /** Jakarta Mail's session properties for this server. */
    Properties properties() {
        String p = "mail." + protocol() + ".";
        Properties props = new Properties();
        props.put("mail.transport.protocol", protocol());
        props.put(p + "host", host);
        props.put(p + "port", Integer.toString(port));
        props.put(p + "connectiontimeout", Integer.toString(TIMEOUT_MILLIS));
        props.put(p + "timeout", Integer.toString(TIMEOUT_MILLIS));
        props.put(p + "writetimeout", Integer.toString(TIMEOUT_MILLIS));
        props.put(p + "auth", Boolean.toString(user != null));
        if (!tls) {
            props.put(p + "starttls.enable", "true");
            // A password never crosses the network in clear: with one, a server that offers no STARTTLS is refused.
            props.put(p + "starttls.required", Boolean.toString(user != null));
        } else {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        return props;
    }

    @Override
    public String toString() {
        return protocol() + "://" + (user == null ? "" : user + ":***@") + host + ":" + port;
    }
}
