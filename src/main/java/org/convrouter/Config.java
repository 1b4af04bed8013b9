package org.convrouter;

import java.nio.file.Path;
import java.time.Duration;
import org.convrouter.access.AuthFailureLimit;
import org.convrouter.conversation.WaitingQueue;
import org.convrouter.outbox.OutboxConfig;

/**
 * Everything the service is configured with. Command-line options fill it; the environment
 * variable ROUTER_ADMIN_TOKEN supplies the admin token, ROUTER_SMTP_URL, ROUTER_MAIL_FROM and
 * ROUTER_PUBLIC_URL the mail settings ({@link OutboxConfig}), ROUTER_QUEUE_SWEEP_SECONDS the waiting
 * queue's sweep.
 *
 * @param dbUrl a PostgreSQL JDBC URL, or null for the embedded H2 database in {@code dataDir}
 * @param authFailureLimit how many failed authentications a client address may make (docs/security.md)
 * @param outbox where and how mail and webhooks are delivered (docs/notifications.md)
 * @param queueSweep how often every waiting queue is drained whatever happened (R10, docs/waiting-queue.md)
 */
public record Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken,
                     AuthFailureLimit authFailureLimit, OutboxConfig outbox, Duration queueSweep) {

    /** The defaults for the rest: the documented failed-authentication limit, no mail server, the documented sweep. */
    public Config(String host, int port, Path dataDir, Path rulesDir, String dbUrl, String adminToken) {
        this(host, port, dataDir, rulesDir, dbUrl, adminToken, AuthFailureLimit.DEFAULT, OutboxConfig.NONE,
                WaitingQueue.DEFAULT_SWEEP);
    }

    public Config withAuthFailureLimit(AuthFailureLimit limit) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, adminToken, limit, outbox, queueSweep);
    }

    public Config withOutbox(OutboxConfig outbox) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, adminToken, authFailureLimit, outbox, queueSweep);
    }

    public Config withQueueSweep(Duration sweep) {
        return new Config(host, port, dataDir, rulesDir, dbUrl, adminToken, authFailureLimit, outbox, sweep);
    }
}
