package org.convrouter.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The analysts' changes against the shipped rules, interleaved in one JVM: on a shared, noisy
 * machine a JMH run measures each policy minutes apart, under different load. Here every round
 * decides a batch with each policy in a shuffled order, so each round's ratio to the shipped rules
 * is measured under the same load; it prints the median of those ratios and each policy's fastest
 * batch (the best estimate of its cost on a quiet machine).
 *
 * <p>Usage: {@code java -cp bench/jmh/target/benchmarks.jar -Drules=rules org.convrouter.bench.PolicyRatios [candidates...]}
 */
public final class PolicyRatios {

    private static final List<String> POLICIES = List.of("shipped", "vip-team", "capacity", "refund-by-load",
            "office-hours", "reads-user-id", "all");
    private static final long WARM_UP_NANOS = Long.getLong("warmupSeconds", 30) * 1_000_000_000L;
    private static final int ROUNDS = Integer.getInteger("rounds", 15);

    public static void main(String[] args) {
        List<Integer> sizes = args.length == 0 ? List.of(100, 1000) : Arrays.stream(args).map(Integer::valueOf).toList();
        System.out.println("| candidates | kind | policy | fastest batch, us per decision | median, us | median ratio to shipped |");
        System.out.println("|---|---|---|---|---|---|");
        for (int candidates : sizes) {
            for (String kind : List.of("chat", "email")) {
                measure(candidates, kind);
            }
        }
    }

    private static void measure(int candidates, String kind) {
        Map<String, RoutingBenchmark> benches = new LinkedHashMap<>();
        for (String policy : POLICIES) {
            RoutingBenchmark bench = new RoutingBenchmark();
            bench.candidates = candidates;
            bench.kind = kind;
            bench.policy = policy;
            bench.setUp();
            benches.put(policy, bench);
        }
        int batch = Math.max(20, 20_000 / candidates);
        List<String> order = new ArrayList<>(POLICIES);
        Random shuffle = new Random(7);
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUntil) {
            for (String policy : order) {
                run(benches.get(policy), batch);
            }
        }
        Map<String, double[]> micros = new LinkedHashMap<>();
        POLICIES.forEach(p -> micros.put(p, new double[ROUNDS]));
        for (int round = 0; round < ROUNDS; round++) {
            Collections.shuffle(order, shuffle);
            for (String policy : order) {
                micros.get(policy)[round] = run(benches.get(policy), batch);
            }
        }
        double[] shipped = micros.get("shipped");
        for (String policy : POLICIES) {
            double[] mine = micros.get(policy);
            double[] ratios = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                ratios[round] = mine[round] / shipped[round];
            }
            System.out.printf("| %,d | %s | %s | %.0f | %.0f | %.2f |%n", candidates, kind, policy,
                    Arrays.stream(mine).min().orElseThrow(), median(mine), median(ratios));
        }
    }

    /** Microseconds per decision over a batch. */
    private static double run(RoutingBenchmark bench, int decisions) {
        long started = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            if (bench.drools().candidates().isEmpty()) {
                throw new IllegalStateException("a decision without candidates");
            }
        }
        return (System.nanoTime() - started) / 1_000.0 / decisions;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private PolicyRatios() {}
}
