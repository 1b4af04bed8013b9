package org.convrouter.routing;

/** Where routing reads users' current chat loads from. Implementations must be thread-safe. */
@FunctionalInterface
public interface AgentLoads {

    AgentLoad of(String userId);
}
