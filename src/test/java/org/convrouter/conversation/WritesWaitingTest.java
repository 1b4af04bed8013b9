package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.world;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.error.StorageBusyException;
import org.junit.jupiter.api.Test;

/**
 * Changes waiting to be stored while the disk stalls: unrelated ones never wait for each other,
 * and past a bound a further change is refused before it is made, so nothing of it is booked or
 * written.
 */
class WritesWaitingTest {

    private final World world = world().users(agent("ana")).inbox("open").channel("chat", "open", ChannelKind.CHAT)
            .routing("chat", autoTo(List.of("ana"), List.of()));
    private final UnconfirmedWriteTest.HeldStore store = new UnconfirmedWriteTest.HeldStore();
    private final LoadBook loads = new LoadBook();

    @Test
    void newConversationsDoNotWaitForOneAnothersWrites() throws Exception {
        // A caller gives up waiting for a lock after 200 ms; none should wait at all. 1,100 new
        // conversations with every write held: under the 1,024 striped locks this replaced, at
        // least one shared a stripe with an earlier one and failed after 200 ms.
        ConversationService service = UnconfirmedWriteTest.service(world, store, loads, Duration.ofMillis(200),
                ConversationService.WRITES_WAITING_AT_MOST);
        List<CompletableFuture<Received>> received = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            received.add(service.receive(new NewConversation("c" + i, "chat", "hi", null), () -> null));
        }
        assertThat(store.held).hasSize(1100);
        assertThat(received).allMatch(r -> !r.isDone());

        for (int i = 0; i < store.held.size(); i++) {
            store.succeed(i);
        }
        for (CompletableFuture<Received> r : received) {
            assertThat(r.get(5, TimeUnit.SECONDS).conversation().assignee()).isEqualTo(Assignee.user("ana"));
        }
        assertThat(loads.of("ana").openChats()).isEqualTo(1100);
    }

    @Test
    void pastTheBoundAChangeIsRefusedAsBusyBeforeItIsMade() throws Exception {
        ConversationService service = UnconfirmedWriteTest.service(world, store, loads, Duration.ofSeconds(10), 2);
        CompletableFuture<Received> c1 = service.receive(new NewConversation("c1", "chat", "hi", null), () -> null);
        service.receive(new NewConversation("c2", "chat", "hi", null), () -> null);

        assertThatThrownBy(() -> service.receive(new NewConversation("c3", "chat", "hi", null), () -> null))
                .isInstanceOf(StorageBusyException.class).hasMessageContaining("did not happen")
                .extracting(e -> ((StorageBusyException) e).code()).isEqualTo("storage_busy");
        assertThat(store.held).hasSize(2); // c3 wrote nothing
        assertThat(loads.of("ana").openChats()).isEqualTo(2); // and booked nothing

        store.succeed(0); // c1 is stored: its room is free again
        c1.get(5, TimeUnit.SECONDS);
        CompletableFuture<Received> c3 = service.receive(new NewConversation("c3", "chat", "hi", null), () -> null);
        assertThat(store.held).hasSize(3);

        // Full again (c2 and c3 wait): a change to a stored conversation is refused the same way.
        assertThatThrownBy(() -> service.close("c1", Actor.admin(null))).isInstanceOf(StorageBusyException.class);
        assertThat(store.held).hasSize(3);
        assertThat(store.find("c1").orElseThrow().isOpen()).isTrue();
        assertThat(loads.of("ana").openChats()).isEqualTo(3);

        store.succeed(1);
        store.succeed(2);
        c3.get(5, TimeUnit.SECONDS);
        store.holding = false;
        assertThat(service.close("c1", Actor.admin(null)).get(5, TimeUnit.SECONDS).isOpen()).isFalse();
        assertThat(loads.of("ana").openChats()).isEqualTo(2);
    }
}
