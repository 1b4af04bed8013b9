package org.convrouter.routing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.convrouter.directory.Contact;
import org.convrouter.support.ForgetfulMap;

/**
 * The outcomes one rule set's rules reached, remembered by what they read: the channel, inbox and
 * settings, and only the fields of the contact, the message and each judged candidate that
 * {@link PureRuleCheck} found the rules may read. A request that agrees with an earlier one on all
 * of those gets the earlier outcome without running the rules: the rules are a function of exactly
 * those fields, so running them again could only give the same. On a channel the fields stay the
 * same from request to request until someone's availability, seat or the directory changes.
 * Bounded; thread-safe. Relies on what {@link CandidateFactory} guarantees: a request's candidates
 * are distinct users (one per role), so {@code ==} between two of them (which Drools reads as
 * {@code equals}) holds exactly when they are the same candidate, in every request alike.
 */
final class RuleOutcomes {

    /**
     * Outcomes kept per rule set before they are all forgotten. An entry holds a value per judged
     * candidate: a few hundred bytes when candidates are judged by profile, up to about 10 KB for
     * 500 candidates judged one by one, so at most about 10 MB per rule set.
     */
    private static final int LIMIT = 1024;

    private final ForgetfulMap<Key, RuleOutcome> remembered = new ForgetfulMap<>(LIMIT);
    private final Method[] contactFields;
    private final Method[] messageFields;
    /** Null when the rules read only profile fields of candidates: then a candidate's profile key stands for it. */
    private final Method[] candidateFields;

    private RuleOutcomes(PureRuleCheck.Reads reads) {
        this.contactFields = accessors(Contact.class, reads.contact());
        this.messageFields = accessors(IncomingMessage.class, reads.message());
        this.candidateFields = CandidateProfile.FIELDS.containsAll(reads.candidate()) ? null
                : accessors(Candidate.class, reads.candidate());
    }

    /** Outcomes of a rule set whose rules {@link PureRuleCheck} found to read only {@code reads}. */
    static RuleOutcomes reading(PureRuleCheck.Reads reads) {
        return new RuleOutcomes(reads);
    }

    /**
     * What the rules can see of one request, judging {@code judged}: equal keys, equal outcomes.
     * The channel, inbox and settings are taken whole, by identity: requests on a channel share the
     * directory snapshot's instances, and comparing the settings by value would walk every user
     * they name on every request. (An equal copy, as a new snapshot or a simulation makes, only
     * misses once.)
     */
    Key keyOf(RoutingFacts facts, List<Candidate> judged) {
        List<Object> parts = new ArrayList<>(4 + judged.size() * (candidateFields == null ? 0 : 1 + candidateFields.length));
        Contact contact = facts.contact();
        parts.add(contact != null);
        if (contact != null) {
            addFields(parts, contact, contactFields);
        }
        addFields(parts, facts.message(), messageFields);
        int[] profiles = null;
        if (candidateFields == null) {
            profiles = new int[judged.size()];
            for (int i = 0; i < profiles.length; i++) {
                profiles[i] = CandidateProfile.key(judged.get(i)); // the role is part of it
            }
        } else {
            for (Candidate candidate : judged) {
                parts.add(candidate.role());
                addFields(parts, candidate, candidateFields);
            }
        }
        return new Key(facts.channel(), facts.inbox(), facts.settings(), parts.toArray(), profiles);
    }

    RuleOutcome get(Key key) {
        return remembered.get(key);
    }

    void remember(Key key, RuleOutcome outcome) {
        remembered.put(key, outcome);
    }

    /** The parts of a request the rules can see: the channel, inbox and settings by identity, the rest by value. */
    static final class Key {
        private final Object channel;
        private final Object inbox;
        private final Object settings;
        private final Object[] parts;
        private final int[] profiles;
        private final int hash;

        private Key(Object channel, Object inbox, Object settings, Object[] parts, int[] profiles) {
            this.channel = channel;
            this.inbox = inbox;
            this.settings = settings;
            this.parts = parts;
            this.profiles = profiles;
            this.hash = ((System.identityHashCode(channel) * 31 + System.identityHashCode(inbox)) * 31
                    + System.identityHashCode(settings)) * 31 + Arrays.hashCode(parts) * 31 + Arrays.hashCode(profiles);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.hash == hash && key.channel == channel && key.inbox == inbox
                    && key.settings == settings && Arrays.equals(key.profiles, profiles) && Arrays.equals(key.parts, parts);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static void addFields(List<Object> parts, Object fact, Method[] fields) {
        for (Method field : fields) {
            try {
                parts.add(field.invoke(fact));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + field, e);
            }
        }
    }

    /** The accessors of the named record components, in declaration order. */
    private static Method[] accessors(Class<? extends Record> type, Set<String> names) {
        return Arrays.stream(type.getRecordComponents()).filter(c -> names.contains(c.getName()))
                .map(RecordComponent::getAccessor).toArray(Method[]::new);
    }
}
