package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.conversation.Answers.answered;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.world;

import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.Policy;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.error.StorageFailedException;
import org.convrouter.routing.RoutingEngine;
import org.junit.jupiter.api.Test;

/** A change the store could not make is reported, leaves nothing behind and does not skew loads. */
class StorageFailureTest {

    /** Stores like the in-memory store until told to fail; a failed write changes nothing. */
    static final class FlakyStore extends InterceptedStore {
        volatile boolean failing;

        @Override
        protected CompletableFuture<Void> write(java.util.function.Supplier<CompletableFuture<Void>> write) {
            return failing ? CompletableFuture.failedFuture(new IllegalStateException("disk full")) : write.get();
        }
    }

    @Test
    void aWriteThatFailsIsReportedAndItsLoadIsNotKept() {
        World w = world().users(agent("ana"), agent("bo")).inbox("open").channel("chat", "open", ChannelKind.CHAT)
                .routing("chat", autoTo(List.of("ana", "bo"), List.of()));
        FlakyStore store = new FlakyStore();
        LoadBook loads = new LoadBook();
        AtomicInteger ids = new AtomicInteger();
        ConversationService service = new ConversationService(w::directory, store, loads,
                new RoutingEngine(Policy.active(), new Random(1), Clock.systemUTC()), new ManualAssignmentPolicy(Policy.active()),
                Clock.systemUTC(), () -> "id" + ids.incrementAndGet(), decision -> { });
        Conversation first = answered(service.receive(new NewConversation(null, "chat", "one", null), () -> null)).conversation();

        store.failing = true;
        assertThatThrownBy(() -> answered(service.receive(new NewConversation(null, "chat", "two", null), () -> null)))
                .isInstanceOf(StorageFailedException.class);
        assertThatThrownBy(() -> answered(service.close(first.id(), Actor.admin(null)))).isInstanceOf(StorageFailedException.class);

        assertThat(store.list(new ConversationQuery(null, false, null, null, null, 10))).containsExactly(first);
        assertThat(loads.of(first.assignee().id()).openChats()).isEqualTo(1);
        String other = first.assignee().id().equals("ana") ? "bo" : "ana";
        assertThat(loads.of(other).openChats()).isZero();

        store.failing = false;
        assertThat(answered(service.receive(new NewConversation(null, "chat", "three", null), () -> null)).conversation().assignee().id())
                .isEqualTo(other);
    }
}
