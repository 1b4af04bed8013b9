package org.convrouter.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convrouter.conversation.Answers.answered;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.world;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.convrouter.Policy;
import org.convrouter.World;
import org.convrouter.directory.ChannelKind;
import org.convrouter.error.StorageFailedException;
import org.convrouter.error.StorageUnconfirmedException;
import org.convrouter.routing.RoutingEngine;
import org.junit.jupiter.api.Test;

/**
 * A change whose write is not confirmed in time: the caller is told it may still be stored, no
 * other change to the conversation builds on it until its outcome is known, and if it then fails
 * the loads booked for it are undone. No thread waits for the outcome: the answer is a future.
 */
class UnconfirmedWriteTest {

    /** Holds each write until the test settles it; a settled write reaches the in-memory store only if it succeeded. */
    static final class HeldStore extends InterceptedStore {
        final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
        volatile boolean holding = true;

        @Override
        protected CompletableFuture<Void> write(Supplier<CompletableFuture<Void>> write) {
            if (!holding) {
                return write.get();
            }
            CompletableFuture<Void> outcome = new CompletableFuture<>();
            held.add(outcome);
            return outcome.thenCompose(ok -> write.get());
        }

        void succeed(int write) { held.get(write).complete(null); }
        void fail(int write) { held.get(write).completeExceptionally(new IllegalStateException("disk full")); }
    }

    private final World world = world().users(agent("ana")).inbox("open").channel("chat", "open", ChannelKind.CHAT)
            .routing("chat", autoTo(List.of("ana"), List.of()));
    private final HeldStore store = new HeldStore();
    private final LoadBook loads = new LoadBook();

    private ConversationService service(Duration durableWithin) {
        return service(world, store, loads, durableWithin, ConversationService.WRITES_WAITING_AT_MOST);
    }

    /** A service over {@code store}, with how long a caller waits for durability and how many writes may wait. */
    static ConversationService service(World world, ConversationStore store, LoadBook loads, Duration durableWithin,
                                       int writesWaitingAtMost) {
        AtomicInteger ids = new AtomicInteger();
        return new ConversationService(world::directory, store, loads,
                new RoutingEngine(Policy.active(), new Random(1), Clock.systemUTC()), new ManualAssignmentPolicy(Policy.active()),
                Clock.systemUTC(), () -> "id" + ids.incrementAndGet(), decision -> { }, durableWithin, writesWaitingAtMost);
    }

    @Test
    void aWriteNotConfirmedInTimeIsReportedAsUnconfirmedAndHoldsItsConversationUntilItsOutcomeIsKnown() throws Exception {
        ConversationService service = service(Duration.ofSeconds(2));
        assertThatThrownBy(() -> answered(service.receive(new NewConversation("c1", "chat", "hi", null), () -> null)))
                .isInstanceOf(StorageUnconfirmedException.class).hasMessageContaining("may still be stored");
        assertThat(loads.of("ana").openChats()).isEqualTo(1); // booked: the write may yet succeed

        CompletableFuture<Conversation> close = CompletableFuture.supplyAsync(() -> answered(service.close("c1", Actor.admin(null))));
        Thread.sleep(300);
        assertThat(close).isNotDone(); // without the hold it would fail at once: c1 is not stored yet

        store.holding = false;
        store.succeed(0);
        assertThat(close.get(5, TimeUnit.SECONDS).status()).isEqualTo(ConversationStatus.CLOSED);
        assertThat(store.find("c1").orElseThrow().status()).isEqualTo(ConversationStatus.CLOSED);
        assertThat(loads.of("ana").openChats()).isZero();
    }

    @Test
    void aChangeWaitingBehindAWriteThatStaysUnconfirmedFailsWithoutHappening() {
        ConversationService service = service(Duration.ofSeconds(1));
        assertThatThrownBy(() -> answered(service.receive(new NewConversation("c1", "chat", "hi", null), () -> null)))
                .isInstanceOf(StorageUnconfirmedException.class);

        assertThatThrownBy(() -> answered(service.close("c1", Actor.admin(null))))
                .isInstanceOf(StorageFailedException.class).hasMessageContaining("did not happen");
        assertThat(store.held).hasSize(1); // the close wrote nothing
    }

    @Test
    void anUnconfirmedWriteThatFailsLaterHasItsLoadUndone() throws Exception {
        ConversationService service = service(Duration.ofSeconds(1));
        assertThatThrownBy(() -> answered(service.receive(new NewConversation("c1", "chat", "hi", null), () -> null)))
                .isInstanceOf(StorageUnconfirmedException.class);
        assertThat(loads.of("ana").openChats()).isEqualTo(1);

        store.fail(0);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loads.of("ana").openChats() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(loads.of("ana").openChats()).isZero();
        assertThat(store.find("c1")).isEmpty();
    }

    @Test
    void noThreadWaitsForAPendingWriteAndItsAnswerComesOnceItIsDurable() throws Exception {
        ConversationService service = service(Duration.ofSeconds(10));
        CompletableFuture<Received> received = service.receive(new NewConversation("c1", "chat", "hi", null), () -> null);
        assertThat(received).isNotDone(); // the caller's thread is back while the write is held
        assertThat(store.held).hasSize(1);

        store.succeed(0);
        assertThat(received.get(5, TimeUnit.SECONDS).conversation().assignee()).isEqualTo(Assignee.user("ana"));
        assertThat(store.find("c1")).isPresent();
    }
}
