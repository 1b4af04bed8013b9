package org.convrouter;

import java.nio.file.Path;
import java.time.Duration;
import org.convrouter.conversation.WaitingQueue;

/**
 * Everything the service is configured with. Command-line options fill it; the environment
 * variable ROUTER_ADMIN_TOKEN supplies the admin token, ROUTER_QUEUE_SWEEP_SECONDS the waiting queue's sweep.
 *
 * @param dbUrl      a PostgreSQL JDBC URL, or null for the embedded H2 database in {@code dataDir}
 * @param queueSweep how often every waiting queue is drained whatever happened (R10)
 */
public record Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken,
                     Duration queueSweep) {

    public Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken) {
        this(host, port, dataDir, rulesDir, dbUrl, adminToken, WaitingQueue.DEFAULT_SWEEP);
    }
}
