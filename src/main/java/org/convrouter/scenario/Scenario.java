package org.convrouter.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;

/**
 * An analyst's example: given a small world, expect a decision. See rules/scenarios/README.md for
 * the format. {@code kind} is "routing" (default) or "manual-assignment".
 */
public record Scenario(String name, String kind, Given given, JsonNode expect) {

    public boolean isManualAssignment() {
        return "manual-assignment".equals(kind);
    }

    public record Given(List<UserSpec> users, List<TeamSpec> teams, InboxSpec inbox, ChannelSpec channel,
                        RoutingSettings settings, ContactSpec contact, String message, TargetSpec target) {}

    public record UserSpec(String id, String name, String email, Seat seat, Boolean available, Boolean active,
                           Integer openChats, Instant lastChatAssignedAt) {}

    public record TeamSpec(String id, List<String> primaryMembers, List<String> secondaryMembers) {}

    public record InboxSpec(List<String> teams) {}

    public record ChannelSpec(String id, ChannelKind kind) {}

    public record ContactSpec(String owner, Boolean cookieTracked) {}

    /** The manual assignment target: {"type": "user"|"team", "id": ...}. */
    public record TargetSpec(String type, String id) {}
}
