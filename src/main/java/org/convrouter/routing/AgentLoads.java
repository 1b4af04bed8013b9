package org.convrouter.routing;

import java.util.function.Supplier;

/** Where routing reads users' current chat loads from. Implementations must be thread-safe. */
@FunctionalInterface
public interface AgentLoads {

    AgentLoad of(String userId);

    /**
     * Where one user's current load can be read again and again: routing keeps it with the
     * channel's roster, so a request over hundreds of candidates looks nobody up by id.
     */
    default Supplier<AgentLoad> source(String userId) {
        return () -> of(userId);
    }
}
