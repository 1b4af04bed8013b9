package org.convrouter;

import java.nio.file.Path;
import org.convrouter.access.AuthFailureLimit;

/**
 * Everything the service is configured with. Command-line options fill it; the environment
 * variable ROUTER_ADMIN_TOKEN supplies the admin token.
 *
 * @param dbUrl a PostgreSQL JDBC URL, or null for the embedded H2 database in {@code dataDir}
 * @param authFailureLimit how many failed authentications a client address may make (docs/security.md)
 */
public record Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken,
                     AuthFailureLimit authFailureLimit) {

    public Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken) {
        this(host, port, dataDir, rulesDir, dbUrl, adminToken, AuthFailureLimit.DEFAULT);
    }
}
