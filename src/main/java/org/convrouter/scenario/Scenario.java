package org.convrouter.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;

/**
 * An analyst's example: given a small world, expect a decision. See rules/scenarios/README.md for
 * the format. {@code kind} is "routing" (default) or "manual-assignment". Every fact the rules read
 * can be stated; every field is optional but {@code channel.kind}.
 */
public record Scenario(String name, String kind, Given given, JsonNode expect) {

    public boolean isManualAssignment() {
        return "manual-assignment".equals(kind);
    }

    /** {@code now}: the decision's time, whose offset is the zone the rules see it in (R12). */
    public record Given(List<UserSpec> users, List<TeamSpec> teams, InboxSpec inbox, ChannelSpec channel,
                        RoutingSettings settings, ContactSpec contact, MessageSpec message, TargetSpec target,
                        OffsetDateTime now) {}

    /**
     * {@code primaryTeam} and {@code teams} add the user to those teams (primary, and secondary for
     * the others), as the {@code teams[]} lists do; {@code openChats} and {@code lastChatAssignedAt} are the load.
     */
    public record UserSpec(String id, String name, String email, Seat seat, Boolean available, Boolean active,
                           Integer openChats, Instant lastChatAssignedAt, String primaryTeam, List<String> teams,
                           Integer chatCapacity) {}

    public record TeamSpec(String id, List<String> primaryMembers, List<String> secondaryMembers) {}

    /** {@code teams}: the teams with access; null means every user. */
    public record InboxSpec(String id, String name, List<String> teams) {}

    public record ChannelSpec(String id, ChannelKind kind, String name) {}

    public record ContactSpec(String id, String email, String name, String owner, Boolean cookieTracked) {}

    /** The first message: plain text, or {@code {"subject": ..., "text": ...}}. */
    public record MessageSpec(String subject, String text) {

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public MessageSpec {}

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static MessageSpec of(String text) {
            return new MessageSpec(null, text);
        }
    }

    /** The manual assignment target: {"type": "user"|"team", "id": ...}. */
    public record TargetSpec(String type, String id) {}
}
