package org.convrouter.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.convrouter.routing.Decision;

/**
 * The service's metrics, in Prometheus text at /metrics: routing decisions by strategy and
 * outcome, decision latency, rule reloads by result, HTTP requests by route and status.
 */
public final class Metrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer decisionLatency = Timer.builder("routing.decision.latency")
            .description("time the rules and strategy took for one routing decision")
            .publishPercentiles(0.5, 0.99).register(registry);

    public void decision(Decision decision) {
        Counter.builder("routing.decisions")
                .description("automatic routing decisions")
                .tag("strategy", decision.strategy().name().toLowerCase())
                .tag("outcome", decision.assignee() == null ? "unassigned" : "assigned")
                .register(registry).increment();
        decisionLatency.record(Duration.ofNanos(decision.tookMicros() * 1_000));
    }

    public void reload(boolean ok) {
        Counter.builder("rules.reloads").description("rule set reloads").tag("result", ok ? "ok" : "failed")
                .register(registry).increment();
    }

    public void httpRequest(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests").description("HTTP requests")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    public String scrape() {
        return registry.scrape();
    }
}
