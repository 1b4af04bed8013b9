package org.convrouter.routing;

/** Users' chat loads as a routing decision reads them. Implementations must be thread-safe. */
@FunctionalInterface
public interface AgentLoads {

    AgentLoad of(String userId);
}
