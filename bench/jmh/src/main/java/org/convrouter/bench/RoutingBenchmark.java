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
 * as secondary members); loads vary.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RoutingBenchmark {

    @Param({"10", "100", "1000", "10000"})
    int candidates;

    @Param({"chat", "email"})
    String kind;

    private RoutingEngine engine;
    private RoutingEngine perUserEngine;
    private RoutingFacts facts;
    private RoutingFacts noCandidates;
    private Random random;

    @Setup
    public void setUp() {
        String rules = System.getProperty("rules", "rules"); // run.sh passes the repo's rules folder
        List<RuleFile> files = RuleSetCompiler.read(Path.of(rules));
        ActiveRules active = new ActiveRules(new RuleSetCompiler().compile(files));
        random = new Random(1);
        engine = new RoutingEngine(active, random, Clock.systemUTC());
        perUserEngine = new RoutingEngine(new ActiveRules(new RuleSetCompiler().compile(withPerUserRule(files))),
                random, Clock.systemUTC());

        List<User> users = new ArrayList<>();
        List<String> direct = new ArrayList<>();
        List<String> primary = new ArrayList<>();
        List<String> secondary = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            String id = String.format("u%05d", i);
            users.add(new User(id, "User " + i, id + "@example.com", i % 10 == 0 ? Seat.NONE : Seat.SERVICE, i % 4 != 0, true));
            if (i % 2 == 0) direct.add(id); else if (i % 5 == 1) secondary.add(id); else primary.add(id);
        }
        ChannelKind channelKind = ChannelKind.valueOf(kind.toUpperCase());
        Inbox inbox = new Inbox("inbox", "Inbox", null);
        Channel channel = new Channel("channel", "inbox", channelKind, "Channel");
        RoutingSettings settings = new RoutingSettings(true, AssignTo.usersAndTeams(direct, List.of("team")), true);
        Directory directory = Directory.of(users, List.of(new Team("team", "Team", primary, secondary)), List.of(inbox),
                List.of(channel), java.util.Map.of("channel", settings));
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        var loads = new CandidateFactory(id -> new AgentLoad(Math.abs(id.hashCode()) % 7,
                base.plusSeconds(Math.abs(id.hashCode()) % 1000)));
        facts = loads.facts(directory, channel, inbox, settings, null, new IncomingMessage("Hello", null));
        noCandidates = new RoutingFacts(channel, inbox, settings, null, facts.message(), List.of());
    }

    /**
     * The same policy plus a rule that never fires but reads a per-user field, so the engine must
     * judge every candidate instead of one per profile: the cost before profile grouping.
     */
    private static List<RuleFile> withPerUserRule(List<RuleFile> files) {
        byte[] drl = """
                package policy;
                import org.convrouter.routing.Candidate;
                import org.convrouter.routing.Exclusion;
                rule "Nobody is excluded for lacking an id"
                when
                    $c : Candidate( userId == null )
                then
                    insert( new Exclusion( $c, "no id" ) );
                end
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<RuleFile> all = new ArrayList<>(files);
        all.add(RuleFile.of("per-user.drl", drl));
        return all;
    }

    @Benchmark
    public Decision drools() {
        return engine.decide(facts);
    }

    /** Every user judged by the rules one by one (a rule set that reads a per-user field). */
    @Benchmark
    public Decision droolsPerUser() {
        return perUserEngine.decide(facts);
    }

    /** The fixed cost: one decision with no candidate at all (a session, the context facts, the strategy rules). */
    @Benchmark
    public Decision droolsNoCandidates() {
        return engine.decide(noCandidates);
    }

    @Benchmark
    public HandWrittenPolicy.Outcome handWritten() {
        return HandWrittenPolicy.decide(facts.channel().kind(), facts.settings(), facts.candidates(), random);
    }
}
