package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.world;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Directory;
import org.convrouter.rules.ActiveRules;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;

/** R12: rules read the decision's time only from the Clock fact, in the account's time zone. */
class ClockFactTest {

    /** Excludes everyone when the clock, as the rules see it, shows Wednesday after 22:00 in Paris. */
    private static final String LATE_IN_PARIS = """
            import java.time.DayOfWeek;
            rule "Nobody takes chats late on Wednesday in Paris"
                salience 100
            when
                Clock( dayOfWeek == DayOfWeek.WEDNESDAY, localTime.hour >= 22, zoneId == "Europe/Paris" )
                $c : Candidate( role == CandidateRole.SELECTED )
            then
                insert( new Exclusion( $c, "late in Paris" ) );
            end
            """;

    private static final Instant WEDNESDAY_21_30_UTC = Instant.parse("2026-01-07T21:30:00Z");

    @Test
    void R12_theClockShowsTheDecisionTimeInTheAccountZoneReadAtEachDecision() {
        RuleSet rules = new RuleSetCompiler().compile(ExtraRules.withRules(LATE_IN_PARIS));
        AtomicReference<ZoneId> accountZone = new AtomicReference<>(ZoneId.of("Europe/Paris"));
        RoutingEngine engine = new RoutingEngine(new ActiveRules(rules), new Random(1),
                java.time.Clock.fixed(WEDNESDAY_21_30_UTC, ZoneId.of("UTC")), accountZone::get, () -> "id");

        Decision inParis = engine.decide(chat());
        assertThat(inParis.assignee()).isNull();
        assertThat(inParis.candidates()).allSatisfy(c -> assertThat(c.reasons()).containsExactly("late in Paris"));
        assertThat(inParis.decidedAt()).isEqualTo(WEDNESDAY_21_30_UTC);

        accountZone.set(ZoneId.of("UTC")); // 21:30 there: the rule does not fire
        assertThat(engine.decide(chat()).assignee()).isEqualTo("ana");
    }

    @Test
    void R12_theClockFactHoldsLocalTimeDayDateAndZone() {
        Clock clock = Clock.at(WEDNESDAY_21_30_UTC, ZoneId.of("Asia/Tokyo"));

        assertThat(clock.localTime()).isEqualTo(java.time.LocalTime.of(6, 30));
        assertThat(clock.dayOfWeek()).isEqualTo(java.time.DayOfWeek.THURSDAY);
        assertThat(clock.date()).isEqualTo(java.time.LocalDate.of(2026, 1, 8));
        assertThat(clock.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    }

    private static RoutingFacts chat() {
        World w = world().inbox("support").channel("chat", "support", ChannelKind.CHAT)
                .routing("chat", autoTo(List.of("ana"), List.of())).users(agent("ana"));
        Directory dir = w.directory();
        return new CandidateFactory().facts(dir, dir.channel("chat").orElseThrow(), dir.inbox("support").orElseThrow(),
                dir.settings("chat"), null, new IncomingMessage("hi", null), id -> AgentLoad.NONE);
    }
}
