package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.CandidateRole;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.routing.Strategy;
import org.convrouter.support.Json;
import org.junit.jupiter.api.Test;

class DecisionCodecTest {

    private final Decision decision = new Decision("d1", "abcdefabcdef", Strategy.LEAST_BUSY, List.of(
            new CandidateOutcome("ana", CandidateRole.SELECTED, true, List.of()),
            new CandidateOutcome("bo.b-1", CandidateRole.OWNER, false, List.of("away", "no paid seat")),
            new CandidateOutcome("cy_2", CandidateRole.FALLBACK, false, List.of("away"))),
            List.of("rule one"), List.of("least busy of 1 eligible user (0 open chats)"), "ana",
            List.of(new Notification("email", "bo.b-1", "bo@example.com", "New", "Hi; there: 1,2")), 57,
            Instant.parse("2026-11-01T10:00:00.123456Z"));

    @Test
    void aDecisionRoundTripsThroughItsPackedForm() {
        String stored = DecisionCodec.encode(decision);
        assertThat(DecisionCodec.decode(stored)).isEqualTo(decision);
        assertThat(stored).contains("\"candidates\":\"ana:S:;bo.b-1:O:0,1;cy_2:F:0\"", "\"reasons\":[\"away\",\"no paid seat\"]");
    }

    @Test
    void thePackedFormIsMuchSmallerForManyCandidates() {
        List<CandidateOutcome> many = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(new CandidateOutcome(String.format("u%05d", i), CandidateRole.SELECTED, i % 3 != 0,
                    i % 3 == 0 ? List.of("away") : List.of()));
        }
        Decision big = new Decision("d2", "v", Strategy.LEAST_BUSY, many, List.of(), List.of(), null, List.of(), 1, Instant.EPOCH);
        assertThat(DecisionCodec.decode(DecisionCodec.encode(big))).isEqualTo(big);
        assertThat(DecisionCodec.encode(big).length()).isLessThan(Json.write(big).length() / 3);
    }

    @Test
    void decisionsStoredUnpackedStillRead() {
        assertThat(DecisionCodec.decode(Json.write(decision))).isEqualTo(decision);
    }
}
