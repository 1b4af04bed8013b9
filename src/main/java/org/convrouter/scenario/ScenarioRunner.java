package org.convrouter.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssigneeType;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.ManualAssignmentPolicy;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.CandidateFactory;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.Decision;
import org.convrouter.routing.IncomingMessage;
import org.convrouter.routing.RoutingEngine;
import org.convrouter.routing.RoutingFacts;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleError;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetGate;
import org.convrouter.support.DaemonThreads;

/**
 * Runs the scenarios in {@code rules/scenarios/*.json} against a rule set. Also the activation
 * gate: a rule set goes live only if every scenario passes.
 */
public final class ScenarioRunner implements RuleSetGate {

    /**
     * Scenarios are independent (each its own world and engine over the shared, thread-safe
     * KieBase): two threads, so a start-up or reload is not held to one core.
     */
    private static final ExecutorService RUNNERS = Executors.newFixedThreadPool(2, DaemonThreads.named("scenarios"));

    private final Path scenariosDir;
    private final Supplier<ZoneId> zone;
    /** How long the whole gate may take; honest scenarios take milliseconds each. */
    static final Duration GATE_TIME_LIMIT = Duration.ofSeconds(30);

    /** {@code zone}: the account's time zone, which scenarios without {@code given.now} run in. */
    public ScenarioRunner(Path scenariosDir, Supplier<ZoneId> zone) {
        this.scenariosDir = scenariosDir;
        this.zone = zone;
    }

    /** Scenarios without {@code given.now} run in UTC, the default account zone (validate has no account). */
    public ScenarioRunner(Path scenariosDir) {
        this(scenariosDir, () -> ZoneOffset.UTC);
    }

    @Override
    public List<RuleError> check(RuleSet candidate) {
        List<RuleError> errors = new ArrayList<>();
        for (ScenarioResult result : run(candidate)) {
            for (String failure : result.failures()) {
                errors.add(new RuleError(result.file(), result.line(), result.column(), "scenario '" + result.name() + "': " + failure));
            }
        }
        return errors;
    }

