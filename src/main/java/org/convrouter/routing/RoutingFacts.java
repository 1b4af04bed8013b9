package org.convrouter.routing;

import java.util.List;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;

/** Everything one routing request puts in front of the rules. {@code contact} may be null. */
public record RoutingFacts(
        Channel channel,
        Inbox inbox,
        RoutingSettings settings,
        Contact contact,
        IncomingMessage message,
        List<Candidate> candidates) {

    public RoutingFacts {
        candidates = List.copyOf(candidates);
    }
}
