package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.convrouter.ops.Metrics;
import org.convrouter.rules.ActiveRules;

/** Health, liveness, metrics and the OpenAPI document: no token needed. */
final class OpsRoutes {

    private final ActiveRules rules;
    private final BooleanSupplier databaseHealthy;
    private final BooleanSupplier rulesRefused;
    private final BooleanSupplier rulesWatched;
    private final Metrics metrics;
    private final java.util.function.Supplier<org.convrouter.outbox.Notifications.Health> mail;
    private final byte[] openapi;
    /** Liveness: the process answers HTTP. Constant, so probes (and the benchmarks' ceiling) do no I/O. */
    private static final byte[] LIVE = "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /**
     * {@code rulesRefused}: the rules on disk do not pass here, and the last good rule set is in force;
     * {@code rulesWatched}: false while watching the rules folder has failed and is being restarted;
     * {@code mail}: whether R7 mail is being delivered.
     */
    OpsRoutes(ActiveRules rules, BooleanSupplier databaseHealthy, BooleanSupplier rulesRefused, BooleanSupplier rulesWatched,
              Metrics metrics, java.util.function.Supplier<org.convrouter.outbox.Notifications.Health> mail) {
        this.rules = rules;
        this.mail = mail;
        this.databaseHealthy = databaseHealthy;
        this.rulesRefused = rulesRefused;
        this.rulesWatched = rulesWatched;
        this.metrics = metrics;
        try (InputStream in = OpsRoutes.class.getResourceAsStream("/openapi.yaml")) {
            this.openapi = in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(RoutesConfig routes) {
        // Only a database out of reach makes the instance unfit to serve (503); refused rules leave
        // the last good rule set routing, which an operator should see but a load balancer must not act on.
        routes.get("/health", ctx -> {
            boolean db = databaseHealthy.getAsBoolean();
            boolean refused = rulesRefused.getAsBoolean();
            boolean watched = rulesWatched.getAsBoolean();
            var mailHealth = mail.get();
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("status", db && !refused && watched && !mailHealth.degraded() ? "ok" : "degraded");
            health.put("ruleSetVersion", rules.current().version());
            health.put("database", db ? "ok" : "unreachable");
            health.put("rules", refused ? "refused" : "ok");
            health.put("rulesWatcher", watched ? "ok" : "failing");
            health.put("mail", mailHealth.mail());
            ctx.status(db ? 200 : 503).json(health);
        });
        routes.get("/health/live", ctx -> ctx.contentType("application/json").result(LIVE));
        routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        routes.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openapi));
    }
}
