package org.convrouter.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.CandidateRole;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.routing.Strategy;
import org.convrouter.support.Json;
import org.convrouter.support.Sha256;

/**
 * The stored form of a decision. With hundreds of candidates per request the candidate list is
 * most of the bytes written (and journaled, and written again by the database's page writer), yet
 * on one channel it is the same list request after request: the same users, in the same order,
 * until the directory changes. So a long list is stored once, as a {@link StoredRoster} named by its
 * content, and each decision keeps only the roster's id and its outcomes, run-length encoded over
 * the roster's order ("150*;3*0,1;47*": 150 candidates with no reason, then 3 with reasons 0 and
 * 1, then 47 with none). Each distinct reason is written once per decision; the rest of the
 * decision is plain JSON. Short lists (contact owners, a few named users) stay inline as
 * {@code userId:role:reasonIndexes} entries ("u1:S:;u2:O:0,1"), as decisions stored before rosters
 * were.
 */
final class DecisionCodec {

    /** Below this many candidates the list is written inline: a roster row would cost more than it saves. */
    static final int ROSTER_MIN = 16;

    /** A decision's stored body, and the roster it refers to (null when its candidates are inline). */
    record Encoded(String body, StoredRoster roster) {}

    /** An ordered candidate list, {@code userId:roleInitial} entries joined by ';', named by its content's hash. */
    record StoredRoster(String id, String members) {
        static StoredRoster of(String members) {
            return new StoredRoster(Sha256.hex(members).substring(0, 32), members);
        }
    }

    private DecisionCodec() {}

    static Encoded encode(Decision d) {
        Map<String, Integer> reasonIndex = new LinkedHashMap<>();
        List<String> reasonLists = new ArrayList<>(d.candidates().size());
        for (CandidateOutcome c : d.candidates()) {
            StringBuilder indexes = new StringBuilder();
            for (int i = 0; i < c.reasons().size(); i++) {
                indexes.append(i == 0 ? "" : ",").append(reasonIndex.computeIfAbsent(c.reasons().get(i), r -> reasonIndex.size()));
            }
            reasonLists.add(indexes.toString());
        }
        List<String> reasons = List.copyOf(reasonIndex.keySet());
        if (d.candidates().size() < ROSTER_MIN) {
            StringBuilder packed = new StringBuilder(d.candidates().size() * 12);
            for (int i = 0; i < d.candidates().size(); i++) {
                CandidateOutcome c = d.candidates().get(i);
                packed.append(i == 0 ? "" : ";").append(member(c)).append(':').append(reasonLists.get(i));
            }
            return new Encoded(Json.write(new Packed(2, d.id(), d.ruleSetVersion(), d.strategy(), reasons, packed.toString(),
                    d.firedRules(), d.notes(), d.assignee(), d.notifications(), d.tookMicros(), d.decidedAt().toString())), null);
        }
        StoredRoster roster = StoredRoster.of(d.candidates().stream().map(DecisionCodec::member).collect(Collectors.joining(";")));
        return new Encoded(Json.write(new OnRoster(3, d.id(), d.ruleSetVersion(), d.strategy(), reasons, roster.id(),
                runs(reasonLists), d.firedRules(), d.notes(), d.assignee(), d.notifications(), d.tookMicros(),
                d.decidedAt().toString())), roster);
    }

    private static String member(CandidateOutcome c) {
        return c.userId() + ':' + c.role().name().charAt(0);
    }

    /** "count*indexes" for each run of equal reason lists, joined by ';'. */
    private static String runs(List<String> reasonLists) {
        StringBuilder runs = new StringBuilder();
        int start = 0;
        for (int i = 1; i <= reasonLists.size(); i++) {
            if (i == reasonLists.size() || !reasonLists.get(i).equals(reasonLists.get(start))) {
                runs.append(runs.isEmpty() ? "" : ";").append(i - start).append('*').append(reasonLists.get(start));
                start = i;
            }
        }
        return runs.toString();
    }

    /** Version 2: candidates inline. The stored fields in their stored order, written straight from the record. */
    private record Packed(int v, String id, String ruleSetVersion, Strategy strategy, List<String> reasons,
                          String candidates, List<String> firedRules, List<String> notes, String assignee,
                          List<Notification> notifications, long tookMicros, String decidedAt) {}

    /** Version 3: candidates on a roster. */
    private record OnRoster(int v, String id, String ruleSetVersion, Strategy strategy, List<String> reasons,
                            String roster, String outcomes, List<String> firedRules, List<String> notes,
                            String assignee, List<Notification> notifications, long tookMicros, String decidedAt) {}

    /** {@code rosters} gives a stored roster's members by id (only asked for decisions stored on one). */
    static Decision decode(String stored, Function<String, String> rosters) {
        JsonNode node = Json.read(stored, JsonNode.class);
        if (!node.has("v")) {
            return Json.read(stored, Decision.class); // an unpacked decision
        }
        List<String> reasons = new ArrayList<>();
        node.get("reasons").forEach(r -> reasons.add(r.asText()));
        List<CandidateOutcome> candidates = new ArrayList<>();
        if (node.has("roster")) {
            String members = rosters.apply(node.get("roster").asText());
            if (members == null) {
                throw new IllegalStateException("decision " + node.get("id").asText() + " refers to roster "
                        + node.get("roster").asText() + ", which is not stored");
            }
            List<String> reasonLists = expand(node.get("outcomes").asText());
            String[] entries = members.split(";");
            if (reasonLists.size() != entries.length) {
                throw new IllegalStateException("decision " + node.get("id").asText() + " has " + reasonLists.size()
                        + " outcomes for the " + entries.length + " candidates of its roster");
            }
            for (int i = 0; i < entries.length; i++) {
                String[] member = entries[i].split(":");
                candidates.add(outcome(member[0], member[1], reasonLists.get(i), reasons));
            }
        } else {
            String packed = node.get("candidates").asText();
            if (!packed.isEmpty()) {
                for (String entry : packed.split(";")) {
                    String[] parts = entry.split(":", -1);
                    candidates.add(outcome(parts[0], parts[1], parts[2], reasons));
                }
            }
        }
        ObjectNode rest = (ObjectNode) node;
        rest.remove(List.of("v", "reasons", "roster", "outcomes"));
        rest.set("candidates", Json.mapper().valueToTree(candidates));
        return Json.mapper().convertValue(rest, Decision.class);
    }

    private static List<String> expand(String runs) {
        List<String> reasonLists = new ArrayList<>();
        for (String run : runs.split(";")) {
            int star = run.indexOf('*');
            String indexes = run.substring(star + 1);
            for (int n = Integer.parseInt(run.substring(0, star)); n > 0; n--) {
                reasonLists.add(indexes);
            }
        }
        return reasonLists;
    }

    /** {@code reasonIndexes}: indexes into {@code reasons}, joined by ','; empty for an eligible candidate. */
    private static CandidateOutcome outcome(String userId, String roleInitial, String reasonIndexes, List<String> reasons) {
        List<String> why = new ArrayList<>();
        if (!reasonIndexes.isEmpty()) {
            for (String index : reasonIndexes.split(",")) {
                why.add(reasons.get(Integer.parseInt(index)));
            }
        }
        return new CandidateOutcome(userId, role(roleInitial.charAt(0)), why.isEmpty(), why);
    }

    private static CandidateRole role(char initial) {
        for (CandidateRole role : CandidateRole.values()) {
            if (role.name().charAt(0) == initial) {
                return role;
            }
        }
        throw new IllegalStateException("unknown candidate role '" + initial + "'");
    }
}
