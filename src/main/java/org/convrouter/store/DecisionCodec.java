package org.convrouter.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.CandidateRole;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.routing.Strategy;
import org.convrouter.support.Json;

/**
 * The stored form of a decision. With hundreds of candidates per request the candidate list is
 * most of the bytes written, so it is packed: each distinct reason is written once, and each
 * candidate as {@code userId:role:reasonIndexes} in one string ("u1:s:;u2:s:0,1"). The rest of
 * the decision is plain JSON. Prose stays readable in the reasons dictionary.
 */
final class DecisionCodec {

    private DecisionCodec() {}

    static String encode(Decision d) {
        Map<String, Integer> reasonIndex = new LinkedHashMap<>();
        StringBuilder packed = new StringBuilder(d.candidates().size() * 12);
        for (CandidateOutcome c : d.candidates()) {
            if (!packed.isEmpty()) {
                packed.append(';');
            }
            packed.append(c.userId()).append(':').append(c.role().name().charAt(0)).append(':');
            for (int i = 0; i < c.reasons().size(); i++) {
                Integer index = reasonIndex.computeIfAbsent(c.reasons().get(i), r -> reasonIndex.size());
                packed.append(i == 0 ? "" : ",").append(index);
            }
        }
        return Json.write(new Packed(2, d.id(), d.ruleSetVersion(), d.strategy(), List.copyOf(reasonIndex.keySet()),
                packed.toString(), d.firedRules(), d.notes(), d.assignee(), d.notifications(), d.tookMicros(),
                d.decidedAt().toString()));
    }

    /** The stored fields, in their stored order; written straight from the record, with no tree in between. */
    private record Packed(int v, String id, String ruleSetVersion, Strategy strategy, List<String> reasons,
                          String candidates, List<String> firedRules, List<String> notes, String assignee,
                          List<Notification> notifications, long tookMicros, String decidedAt) {}

    static Decision decode(String stored) {
        JsonNode node = Json.read(stored, JsonNode.class);
        if (!node.has("v")) {
            return Json.read(stored, Decision.class); // an unpacked decision
        }
        List<String> reasons = new ArrayList<>();
        node.get("reasons").forEach(r -> reasons.add(r.asText()));
        List<CandidateOutcome> candidates = new ArrayList<>();
        String packed = node.get("candidates").asText();
        if (!packed.isEmpty()) {
            for (String entry : packed.split(";")) {
                String[] parts = entry.split(":", -1);
                List<String> why = new ArrayList<>();
                if (!parts[2].isEmpty()) {
                    for (String index : parts[2].split(",")) {
                        why.add(reasons.get(Integer.parseInt(index)));
                    }
                }
                candidates.add(new CandidateOutcome(parts[0], role(parts[1].charAt(0)), why.isEmpty(), why));
            }
        }
        ObjectNode rest = (ObjectNode) node;
        rest.remove(List.of("v", "reasons"));
        rest.set("candidates", Json.mapper().valueToTree(candidates));
        return Json.mapper().convertValue(rest, Decision.class);
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
