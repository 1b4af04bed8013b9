package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.convrouter.ops.Metrics;
import org.convrouter.outbox.Notifications;
import org.convrouter.rules.ActiveRules;

/** Health, liveness, metrics and the OpenAPI document: no token needed. */
final class OpsRoutes {

    /**
     * What {@code /health} reports. {@code rulesRefused}: the rules on disk do not pass here, and the
     * last good rule set is in force; {@code rulesWatched}: false while watching the rules folder has
     * failed and is being restarted; {@code mail}: whether R7 mail is being delivered.
     */
    record Checks(BooleanSupplier database, BooleanSupplier rulesRefused, BooleanSupplier rulesWatched,
                  Supplier<Notifications.Health> mail) {}

    private final ActiveRules rules;
    private final Checks checks;
    private final Metrics metrics;
    private final byte[] openapi;
    /** Liveness: the process answers HTTP. Constant, so probes (and the benchmarks' ceiling) do no I/O. */
    private static final byte[] LIVE = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    OpsRoutes(ActiveRules rules, Checks checks, Metrics metrics) {
        this.rules = rules;
        this.checks = checks;
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
            boolean db = checks.database().getAsBoolean();
            boolean refused = checks.rulesRefused().getAsBoolean();
            boolean watched = checks.rulesWatched().getAsBoolean();
            Notifications.Health mailHealth = checks.mail().get();
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
