package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void aShortCandidateListIsStoredInline() {
        DecisionCodec.Encoded stored = DecisionCodec.encode(decision);
        assertThat(stored.roster()).isNull();
        assertThat(DecisionCodec.decode(stored.body(), NO_ROSTERS)).isEqualTo(decision);
        assertThat(stored.body()).contains("\"candidates\":\"ana:S:;bo.b-1:O:0,1;cy_2:F:0\"", "\"reasons\":[\"away\",\"no paid seat\"]");
    }

    @Test
    void aLongCandidateListIsStoredOnceAsARosterAndEachDecisionKeepsOnlyItsOutcomes() {
        Decision first = many("d2", i -> i % 50 == 0 ? List.of("away") : List.of());
        Decision second = many("d3", i -> i < 3 ? List.of("no paid seat", "away") : List.of());

        DecisionCodec.Encoded a = DecisionCodec.encode(first);
        DecisionCodec.Encoded b = DecisionCodec.encode(second);
        assertThat(b.roster()).isEqualTo(a.roster()); // same users in the same order: one roster
        assertThat(a.roster().members()).startsWith("u00000:S;u00001:S;").endsWith(";u00199:S");
        assertThat(b.body()).contains("\"outcomes\":\"3*0,1;197*\"");
        Map<String, String> stored = Map.of(a.roster().id(), a.roster().members());
        assertThat(DecisionCodec.decode(a.body(), stored::get)).isEqualTo(first);
        assertThat(DecisionCodec.decode(b.body(), stored::get)).isEqualTo(second);
        assertThat(a.body().length()).isLessThan(Json.write(first).length() / 20);
    }

    @Test
    void decisionsSharingOneCandidateListEachKeepTheirOwnFieldsAndReadBackWhole() {
        Decision first = many("d7", i -> i % 4 == 0 ? List.of("away") : List.of());
        Decision second = new Decision("d8", "w", Strategy.RANDOM, first.candidates(), List.of("fired"), List.of("a note"),
                "u00001", List.of(), 9, Instant.parse("2026-12-01T00:00:00Z"));

        DecisionCodec.Encoded a = DecisionCodec.encode(first);
        DecisionCodec.Encoded b = DecisionCodec.encode(second);
        DecisionCodec.Encoded again = DecisionCodec.encode(withCandidates(second, new ArrayList<>(second.candidates())));

        Map<String, String> stored = Map.of(a.roster().id(), a.roster().members());
        assertThat(DecisionCodec.decode(a.body(), stored::get)).isEqualTo(first);
        assertThat(DecisionCodec.decode(b.body(), stored::get)).isEqualTo(second);
        assertThat(again.body()).isEqualTo(b.body()); // an equal copy of the list encodes the same
    }

    @Test
    void aDecisionStoredWithTheStrategyNoneReadsBackAsNoStrategyRule() {
        DecisionCodec.Encoded stored = DecisionCodec.encode(new Decision("d9", "v", Strategy.NO_STRATEGY_RULE,
                decision.candidates(), List.of(), List.of(), null, List.of(), 3, Instant.parse("2026-11-01T10:00:00Z")));
        String older = stored.body().replace("\"strategy\":\"no_strategy_rule\"", "\"strategy\":\"none\"");

        assertThat(older).contains("\"strategy\":\"none\"");
        assertThat(DecisionCodec.decode(older, NO_ROSTERS).strategy()).isEqualTo(Strategy.NO_STRATEGY_RULE);
    }

    @Test
    void anotherOrderOrRoleIsAnotherRoster() {
        Decision decision = many("d4", i -> List.of());
        List<CandidateOutcome> reversed = new ArrayList<>(decision.candidates());
        java.util.Collections.reverse(reversed);
        assertThat(DecisionCodec.encode(withCandidates(decision, reversed)).roster().id())
                .isNotEqualTo(DecisionCodec.encode(decision).roster().id());
    }

    @Test
    void aRosterIsNamedByTheHashOfItsMembersAndItsDecisionsKeepTheStoredForm() {
        Decision decision = many("d9", i -> i == 0 ? List.of("b") : i < 3 ? List.of("a", "b") : List.of());
        DecisionCodec.Encoded stored = DecisionCodec.encode(decision);
        String members = String.join(";", java.util.stream.IntStream.range(0, 200).mapToObj(i -> String.format("u%05d:S", i)).toList());
        assertThat(stored.roster()).isEqualTo(new DecisionCodec.StoredRoster(
                org.convrouter.support.Sha256.hex(members).substring(0, 32), members));
        // reasons are numbered in order of first appearance: "b" first, then "a"
        assertThat(stored.body()).isEqualTo("{\"v\":3,\"id\":\"d9\",\"ruleSetVersion\":\"v\",\"strategy\":\"least_busy\","
                + "\"reasons\":[\"b\",\"a\"],\"roster\":\"" + stored.roster().id() + "\",\"outcomes\":\"1*0;2*1,0;197*\","
                + "\"firedRules\":[],\"notes\":[],\"assignee\":null,\"notifications\":[],\"tookMicros\":1,"
                + "\"decidedAt\":\"1970-01-01T00:00:00Z\"}");
    }

    @Test
    void fifteenCandidatesAreInlineAndSixteenAreARoster() {
        Decision decision = many("d10", i -> List.of());
        assertThat(DecisionCodec.encode(withCandidates(decision, decision.candidates().subList(0, 15))).roster()).isNull();
        assertThat(DecisionCodec.encode(withCandidates(decision, decision.candidates().subList(0, 16))).roster().members())
                .endsWith(";u00015:S");
    }

    @Test
    void listsWhoseFingerprintsCollideGetTheirOwnRosters() {
        // "Aa" and "BB" have the same String.hashCode, so these lists share a fingerprint
        List<CandidateOutcome> withAa = new ArrayList<>(many("d11", i -> List.of()).candidates());
        List<CandidateOutcome> withBb = new ArrayList<>(withAa);
        withAa.set(5, new CandidateOutcome("Aa", CandidateRole.SELECTED, true, List.of()));
        withBb.set(5, new CandidateOutcome("BB", CandidateRole.SELECTED, true, List.of()));
        Decision first = withCandidates(many("d11", i -> List.of()), withAa);
        Decision second = withCandidates(many("d12", i -> List.of()), withBb);
        DecisionCodec.Encoded a = DecisionCodec.encode(first);
        DecisionCodec.Encoded b = DecisionCodec.encode(second);
        assertThat(b.roster().members()).contains(";BB:S;").doesNotContain("Aa");
        assertThat(DecisionCodec.decode(b.body(), Map.of(b.roster().id(), b.roster().members())::get)).isEqualTo(second);
        assertThat(DecisionCodec.encode(first).roster()).isEqualTo(a.roster());
    }

    @Test
    void aRosterListsExactlyItsOwnCandidatesInOrder() {
        List<CandidateOutcome> candidates = many("d7", i -> List.of()).candidates();
        DecisionCodec.StoredRoster roster = DecisionCodec.encode(many("d7", i -> List.of())).roster();
        assertThat(roster.lists(candidates)).isTrue();
        assertThat(roster.lists(candidates.subList(0, 199))).isFalse();
        List<CandidateOutcome> longer = new ArrayList<>(candidates);
        longer.add(new CandidateOutcome("u00200", CandidateRole.SELECTED, true, List.of()));
        assertThat(roster.lists(longer)).isFalse();
        List<CandidateOutcome> otherRole = new ArrayList<>(candidates);
        otherRole.set(7, new CandidateOutcome("u00007", CandidateRole.OWNER, true, List.of()));
        assertThat(roster.lists(otherRole)).isFalse();
        List<CandidateOutcome> prefixOfAnId = new ArrayList<>(candidates);
        prefixOfAnId.set(199, new CandidateOutcome("u0019", CandidateRole.SELECTED, true, List.of()));
        assertThat(roster.lists(prefixOfAnId)).isFalse();
        assertThat(DecisionCodec.encode(withCandidates(many("d8", i -> List.of()), otherRole)).roster())
                .isNotEqualTo(roster); // a list the memo has not seen is named afresh
    }

    @Test
    void aDecisionWhoseRosterIsMissingOrDoesNotFitFailsClearly() {
        DecisionCodec.Encoded stored = DecisionCodec.encode(many("d5", i -> List.of()));
        assertThatThrownBy(() -> DecisionCodec.decode(stored.body(), NO_ROSTERS))
                .hasMessageContaining("refers to roster " + stored.roster().id() + ", which is not stored");
        assertThatThrownBy(() -> DecisionCodec.decode(stored.body(), id -> "u1:S;u2:S"))
                .hasMessageContaining("has 200 outcomes for the 2 candidates of its roster");
    }

    @Test
    void decisionsStoredUnpackedStillRead() {
        assertThat(DecisionCodec.decode(Json.write(decision), NO_ROSTERS)).isEqualTo(decision);
    }

    @Test
    void longListsStoredInlineBeforeRostersStillRead() {
        Decision old = many("d6", i -> i % 3 == 0 ? List.of("away") : List.of());
        StringBuilder candidates = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            candidates.append(i == 0 ? "" : ";").append(String.format("u%05d:S:", i)).append(i % 3 == 0 ? "0" : "");
        }
        String v2 = "{\"v\":2,\"id\":\"d6\",\"ruleSetVersion\":\"v\",\"strategy\":\"least_busy\",\"reasons\":[\"away\"],"
                + "\"candidates\":\"" + candidates + "\",\"firedRules\":[],\"notes\":[],\"assignee\":null,"
                + "\"notifications\":[],\"tookMicros\":1,\"decidedAt\":\"1970-01-01T00:00:00Z\"}";
        assertThat(DecisionCodec.decode(v2, NO_ROSTERS)).isEqualTo(old);
    }

    private static final java.util.function.Function<String, String> NO_ROSTERS = id -> null;

    private static Decision many(String id, java.util.function.IntFunction<List<String>> reasons) {
        List<CandidateOutcome> candidates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<String> why = reasons.apply(i);
            candidates.add(new CandidateOutcome(String.format("u%05d", i), CandidateRole.SELECTED, why.isEmpty(), why));
        }
        return new Decision(id, "v", Strategy.LEAST_BUSY, candidates, List.of(), List.of(), null, List.of(), 1, Instant.EPOCH);
    }

    private static Decision withCandidates(Decision d, List<CandidateOutcome> candidates) {
        return new Decision(d.id(), d.ruleSetVersion(), d.strategy(), candidates, d.firedRules(), d.notes(), d.assignee(),
                d.notifications(), d.tookMicros(), d.decidedAt());
    }
}
