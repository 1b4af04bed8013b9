package org.convrouter.bench;

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
 * One routing decision, in process, no I/O: the repository's DRL rules plus selection, against a
 * hand-written Java version of the same policy over the same candidate facts. A quarter of the
 * users are away, a tenth have no paid seat, half are selected through a team (a fifth of those
 * as secondary members).
 *
 * <p>Every invocation is a different routing request, as in real traffic: it cycles through
 * {@value #REQUESTS} requests that each carry their own message, their own contact (or none) and
 * their own loads, and every {@value #AVAILABILITY_CHANGES_EVERY}th request one more user has
 * changed availability. So nothing is measured on a request seen a moment before, and the engine
 * remembers outcomes only where real traffic would let it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 8, time = 2) // the rules-run path was still compiled 6-7 iterations of 2 s in
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    static final int REQUESTS = 1024;
    static final int AVAILABILITY_CHANGES_EVERY = 64;

    @Param({"10", "100", "1000", "10000"})
    int candidates;

    @Param({"chat", "email"})
    String kind;

    private RoutingEngine engine;
    private RoutingEngine rulesRunEngine;
    private RoutingEngine perUserEngine;
    private RoutingFacts[] requests;
    private RoutingFacts[] noCandidates;
    private Random random;
    private int next;

    @Setup
    public void setUp() {
        String rules = System.getProperty("rules", "rules"); // run.sh passes the repo's rules folder
        List<RuleFile> files = RuleSetCompiler.read(Path.of(rules));
        random = new Random(1);
        Clock clock = Clock.systemUTC();
        TimeOrderedIds ids = new TimeOrderedIds(clock); // the service's decision ids
        engine = new RoutingEngine(new ActiveRules(new RuleSetCompiler().compile(files)), random, clock, ids);
        rulesRunEngine = new RoutingEngine(new ActiveRules(new RuleSetCompiler().compile(with(files, READS_THE_SUBJECT))),
                random, clock, ids);
        perUserEngine = new RoutingEngine(new ActiveRules(new RuleSetCompiler().compile(
                with(with(files, READS_THE_SUBJECT), READS_THE_USER_ID))), random, clock, ids);

        List<String> direct = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        List<String> secondary = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            String id = String.format("u%05d", i);
            if (i % 2 == 0) direct.add(id); else if (i % 5 == 1) secondary.add(id); else primary.add(id);
        }
        ChannelKind channelKind = ChannelKind.valueOf(kind.toUpperCase());
        Inbox inbox = new Inbox("inbox", "Inbox", null);
        Channel channel = new Channel("channel", "inbox", channelKind, "Channel");
        RoutingSettings settings = new RoutingSettings(true, AssignTo.usersAndTeams(direct, List.of("team")), true);
        Team team = new Team("team", "Team", primary, secondary);
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        int[] request = new int[1]; // which request's loads the factory reads
        CandidateFactory factory = new CandidateFactory();
        org.convrouter.routing.AgentLoads loads = id -> {
            int h = Math.abs((id + "/" + request[0]).hashCode());
            return new AgentLoad(h % 7, h % 5 == 0 ? null : base.plusSeconds(h % 1000));
        };
        requests = new RoutingFacts[REQUESTS];
        noCandidates = new RoutingFacts[REQUESTS];
        Directory directory = null;
        for (int r = 0; r < REQUESTS; r++) {
            if (r % AVAILABILITY_CHANGES_EVERY == 0) { // one more user has come back or gone away
                directory = Directory.of(users(r / AVAILABILITY_CHANGES_EVERY), List.of(team), List.of(inbox),
                        List.of(channel), java.util.Map.of("channel", settings));
            }
            request[0] = r;
            Contact contact = r % 4 == 0 ? null
                    : new Contact("c" + r, "customer" + r + "@example.com", "Customer " + r, null, r % 3 != 0);
            IncomingMessage message = new IncomingMessage("Where is my order #" + r + "?", r % 2 == 0 ? null : "Order " + r);
            requests[r] = factory.facts(directory, channel, inbox, settings, contact, message, loads);
            noCandidates[r] = new RoutingFacts(channel, inbox, settings, contact, message, List.of());
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

    /**
     * A rule that never fires but reads the message's subject, which differs on every request: the
     * engine then runs the rules for every request (the cost of Drools itself, measured beside).
     */
    private static final String READS_THE_SUBJECT = """
            package policy;
            import org.convrouter.routing.IncomingMessage;
            import org.convrouter.routing.RoutingDecision;
            rule "Nothing is done about an impossible subject"
            when
                $d : RoutingDecision()
                IncomingMessage( subject == "no subject is ever this" )
            then
                $d.leaveUnassigned( $d.strategy() );
            end
            """;

    /**
     * A rule that never fires but reads a per-user field, so the engine must judge every candidate
     * instead of one per profile: the cost before profile grouping.
     */
    private static final String READS_THE_USER_ID = """
            package policy;
            import org.convrouter.routing.Candidate;
            import org.convrouter.routing.Exclusion;
            rule "Nobody is excluded for lacking an id"
            when
                $c : Candidate( userId == null )
            then
                insert( new Exclusion( $c, "no id" ) );
            end
            """;

    private static List<RuleFile> with(List<RuleFile> files, String drl) {
        List<RuleFile> all = new ArrayList<>(files);
        all.add(RuleFile.of("extra-" + all.size() + ".drl", drl.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return all;
    }

    private RoutingFacts nextRequest() {
        RoutingFacts facts = requests[next];
        next = (next + 1) % REQUESTS;
        return facts;
    }

    /** The product's path: one candidate per profile, and outcomes remembered by what the rules read. */
    @Benchmark
    public Decision drools() {
        return engine.decide(nextRequest());
    }

    /** The same policy with the rules run for every request (the cost of Drools itself). */
    @Benchmark
    public Decision droolsRulesRun() {
        return rulesRunEngine.decide(nextRequest());
    }

    /** Every user judged by the rules one by one, for every request (before profiles and remembered outcomes). */
    @Benchmark
    public Decision droolsPerUser() {
        return perUserEngine.decide(nextRequest());
    }

    /** The fixed cost of running the rules: one decision with no candidate at all (a session, the context facts, the strategy rules). */
    @Benchmark
    public Decision droolsNoCandidates() {
        RoutingFacts facts = noCandidates[next];
        next = (next + 1) % REQUESTS;
        return rulesRunEngine.decide(facts);
    }

    @Benchmark
    public HandWrittenPolicy.Outcome handWritten() {
        RoutingFacts facts = nextRequest();
        return HandWrittenPolicy.decide(facts.channel().kind(), facts.settings(), facts.candidates(), random);
    }
}
