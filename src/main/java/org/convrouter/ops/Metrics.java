package org.convrouter.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.convrouter.conversation.ConversationStore;
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
    // Meters by their tags' values, so the request path does not build and look up a meter's id
    // (builder, sorted tags, registry map) for every request. Routes are templates: the keys are few.
    private final Map<List<Object>, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<List<Object>, Timer> httpRequests = new ConcurrentHashMap<>();

    public void decision(Decision decision) {
        String outcome = decision.assignee() == null ? "unassigned" : "assigned";
        decisions.computeIfAbsent(List.of(decision.strategy(), outcome), key -> Counter.builder("routing.decisions")
                .description("automatic routing decisions")
                .tag("strategy", decision.strategy().name().toLowerCase())
                .tag("outcome", outcome)
                .register(registry)).increment();
        decisionLatency.record(decision.tookMicros(), TimeUnit.MICROSECONDS);
    }

    /** Decisions left unassigned because their rules were stopped (too many firings, or too long). */
    private LongSupplier stopped;

    public void rulesStopped(LongSupplier stopped) {
        this.stopped = stopped; // held here: Micrometer holds a function counter's state weakly
        FunctionCounter.builder("routing.rules.stopped", stopped, LongSupplier::getAsLong)
                .description("routing decisions left unassigned because the rules were stopped").register(registry);
    }

    private Supplier<ConversationStore.QueueStats> queueStats;

    /**
     * R10: {@code routing_queue_waiting} (conversations waiting, all channels) and
     * {@code routing_queue_oldest_wait_seconds} (how long the oldest has waited; 0 when none), read
     * from the database at each scrape, so every instance shows the same numbers.
     */
    public void queue(Supplier<ConversationStore.QueueStats> stats, java.time.Clock clock) {
        this.queueStats = stats; // held here: Micrometer holds a gauge's state weakly
        Gauge.builder("routing.queue.waiting", stats, s -> s.get().waiting())
                .description("conversations waiting in the queue, all channels").register(registry);
        Gauge.builder("routing.queue.oldest.wait", stats, s -> {
                    Instant oldest = s.get().oldestSince();
                    return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
                }).baseUnit("seconds").description("how long the oldest waiting conversation has waited").register(registry);
    }

    public void reload(boolean ok) {
        Counter.builder("rules.reloads").description("rule set reloads").tag("result", ok ? "ok" : "failed")
                .register(registry).increment();
    }

    public void httpRequest(String method, String route, int status, long nanos) {
        httpRequests.computeIfAbsent(List.of(method, route, status), key -> Timer.builder("http.server.requests")
                .description("HTTP requests")
                .tag("method", method).tag("route", route).tag("status", Integer.toString(status))
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public String scrape() {
        return registry.scrape();
    }
}
