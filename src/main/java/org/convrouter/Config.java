package org.convrouter;

import java.nio.file.Path;

/**
 * Everything the service is configured with. Command-line options fill it; the environment
 * variable ROUTER_ADMIN_TOKEN supplies the admin token.
 *
 * @param dbUrl a PostgreSQL JDBC URL, or null for the embedded H2 database in {@code dataDir}
 */
public record Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken) {}
