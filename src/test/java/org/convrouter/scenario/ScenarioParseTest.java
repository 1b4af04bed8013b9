package org.convrouter.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A scenario that cannot check what its author meant must not load, let alone pass. */
class ScenarioParseTest {

    private static String scenario(String kind, String expect) {
        return """
                {"name": "example", %s "given": {"users": [{"id": "ana"}], "channel": {"kind": "chat"}},
                 "expect": %s}""".formatted(kind == null ? "" : "\"kind\": \"" + kind + "\",", expect);
    }

    @Test
    void everyKnownRoutingExpectationIsAccepted() throws Exception {
        String expect = """
                {"assignee": "ana", "assigneeOneOf": ["ana"], "strategy": "least_busy", "reasons": {},
                 "firedRules": [], "notifications": 0}""";
        assertThat(ScenarioRunner.parse(scenario(null, expect))).singleElement()
                .satisfies(s -> assertThat(s.expect().size()).isEqualTo(6));
        assertThat(ScenarioRunner.parse(scenario("manual-assignment", "{\"allowed\": true, \"refusals\": []}")))
                .hasSize(1);
    }

    @Test
    void aMisspeltExpectationIsRefusedAndNamesTheKnownOnes() {
        assertThatThrownBy(() -> ScenarioRunner.parse(scenario(null, "{\"asignee\": \"ana\"}")))
                .hasMessageContaining("unknown expectation 'asignee'").hasMessageContaining("assignee, assigneeOneOf");
    }

    @Test
    void aRoutingExpectationInAManualScenarioIsRefused() {
        assertThatThrownBy(() -> ScenarioRunner.parse(scenario("manual-assignment", "{\"assignee\": \"ana\"}")))
                .hasMessageContaining("unknown expectation 'assignee'").hasMessageContaining("allowed, refusals");
    }

    @Test
    void anUnknownKindIsRefused() {
        assertThatThrownBy(() -> ScenarioRunner.parse(scenario("manual", "{\"allowed\": true}")))
                .hasMessageContaining("unknown kind 'manual'");
    }

    @Test
    void anExpectationThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> ScenarioRunner.parse(scenario(null, "[\"ana\"]")))
                .hasMessageContaining("expect must be an object");
    }
}
