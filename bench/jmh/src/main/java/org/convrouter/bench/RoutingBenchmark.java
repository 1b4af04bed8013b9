package org.convrouter.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.CandidateFactory;
import org.convrouter.routing.Decision;
import org.convrouter.routing.IncomingMessage;
import org.convrouter.routing.RoutingEngine;
import org.convrouter.routing.RoutingFacts;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSetCompiler;
import org.convrouter.support.TimeOrderedIds;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision, in process, no I/O: the repository's DRL rules, alone or with one analyst's
 * change from the benchmark's {@code policies/} resources, plus selection; against a hand-written
 * Java version of the shipped policy over the same candidate facts. A quarter of the users are
 * away, a tenth have no paid seat, half are selected through a team (a fifth of those as secondary
 * members), a tenth are on the VIP team.
 *
 * <p>Every invocation is a different routing request, as in real traffic: it cycles through
 * {@value #REQUESTS} requests that each carry their own message (every fourth subject mentions a
 * refund), their own contact (or none; every eighth at {@code @vip.example}) and their own loads,
 * and every {@value #AVAILABILITY_CHANGES_EVERY}th request one more user has changed availability.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    static final int REQUESTS = 1024;
    static final int AVAILABILITY_CHANGES_EVERY = 64;

    @Param({"10", "100", "1000", "10000"})
    int candidates;

    @Param({"chat", "email"})
    String kind;

    /** "shipped", or the name of one extra file in policies/ (without .drl) added to the shipped rules, or "all" of them. */
    @Param({"shipped", "vip-team", "capacity", "refund-by-load", "office-hours", "reads-user-id", "all"})
    String policy;

    static final List<String> CHANGES = List.of("vip-team", "capacity", "refund-by-load", "office-hours", "reads-user-id");

    private RoutingEngine engine;
    private RoutingFacts[] requests;
    private Random random;
    private int next;

    @Setup
    public void setUp() {
        String rules = System.getProperty("rules", "rules"); // run.sh passes the repo's rules folder
        List<RuleFile> files = new ArrayList<>(RuleSetCompiler.read(Path.of(rules)));
        for (String change : policy.equals("all") ? CHANGES : policy.equals("shipped") ? List.<String>of() : List.of(policy)) {
            files.add(policyFile(change));
        }
        random = new Random(1);
        Clock clock = Clock.systemUTC();
        TimeOrderedIds ids = new TimeOrderedIds(clock); // the service's decision ids
        engine = new RoutingEngine(new ActiveRules(new RuleSetCompiler().compile(files)), random, clock, ids);

        List<String> direct = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        List<String> secondary = new ArrayList<>();
        List<String> vip = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            String id = String.format("u%05d", i);
            if (i % 2 == 0) direct.add(id); else if (i % 5 == 1) secondary.add(id); else primary.add(id);
            if (i % 10 == 3) vip.add(id);
        }
        ChannelKind channelKind = ChannelKind.valueOf(kind.toUpperCase());
        Inbox inbox = new Inbox("inbox", "Inbox", null);
        Channel channel = new Channel("channel", "inbox", channelKind, "Channel");
        RoutingSettings settings = new RoutingSettings(true, AssignTo.usersAndTeams(direct, List.of("team")), true);
        List<Team> teams = List.of(new Team("team", "Team", primary, secondary), new Team("vip", "VIP", vip, List.of()));
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        int[] request = new int[1]; // which request's loads the factory reads
        CandidateFactory factory = new CandidateFactory();
        org.convrouter.routing.AgentLoads loads = id -> {
            int h = Math.abs((id + "/" + request[0]).hashCode());
            return new AgentLoad(h % 7, h % 5 == 0 ? null : base.plusSeconds(h % 1000));
        };
        requests = new RoutingFacts[REQUESTS];
        Directory directory = null;
        for (int r = 0; r < REQUESTS; r++) {
            if (r % AVAILABILITY_CHANGES_EVERY == 0) { // one more user has come back or gone away
                directory = Directory.of(users(r / AVAILABILITY_CHANGES_EVERY), teams, List.of(inbox),
                        List.of(channel), java.util.Map.of("channel", settings));
            }
            request[0] = r;
            String domain = r % 8 == 1 ? "vip.example" : "example.com";
            Contact contact = r % 4 == 0 ? null
                    : new Contact("c" + r, "customer" + r + "@" + domain, "Customer " + r, null, r % 3 != 0);
            String subject = r % 2 == 0 ? null : r % 4 == 1 ? "Refund for order " + r : "Order " + r;
            IncomingMessage message = new IncomingMessage("Where is my order #" + r + "?", subject);
            requests[r] = factory.facts(directory, channel, inbox, settings, contact, message, loads);
        }
        reportWhatTheChangeDid(files.size() - RuleSetCompiler.read(Path.of(rules)).size());
    }

    /** Prints how many requests an added rule changed something for, so a change that never fires is seen. */
    private void reportWhatTheChangeDid(int added) {
        if (added == 0) {
            return;
        }
        java.util.Map<String, Integer> fired = new java.util.TreeMap<>();
        for (RoutingFacts facts : requests) {
            for (String rule : engine.decide(facts).firedRules()) {
                fired.merge(rule, 1, Integer::sum);
            }
        }
        System.out.println(policy + " on " + kind + " x " + candidates + ": rules fired per " + REQUESTS + " requests " + fired);
    }

    private static RuleFile policyFile(String name) {
        try (InputStream in = RoutingBenchmark.class.getResourceAsStream("/policies/" + name + ".drl")) {
            if (in == null) {
                throw new IllegalArgumentException("no policies/" + name + ".drl in the benchmark");
            }
            return RuleFile.of(name + ".drl", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The users, with {@code changed} of them having changed availability. */
    private List<User> users(int changed) {
        List<User> users = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            String id = String.format("u%05d", i);
            boolean available = i % 4 != 0;
            if (i < changed * 7 && i % 7 == 0) {
                available = !available;
            }
            users.add(new User(id, "User " + i, id + "@example.com", i % 10 == 0 ? Seat.NONE : Seat.SERVICE, available, true));
        }
        return users;
    }

    private RoutingFacts nextRequest() {
        RoutingFacts facts = requests[next];
        next = (next + 1) % REQUESTS;
        return facts;
    }

    /** One decision: a fresh session over every candidate, then selection and the decision record. */
    @Benchmark
    public Decision drools() {
        return engine.decide(nextRequest());
    }

    /** The shipped users-and-teams policy in plain Java (the same for every {@code policy}: compare with "shipped"). */
    @Benchmark
    public HandWrittenPolicy.Outcome handWritten() {
        RoutingFacts facts = nextRequest();
        return HandWrittenPolicy.decide(facts.channel().kind(), facts.settings(), facts.candidates(), random);
    }
}
