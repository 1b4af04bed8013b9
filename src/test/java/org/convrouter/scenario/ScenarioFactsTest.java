package org.convrouter.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.convrouter.Policy;
import org.convrouter.rules.RuleFile;
import org.convrouter.rules.RuleSet;
import org.convrouter.rules.RuleSetCompiler;
import org.junit.jupiter.api.Test;

/** A scenario can state every fact the rules read, and the rules see exactly what it states. */
class ScenarioFactsTest {

    /** One exclusion per fact a scenario can state, naming what the rule saw. */
    private static final String EVERY_FACT = """
            package policy;
            import org.convrouter.routing.*;
            import org.convrouter.directory.*;

            rule "Every stated fact reaches the rules"
                salience 100
            when
                Contact( id == "c-7", email == "pat@vip.example", name == "Pat", owner == "ana", cookieTracked )
                IncomingMessage( subject == "Refund", text == "Please" )
                Channel( id == "web-chat", name == "Web chat", kind == ChannelKind.CHAT )
                Inbox( id == "vip-inbox", name == "VIP" )
                Clock( localTime.hour == 22, localTime.minute == 15, zoneId == "+01:00" )
                $c : Candidate( userId == "ana", primaryTeam == "vip", memberOf( "nights" ), openChats == 2,
                                chatCapacity == 4, lastChatAssignedAt != null )
            then
                insert( new Exclusion( $c, "saw everything" ) );
            end
            """;

    private static final String SCENARIO = """
            {"name": "every fact",
             "given": {
               "now": "2026-01-07T22:15:00+01:00",
               "users": [{"id": "ana", "primaryTeam": "vip", "teams": ["nights"], "openChats": 2, "chatCapacity": 4,
                          "lastChatAssignedAt": "2026-01-07T20:00:00Z"}],
               "teams": [{"id": "support", "primaryMembers": [], "secondaryMembers": ["ana"]}],
               "inbox": {"id": "vip-inbox", "name": "VIP", "teams": ["vip"]},
               "channel": {"id": "web-chat", "kind": "chat", "name": "Web chat"},
               "settings": {"autoAssign": true, "assignTo": {"type": "users_and_teams", "users": ["ana"], "teams": []},
                            "onlyAvailable": true},
               "contact": {"id": "c-7", "email": "pat@vip.example", "name": "Pat", "owner": "ana", "cookieTracked": true},
               "message": {"subject": "Refund", "text": "Please"}
             },
             "expect": {"reasons": {"ana": ["saw everything"]}, "assignee": null}}
            """;

    @Test
    void everyFactAScenarioStatesReachesTheRules() {
        List<RuleFile> files = new ArrayList<>(RuleSetCompiler.read(Policy.RULES));
        files.add(RuleFile.of("every-fact.drl", EVERY_FACT.getBytes(StandardCharsets.UTF_8)));
        RuleSet rules = new RuleSetCompiler().compile(files);

        Scenario scenario = ScenarioRunner.parse(SCENARIO).get(0);

        assertThat(ScenarioRunner.runOne(scenario, rules, ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void aMessageIsTextOrSubjectAndText() {
        String base = """
                {"name": "m", "given": {"channel": {"kind": "email"}, "message": %s}, "expect": {}}""";
        assertThat(ScenarioRunner.parse(base.formatted("\"Hello\"")).get(0).given().message())
                .isEqualTo(new Scenario.MessageSpec(null, "Hello"));
        assertThat(ScenarioRunner.parse(base.formatted("{\"subject\": \"Refund\", \"text\": \"Hi\"}")).get(0).given().message())
                .isEqualTo(new Scenario.MessageSpec("Refund", "Hi"));
    }

    @Test
    void R12_aScenarioWithoutATimeRunsOnWednesdayAtNoonInTheAccountZone() {
        java.time.Clock clock = ScenarioRunner.clockOf(null, ZoneId.of("Europe/Paris"));

        assertThat(clock.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-07T11:00:00Z"));
        assertThat(clock.instant().atZone(clock.getZone()).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.WEDNESDAY);
    }

    @Test
    void R12_aScenarioTimeIsSeenInItsOwnOffset() {
        java.time.Clock clock = ScenarioRunner.clockOf(OffsetDateTime.parse("2026-01-07T22:00:00+01:00"), ZoneId.of("UTC"));

        assertThat(clock.getZone()).isEqualTo(ZoneOffset.ofHours(1));
        assertThat(clock.instant().atZone(clock.getZone()).getHour()).isEqualTo(22);
    }

    @Test
    void R12_aTimeWithoutAnOffsetIsRefused() {
        assertThatThrownBy(() -> ScenarioRunner.parse("""
                {"name": "n", "given": {"channel": {"kind": "chat"}, "now": "2026-01-07T22:00:00"}, "expect": {}}"""))
                .hasMessageContaining("given.now: '2026-01-07T22:00:00' is not a time with its offset");
    }

    @Test
    void anUnknownFieldIsRefusedWithItsPathLineAndTheFieldsAllowedAndNoJavaNames() {
        String json = """
                [
                  {"name": "ok", "given": {"channel": {"kind": "chat"}}, "expect": {}},
                  {"name": "typo",
                   "given": {"channel": {"kind": "chat"},
                             "contact": {"mail": "pat@vip.example"}},
                   "expect": {}}
                ]""";

        assertThatThrownBy(() -> ScenarioFile.read(json))
                .isInstanceOfSatisfying(ScenarioFile.Invalid.class, e -> {
                    assertThat(e.line()).isEqualTo(5);
                    assertThat(e.getMessage()).isEqualTo(
                            "unknown field 'mail' in given.contact (allowed: cookieTracked, email, id, name, owner)");
                });
    }

    @Test
    void aWrongValueNamesTheFieldAndTheValuesAllowed() {
        assertThatThrownBy(() -> ScenarioRunner.parse("""
                {"name": "n", "given": {"channel": {"kind": "sms"}}, "expect": {}}"""))
                .hasMessage("given.channel.kind: 'sms' is not one of [email, chat, bot, messenger, form]")
                .hasMessageNotContaining("org.convrouter");
    }

    @Test
    void eachScenarioIsPlacedAtTheLineWhereItStarts() {
        List<ScenarioRunner.Placed> placed = ScenarioFile.read("""
                [
                  {"name": "one", "given": {"channel": {"kind": "chat"}}, "expect": {}},

                  {"name": "two", "given": {"channel": {"kind": "chat"}}, "expect": {}}
                ]""");

        assertThat(placed).extracting(ScenarioRunner.Placed::line).containsExactly(2, 4);
    }
}