    /** Every scenario's result, in file order. An unreadable file is one failed result. */
    public List<ScenarioResult> run(RuleSet rules) {
        if (!Files.isDirectory(scenariosDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(scenariosDir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted(Comparator.comparing(Path::toString)).toList();
        } catch (IOException e) {
            return List.of(new ScenarioResult("scenarios", "(folder)", List.of("cannot read: " + e.getMessage())));
        }
        ZoneId accountZone = zone.get(); // one zone for the whole run
        List<CompletableFuture<ScenarioResult>> results = new ArrayList<>();
        List<ScenarioResult> unfinished = new ArrayList<>(); // what each result says if the gate's time runs out first
        for (Path file : files) {
            String name = "scenarios/" + file.getFileName();
            List<Placed> scenarios;
            try {
                scenarios = ScenarioFile.read(Files.readString(file));
            } catch (ScenarioFile.Invalid e) {
                results.add(CompletableFuture.completedFuture(new ScenarioResult(name, e.line(), e.column(),
                        "(file)", List.of("not a valid scenario file: " + e.getMessage()))));
                unfinished.add(null);
                continue;
            } catch (IOException e) {
                results.add(CompletableFuture.completedFuture(
                        new ScenarioResult(name, "(file)", List.of("cannot read: " + e.getMessage()))));
                unfinished.add(null);
                continue;
            }
            for (Placed placed : scenarios) {
                results.add(CompletableFuture.supplyAsync(() -> new ScenarioResult(name, placed.line(), placed.column(),
                        placed.scenario().name(), runOne(placed.scenario(), rules, accountZone)), RUNNERS));
                unfinished.add(new ScenarioResult(name, placed.line(), placed.column(), placed.scenario().name(),
                        List.of("not finished within the gate's " + GATE_TIME_LIMIT.toSeconds() + " s: the rules probably loop")));
            }
        }
        // Each run of the rules is bounded; this bounds the gate as a whole, so it cannot hold the reload lock.
        long deadline = System.nanoTime() + GATE_TIME_LIMIT.toNanos();
        List<ScenarioResult> done = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            try {
                done.add(results.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                results.get(i).cancel(true);
                done.add(unfinished.get(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.add(unfinished.get(i));
            } catch (ExecutionException e) {
                done.add(new ScenarioResult(unfinished.get(i).file(), unfinished.get(i).name(),
                        List.of("could not run: " + e.getCause())));
            }
        }
        return done;
    }

    /** A scenario and where it starts in its file. */
    record Placed(Scenario scenario, int line, int column) {}

    /** A file holds one scenario object or an array of them. */
    static List<Scenario> parse(String json) {
        return ScenarioFile.read(json).stream().map(Placed::scenario).toList();
    }

    static List<String> runOne(Scenario scenario, RuleSet rules, ZoneId accountZone) {
        try {
            World world = World.of(scenario.given());
            return scenario.isManualAssignment() ? checkManual(scenario, world, rules)
                    : checkRouting(scenario, world, rules, accountZone);
        } catch (RuntimeException e) {
            // The rule engine's message names the rule and constraint at fault; its class name helps nobody.
            return List.of("could not run: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static List<String> checkRouting(Scenario scenario, World world, RuleSet rules, ZoneId accountZone) {
        Scenario.Given given = scenario.given();
        RoutingSettings settings = given.settings() == null ? RoutingSettings.DEFAULT : given.settings();
        Scenario.ContactSpec spec = given.contact();
        Contact contact = spec == null ? null : new Contact(or(spec.id(), "contact"), or(spec.email(), "contact@customer.test"),
                or(spec.name(), "Contact"), spec.owner(), Boolean.TRUE.equals(spec.cookieTracked()));
        Scenario.MessageSpec m = given.message();
        IncomingMessage message = m == null ? new IncomingMessage("Hello", null) : new IncomingMessage(or(m.text(), ""), m.subject());
        RoutingFacts facts = new CandidateFactory().facts(world.directory, world.channel, world.inbox, settings, contact,
                message, id -> world.loads.getOrDefault(id, AgentLoad.NONE));
        RoutingEngine engine = new RoutingEngine(new ActiveRules(rules), new Random(0), clockOf(given.now(), accountZone));
        Decision decision = engine.decideOrThrow(facts, rules); // a run that is stopped fails the scenario, saying why

        List<String> failures = new ArrayList<>();
        JsonNode expect = scenario.expect();
        if (expect.has("assignee")) {
            String wanted = expect.get("assignee").isNull() ? null : expect.get("assignee").asText();
            if (!java.util.Objects.equals(wanted, decision.assignee())) {
                failures.add("expected assignee " + show(wanted) + " but got " + show(decision.assignee()));
            }
        }
        if (expect.has("assigneeOneOf")) {
            List<String> allowed = new ArrayList<>();
            expect.get("assigneeOneOf").forEach(n -> allowed.add(n.asText()));
            if (!allowed.contains(decision.assignee())) {
                failures.add("expected assignee one of " + allowed + " but got " + show(decision.assignee()));
            }
        }
        if (expect.has("strategy")) {
            String wanted = expect.get("strategy").asText();
            String actual = decision.strategy().name().toLowerCase();
            if (!wanted.equalsIgnoreCase(actual)) {
                failures.add("expected strategy " + wanted + " but got " + actual);
            }
        }
        if (expect.has("reasons")) {
            Map<String, List<String>> actual = new HashMap<>();
            for (CandidateOutcome c : decision.candidates()) {
                actual.computeIfAbsent(c.userId(), k -> new ArrayList<>()).addAll(c.reasons());
            }
            expect.get("reasons").fields().forEachRemaining(entry -> {
                List<String> wanted = new ArrayList<>();
                entry.getValue().forEach(n -> wanted.add(n.asText()));
                List<String> got = actual.getOrDefault(entry.getKey(), List.of());
                if (!new java.util.HashSet<>(got).equals(new java.util.HashSet<>(wanted))) {
                    failures.add("expected reasons for " + entry.getKey() + " " + wanted + " but got " + got);
                }
            });
        }
        if (expect.has("firedRules")) {
            expect.get("firedRules").forEach(n -> {
                if (!decision.firedRules().contains(n.asText())) {
                    failures.add("expected rule '" + n.asText() + "' to fire; fired: " + decision.firedRules());
                }
            });
        }
        if (expect.has("notifications")) {
            int wanted = expect.get("notifications").asInt();
            if (decision.notifications().size() != wanted) {
                failures.add("expected " + wanted + " notification(s) but got " + decision.notifications().size());
            }
        }
        return failures;
    }

    private static List<String> checkManual(Scenario scenario, World world, RuleSet rules) {
        Scenario.TargetSpec target = scenario.given().target();
        if (target == null) {
            return List.of("a manual-assignment scenario needs given.target");
        }
        Assignee assignee = new Assignee("team".equalsIgnoreCase(target.type()) ? AssigneeType.TEAM : AssigneeType.USER, target.id());
        Conversation conversation = new Conversation("scenario", world.channel.id(), world.channel.kind(), world.inbox.id(),
                null, ConversationStatus.OPEN, null, null, java.time.Instant.EPOCH, List.of(), List.of());
        List<String> refusals = new ManualAssignmentPolicy(new ActiveRules(rules))
                .refusals(world.directory, conversation, world.inbox, assignee, null);
        List<String> failures = new ArrayList<>();
        JsonNode expect = scenario.expect();
        if (expect.has("allowed") && expect.get("allowed").asBoolean() != refusals.isEmpty()) {
            failures.add("expected " + (expect.get("allowed").asBoolean() ? "allowed" : "refused") + " but got "
                    + (refusals.isEmpty() ? "allowed" : "refused " + refusals));
        }
        if (expect.has("refusals")) {
            List<String> wanted = new ArrayList<>();
            expect.get("refusals").forEach(n -> wanted.add(n.asText()));
            if (!new java.util.HashSet<>(wanted).equals(new java.util.HashSet<>(refusals))) {
                failures.add("expected refusals " + wanted + " but got " + refusals);
            }
        }
        return failures;
    }

    /**
     * The time a scenario decides at (R12): {@code given.now} in its own offset, or else Wednesday
     * 2026-01-07 12:00 in the account's zone, so that no scenario depends on when it runs.
     */
    static java.time.Clock clockOf(OffsetDateTime now, ZoneId accountZone) {
        return now != null ? java.time.Clock.fixed(now.toInstant(), now.getOffset())
                : java.time.Clock.fixed(DEFAULT_NOW.atZone(accountZone).toInstant(), accountZone);
    }

    static final LocalDateTime DEFAULT_NOW = LocalDateTime.of(2026, 1, 7, 12, 0);

    private static String or(String value, String otherwise) {
        return value == null ? otherwise : value;
    }

    private static String show(String userId) {
        return userId == null ? "none" : "'" + userId + "'";
    }

    /** The scenario's world as a directory and loads. */
    private record World(Directory directory, Inbox inbox, Channel channel, Map<String, AgentLoad> loads) {

        static World of(Scenario.Given given) {
            List<User> users = new ArrayList<>();
            Map<String, AgentLoad> loads = new HashMap<>();
            Map<String, Set<String>> primary = new LinkedHashMap<>();
            Map<String, Set<String>> secondary = new LinkedHashMap<>();
            for (Scenario.TeamSpec t : given.teams() == null ? List.<Scenario.TeamSpec>of() : given.teams()) {
                primary.computeIfAbsent(t.id(), k -> new LinkedHashSet<>()).addAll(t.primaryMembers() == null ? List.of() : t.primaryMembers());
                secondary.computeIfAbsent(t.id(), k -> new LinkedHashSet<>()).addAll(t.secondaryMembers() == null ? List.of() : t.secondaryMembers());
            }
            for (Scenario.UserSpec u : given.users() == null ? List.<Scenario.UserSpec>of() : given.users()) {
                users.add(new User(u.id(), or(u.name(), u.id()), or(u.email(), u.id() + "@example.com"),
                        u.seat() == null ? Seat.SERVICE : u.seat(), u.available() == null || u.available(),
                        u.active() == null || u.active(), u.chatCapacity()));
                loads.put(u.id(), new AgentLoad(u.openChats() == null ? 0 : u.openChats(), u.lastChatAssignedAt()));
                if (u.primaryTeam() != null) {
                    primary.computeIfAbsent(u.primaryTeam(), k -> new LinkedHashSet<>()).add(u.id());
                    secondary.computeIfAbsent(u.primaryTeam(), k -> new LinkedHashSet<>());
                }
                for (String team : u.teams() == null ? List.<String>of() : u.teams()) {
                    if (!team.equals(u.primaryTeam())) {
                        secondary.computeIfAbsent(team, k -> new LinkedHashSet<>()).add(u.id());
                        primary.computeIfAbsent(team, k -> new LinkedHashSet<>());
                    }
                }
            }
            List<Team> teams = new ArrayList<>();
            primary.forEach((id, members) -> teams.add(new Team(id, id, List.copyOf(members), List.copyOf(secondary.get(id)))));
            Scenario.InboxSpec i = given.inbox();
            Inbox inbox = i == null ? new Inbox("inbox", "Inbox", null) : new Inbox(or(i.id(), "inbox"), or(i.name(), "Inbox"), i.teams());
            if (given.channel() == null || given.channel().kind() == null) {
                throw new IllegalArgumentException("given.channel.kind is required");
            }
            Channel channel = new Channel(or(given.channel().id(), "channel"), inbox.id(), given.channel().kind(),
                    or(given.channel().name(), "Channel"));
            Directory directory = Directory.of(users, teams, List.of(inbox), List.of(channel), Map.of());
            return new World(directory, inbox, channel, loads);
        }
    }
}
