package org.convrouter.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.CandidateRole;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.routing.Strategy;
import org.convrouter.support.ForgetfulMap;
import org.convrouter.support.Json;
import org.convrouter.support.Sha256;

/**
 * The stored form of a decision. With hundreds of candidates per request the candidate list is
 * most of the bytes written (and written again by the database's page writer), yet
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

        /** True when these are exactly the candidates' users and roles, in order; reads without allocating. */
        boolean lists(List<CandidateOutcome> candidates) {
            int at = 0;
            for (CandidateOutcome c : candidates) {
                int colon = at + c.userId().length();
                if (colon + 2 > members.length() || !members.startsWith(c.userId(), at) || members.charAt(colon) != ':'
                        || members.charAt(colon + 1) != initial(c)
                        || colon + 2 < members.length() && members.charAt(colon + 2) != ';') {
                    return false;
                }
                at = colon + 3;
            }
            return at == members.length() + 1;
        }
    }

    /**
     * Rosters named lately, by a fingerprint of their candidates. A channel's list is the same request
     * after request, so this spares each decision joining and hashing a list of hundreds of users
     * (which cost more than the rest of its encoding); a fingerprint's roster is used only when it
     * {@link StoredRoster#lists lists} exactly these candidates. A memo of a pure function.
     */
    private static final ForgetfulMap<Long, StoredRoster> RECENT_ROSTERS = new ForgetfulMap<>(256); // a roster of 1,000 users is ~25 KB

    private DecisionCodec() {}

    static Encoded encode(Decision d) {
        List<CandidateOutcome> candidates = d.candidates();
        Map<String, Integer> reasonIndex = new LinkedHashMap<>();
        if (candidates.size() < ROSTER_MIN) {
            StringBuilder packed = new StringBuilder(candidates.size() * 12);
            for (int i = 0; i < candidates.size(); i++) {
                CandidateOutcome c = candidates.get(i);
                packed.append(i == 0 ? "" : ";").append(c.userId()).append(':').append(initial(c)).append(':')
                        .append(indexes(c.reasons(), reasonIndex));
            }
            return new Encoded(Json.write(new Packed(2, d.id(), d.ruleSetVersion(), d.strategy(), List.copyOf(reasonIndex.keySet()),
                    packed.toString(), d.firedRules(), d.notes(), d.assignee(), d.notifications(), d.tookMicros(),
                    d.decidedAt().toString())), null);
        }
        String outcomes = runs(candidates, reasonIndex);
        StoredRoster roster = roster(candidates);
        return new Encoded(Json.write(new OnRoster(3, d.id(), d.ruleSetVersion(), d.strategy(), List.copyOf(reasonIndex.keySet()),
                roster.id(), outcomes, d.firedRules(), d.notes(), d.assignee(), d.notifications(), d.tookMicros(),
                d.decidedAt().toString())), roster);
    }

    private static StoredRoster roster(List<CandidateOutcome> candidates) {
        long fingerprint = candidates.size();
        for (CandidateOutcome c : candidates) {
            fingerprint = fingerprint * 1_000_003 + c.userId().hashCode() * 31L + c.role().ordinal();
        }
        StoredRoster recent = RECENT_ROSTERS.get(fingerprint);
        if (recent != null && recent.lists(candidates)) {
            return recent;
        }
        StringBuilder members = new StringBuilder(candidates.size() * 10);
        for (CandidateOutcome c : candidates) {
            members.append(members.isEmpty() ? "" : ";").append(c.userId()).append(':').append(initial(c));
        }
        StoredRoster roster = StoredRoster.of(members.toString());
        RECENT_ROSTERS.put(fingerprint, roster);
        return roster;
    }

    private static char initial(CandidateOutcome c) {
        return c.role().name().charAt(0);
    }

    /** The reasons' indexes in {@code reasonIndex} (each new reason gets the next), joined by ','. */
    private static String indexes(List<String> reasons, Map<String, Integer> reasonIndex) {
        StringBuilder indexes = new StringBuilder();
        for (int i = 0; i < reasons.size(); i++) {
            indexes.append(i == 0 ? "" : ",").append(reasonIndex.computeIfAbsent(reasons.get(i), r -> reasonIndex.size()));
        }
        return indexes.toString();
    }

    /** "count*indexes" for each run of candidates with equal reasons, joined by ';'. */
    private static String runs(List<CandidateOutcome> candidates, Map<String, Integer> reasonIndex) {
        StringBuilder runs = new StringBuilder();
        int start = 0;
        for (int i = 1; i <= candidates.size(); i++) {
            List<String> reasons = candidates.get(start).reasons();
            if (i == candidates.size() || !candidates.get(i).reasons().equals(reasons)) {
                runs.append(runs.isEmpty() ? "" : ";").append(i - start).append('*').append(indexes(reasons, reasonIndex));
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
