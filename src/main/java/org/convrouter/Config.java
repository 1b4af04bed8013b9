package org.convrouter;

import java.nio.file.Path;
import org.convrouter.outbox.OutboxConfig;

/**
 * Everything the service is configured with. Command-line options fill it; the environment
 * variable ROUTER_ADMIN_TOKEN supplies the admin token, and ROUTER_SMTP_URL, ROUTER_MAIL_FROM and
 * ROUTER_PUBLIC_URL the mail settings ({@link OutboxConfig}).
 *
 * @param dbUrl a PostgreSQL JDBC URL, or null for the embedded H2 database in {@code dataDir}
 */
public record Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken, OutboxConfig outbox) {

    /** Without mail: notifications wait for a mail server. */
    public Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken) {
        this(host, port, dataDir, rulesDir, dbUrl, adminToken, OutboxConfig.NONE);
    }
}
