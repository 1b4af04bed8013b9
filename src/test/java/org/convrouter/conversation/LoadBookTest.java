package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.convrouter.directory.ChannelKind;
import org.convrouter.routing.AgentLoad;
import org.junit.jupiter.api.Test;

class LoadBookTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private final LoadBook book = new LoadBook();

    @Test
    void aSourceHandedOutEarlyFollowsEveryLaterChangeAndReset() {
        Supplier<AgentLoad> ana = book.source("ana"); // a roster keeps this before ana has any load
        assertThat(ana.get()).isEqualTo(AgentLoad.NONE);

        book.moved(chat("c1"), null, Assignee.user("ana"), T0);
        book.moved(chat("c2"), null, Assignee.user("ana"), T0.plusSeconds(1));
        assertThat(ana.get()).isEqualTo(new AgentLoad(2, T0.plusSeconds(1)));

        book.closed(chat("c1").assigned(new AssignmentChange(T0, null, Assignee.user("ana"), null, AssignmentChange.Cause.ROUTING)));
        assertThat(ana.get().openChats()).isEqualTo(1);

        book.resetTo(Map.of("bo", new AgentLoad(3, T0)));
        assertThat(ana.get()).as("reset to storage that has no load for ana").isEqualTo(AgentLoad.NONE);
        assertThat(book.source("bo").get()).isEqualTo(new AgentLoad(3, T0));
        assertThat(book.of("bo")).isEqualTo(new AgentLoad(3, T0));
    }

    @Test
    void aReleaseNeverGoesBelowZeroAndEmailIsNoLoad() {
        book.closed(chat("c1").assigned(new AssignmentChange(T0, null, Assignee.user("ana"), null, AssignmentChange.Cause.ROUTING)));
        assertThat(book.of("ana").openChats()).isZero();

        Conversation email = new Conversation("e1", "ch", ChannelKind.EMAIL, "in", null, ConversationStatus.OPEN,
                null, null, T0, List.of(), List.of());
        book.moved(email, null, Assignee.user("ana"), T0);
        assertThat(book.of("ana").openChats()).isZero();
    }

    private static Conversation chat(String id) {
        return new Conversation(id, "ch", ChannelKind.CHAT, "in", null, ConversationStatus.OPEN, null, null, T0,
                List.of(), List.of());
    }
}
