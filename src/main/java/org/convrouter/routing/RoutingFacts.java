package org.convrouter.routing;

import java.util.List;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;

/**
 * Everything one routing request puts in front of the rules. {@code contact} may be null.
 * {@code grouping}, when not null, is how {@code candidates} group by profile, as their roster
 * worked it out (see {@link CandidateFactory}); when null the engine works it out itself.
 */
public record RoutingFacts(
        Channel channel,
        Inbox inbox,
        RoutingSettings settings,
        Contact contact,
        IncomingMessage message,
        List<Candidate> candidates,
        ProfileGrouping grouping) {

    public RoutingFacts {
        candidates = List.copyOf(candidates);
        if (grouping != null && grouping.size() != candidates.size()) {
            throw new IllegalArgumentException("a grouping of " + grouping.size() + " for " + candidates.size() + " candidates");
        }
    }

    public RoutingFacts(Channel channel, Inbox inbox, RoutingSettings settings, Contact contact, IncomingMessage message,
                        List<Candidate> candidates) {
        this(channel, inbox, settings, contact, message, candidates, null);
    }
}
