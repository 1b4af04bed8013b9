package org.convrouter;

import java.nio.file.Path;
import org.convrouter.access.AuthFailureLimit;
import org.convrouter.outbox.OutboxConfig;

/**
 * Everything the service is configured with. Command-line options fill it; the environment
 * variable ROUTER_ADMIN_TOKEN supplies the admin token, and ROUTER_SMTP_URL, ROUTER_MAIL_FROM and
 * ROUTER_PUBLIC_URL the mail settings ({@link OutboxConfig}).
 *
 * @param dbUrl a PostgreSQL JDBC URL, or null for the embedded H2 database in {@code dataDir}
 * @param authFailureLimit how many failed authentications a client address may make (docs/security.md)
 * @param outbox where and how mail and webhooks are delivered (docs/notifications.md)
 */
public record Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken,
                     AuthFailureLimit authFailureLimit, OutboxConfig outbox) {

    /** The defaults for the rest: the documented failed-authentication limit, and no mail server. */
    public Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken) {
        this(host, port, dataDir, rulesDir, dbUrl, adminToken, AuthFailureLimit.DEFAULT, OutboxConfig.NONE);
    }

    public Config withAuthFailureLimit(AuthFailureLimit limit) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, adminToken, limit, outbox);
    }

    public Config withOutbox(OutboxConfig outbox) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, adminToken, authFailureLimit, outbox);
    }
}
