package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.world;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.convrouter.Policy;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Directory;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An analyst edits a .drl file; the behaviour changes with no Java recompiled. */
class PolicyEditTest {

    @TempDir
    Path rules;

    @Test
    void editingStrategyDrlMakesEmailGoToTheLeastBusyUser() throws IOException {
        Policy.copyRulesTo(rules);
        RuleSetCompiler compiler = new RuleSetCompiler();
        ActiveRules active = new ActiveRules(compiler.compile(rules));
        World w = world().inbox("support").channel("mail", "support", ChannelKind.EMAIL)
                .routing("mail", autoTo(List.of("ana", "bo"), List.of())).users(agent("ana"), agent("bo"));
        AgentLoads loads = id -> id.equals("ana") ? new AgentLoad(5, null) : AgentLoad.NONE;
        RoutingEngine engine = new RoutingEngine(active, new Random(1), Clock.systemUTC());

        assertThat(decideEmail(engine, w.directory(), loads).strategy()).isEqualTo(Strategy.RANDOM);

        Path strategy = rules.resolve("strategy.drl");
        String edited = Files.readString(strategy).replace(
                "$decision.useStrategy( Strategy.RANDOM );", "$decision.useStrategy( Strategy.LEAST_BUSY );");
        Files.writeString(strategy, edited);
        active.activate(compiler.compile(rules));

        for (int i = 0; i < 20; i++) {
            Decision decision = decideEmail(engine, w.directory(), loads);
            assertThat(decision.strategy()).isEqualTo(Strategy.LEAST_BUSY);
            assertThat(decision.assignee()).isEqualTo("bo");
        }
    }

    @Test
    void addingARuleFileExcludesATeamFromChats() throws IOException {
        Policy.copyRulesTo(rules);
        Files.writeString(rules.resolve("escalations.drl"), ExtraRules.HEADER + ExtraRules.ESCALATIONS);
        ActiveRules active = new ActiveRules(new RuleSetCompiler().compile(rules));
        World w = world().inbox("support").channel("chat", "support", ChannelKind.CHAT)
                .routing("chat", autoTo(List.of("ana", "bo"), List.of())).users(agent("ana"), agent("bo"))
                .team("escalations", List.of("ana"), List.of());
        Directory dir = w.directory();
        var channel = dir.channel("chat").orElseThrow();
        var inbox = dir.inbox("support").orElseThrow();
        var settings = dir.settings("chat");
        Decision decision = new RoutingEngine(active, new Random(1), Clock.systemUTC()).decide(
                new CandidateFactory().facts(dir, channel, inbox, settings, null, new IncomingMessage("hi", null),
                        id -> AgentLoad.NONE));
        assertThat(decision.assignee()).isEqualTo("bo");
        assertThat(decision.candidates().get(0).reasons()).containsExactly("on the Escalations team");
    }

    /** R1 holds whatever a strategy rule names: an excluded candidate is never assigned automatically. */
    @Test
    void R1_aStrategyRuleThatAssignsAnExcludedCandidateLeavesItUnassignedAndSaysWhy() throws IOException {
        Policy.copyRulesTo(rules);
        Files.writeString(rules.resolve("ana-first.drl"), ExtraRules.HEADER + """
                rule "Ana takes every email"
                    salience 50
                    activation-group "strategy"
                when
                    $decision : RoutingDecision()
                    Channel( kind == ChannelKind.EMAIL )
                    $ana : Candidate( userId == "ana" )
                then
                    $decision.assignTo( $ana, Strategy.RANDOM );
                end
                """);
        RoutingEngine engine = new RoutingEngine(new ActiveRules(new RuleSetCompiler().compile(rules)), new Random(1),
                Clock.systemUTC());
        World w = world().inbox("support").channel("mail", "support", ChannelKind.EMAIL)
                .routing("mail", autoTo(List.of("ana", "bo"), List.of())).users(agent("ana"), agent("bo"));

        for (int i = 0; i < 10; i++) {
            assertThat(decideEmail(engine, w.directory(), id -> AgentLoad.NONE).assignee())
                    .as("the named candidate wins over the strategy's own pick").isEqualTo("ana");
        }

        w.users(World.away("ana")); // onlyAvailable is on: R1 excludes her
        Decision decision = decideEmail(engine, w.directory(), id -> AgentLoad.NONE);
        assertThat(decision.assignee()).isNull();
        assertThat(decision.candidates().get(0).eligible()).isFalse();
        assertThat(decision.notes()).anySatisfy(note -> assertThat(note)
                .isEqualTo("the rules assigned Ana (ana), who is not eligible, so it was left unassigned"));
    }

    private static Decision decideEmail(RoutingEngine engine, Directory dir, AgentLoads loads) {
        var channel = dir.channel("mail").orElseThrow();
        var inbox = dir.inbox("support").orElseThrow();
        var settings = dir.settings("mail");
        return engine.decide(new CandidateFactory().facts(dir, channel, inbox, settings, null, new IncomingMessage("hi", null), loads));
    }
}
