package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.world;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Directory;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;

/** A rule set that keeps firing is stopped; the conversation stays unassigned, saying why. */
class RulesThatLoopTest {

    private static RuleSet looping() throws IOException {
        Path file = Path.of("src/test/resources/hostile/modify-loop.drl");
        return new RuleSetCompiler().compile(List.of(RuleFile.of("modify-loop.drl", Files.readAllBytes(file))));
    }

    private static RoutingFacts facts() {
        World w = world().inbox("support").channel("ch", "support", ChannelKind.CHAT)
                .routing("ch", autoTo(List.of("ana", "bo"), null)).users(agent("ana"), agent("bo"));
        Directory dir = w.directory();
        var channel = dir.channel("ch").orElseThrow();
        return new CandidateFactory().facts(dir, channel, dir.inbox(channel.inboxId()).orElseThrow(), dir.settings("ch"),
                null, new IncomingMessage("Hello", null), id -> AgentLoad.NONE);
    }

    @Test
    void aRuleThatReFiresItselfForEverIsStoppedAndTheConversationStaysUnassignedWithTheReason() throws IOException {
        RuleSet rules = looping();
        RoutingEngine engine = new RoutingEngine(new ActiveRules(rules), new Random(0), Clock.systemUTC());

        long started = System.nanoTime();
        Decision decision = engine.decide(facts(), rules);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(RuleSet.RUN_TIME_LIMIT.plusSeconds(1));
        assertThat(decision.assignee()).isNull();
        assertThat(decision.notes()).singleElement().asString()
                .startsWith("left unassigned: the rules").contains("were stopped", "Re-fire for ever through update");
        assertThat(decision.candidates()).isNotEmpty()
                .allSatisfy(c -> assertThat(c.reasons()).containsExactly("the rules were stopped"));
        assertThat(decision.firedRules()).containsExactly("Re-fire for ever through update");
        assertThat(engine.rulesStopped()).isEqualTo(1);

        engine.decide(facts(), rules);
        assertThat(engine.rulesStopped()).as("counted for every request").isEqualTo(2);
    }

    @Test
    void aRunIsStoppedWhenItsTimeRunsOutBeforeItsFiringLimit() throws IOException {
        RuleSet rules = looping();
        assertThatThrownBy(() -> rules.run(Duration.ZERO, List.of(new IncomingMessage("Hello", null))))
                .isInstanceOf(RuleSet.RuleLoopException.class)
                .hasMessageContaining("ran for more than 0 ms");
    }
}
