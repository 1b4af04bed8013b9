package org.convrouter.conversation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.ResolvedContact;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.NotFoundException;
import org.convrouter.error.RefusedException;
import org.convrouter.error.StorageBusyException;
import org.convrouter.error.StorageFailedException;
import org.convrouter.error.StorageUnconfirmedException;
import org.convrouter.routing.CandidateFactory;
import org.convrouter.routing.Decision;
import org.convrouter.routing.IncomingMessage;
import org.convrouter.routing.RoutingEngine;

/**
 * Conversations from arrival to close: automatic routing of new conversations (R0-R9) and manual
 * triage (M1-M7). Every change that moves load (route, assign, reply-assign, close) is handed to
 * the store and booked in the {@link LoadBook} under one load lock, which routing decisions also
 * hold, so the next decision sees it and loads stay exact under concurrency. Database reads and
 * the wait for durability happen outside that lock (group commit), under the conversation's own
 * lock; the caller is answered only once the change is durable, and a write that fails is
 * reported and the loads rebuilt. A write not confirmed in time is reported as unconfirmed (it may
 * still be stored), and its conversation stays locked until its outcome is known. While too many
 * changes wait to be stored, a new one is refused with {@link StorageBusyException} before it is made.
 *
 * <p>Every change returns a future of its answer, and no thread waits for the disk: a request
 * refused (unknown, forbidden, invalid) throws at once, before anything is written; a change made
 * completes once it is durable, or fails with {@link StorageFailedException} or
 * {@link StorageUnconfirmedException}. A durable change is answered on the thread that learns so
 * (the store's answering thread), a failed one on a thread of its own.
 */
public final class ConversationService {

    private final Supplier<Directory> directory;
    private final ConversationStore store;
    private final LoadBook loads;
    private final RoutingEngine engine;
    private final CandidateFactory candidates;
    private final ManualAssignmentPolicy manualPolicy;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Consumer<Decision> decisionObserver;
    /** Held while deciding a routing request or booking a change's load: the loads decisions read stay exact. */
    private final ReentrantLock loadLock = new ReentrantLock();
    /** Serialise changes to the same conversation without serialising unrelated ones. */
    private final ConversationLocks locks = new ConversationLocks();
    /** A change not durable by then is reported as unconfirmed rather than leaving its caller waiting. */
    private static final Duration DURABLE_WITHIN = Duration.ofSeconds(30);
    private final Duration durableWithin;
    /**
     * How many changes may wait to be stored at once. While the disk stalls, changes would
     * otherwise pile up (each with its waiting request) for as long as a caller waits for
     * durability; past this many, a change is refused before it is made. Far above what a running
     * service has waiting: 64 connections under full load keep at most 64.
     */
    static final int WRITES_WAITING_AT_MOST = 4096;
    private final Semaphore writeRoom;
    private final int writesWaitingAtMost;

    /** {@code decisionObserver} hears of every stored routing decision (metrics, logs), after it is stored. */
    public ConversationService(Supplier<Directory> directory, ConversationStore store, LoadBook loads,
                               RoutingEngine engine, ManualAssignmentPolicy manualPolicy, Clock clock,
                               Supplier<String> ids, Consumer<Decision> decisionObserver) {
        this(directory, store, loads, engine, manualPolicy, clock, ids, decisionObserver, DURABLE_WITHIN,
                WRITES_WAITING_AT_MOST);
    }

    /**
     * With how long a caller waits for its change to be durable before it is told the change is
     * unconfirmed, and how many changes may wait to be stored at once.
     */
    ConversationService(Supplier<Directory> directory, ConversationStore store, LoadBook loads,
                        RoutingEngine engine, ManualAssignmentPolicy manualPolicy, Clock clock,
                        Supplier<String> ids, Consumer<Decision> decisionObserver, Duration durableWithin,
                        int writesWaitingAtMost) {
        this.durableWithin = durableWithin;
        this.writesWaitingAtMost = writesWaitingAtMost;
        this.writeRoom = new Semaphore(writesWaitingAtMost);
        this.directory = directory;
        this.store = store;
        this.loads = loads;
        this.engine = engine;
        this.candidates = new CandidateFactory(loads);
        this.manualPolicy = manualPolicy;
        this.clock = clock;
        this.ids = ids;
        this.decisionObserver = decisionObserver;
    }

    /**
     * Stores a new conversation and routes it. {@code contact} (null for none) is asked for only once
     * the request is accepted (channel known, id free); a new contact is stored with the
     * conversation, in the same write, so a request refused or failed leaves no contact behind.
     */
    public CompletableFuture<Received> receive(NewConversation request, Supplier<ResolvedContact> contact) {
        Directory dir = directory.get();
        Channel channel = channel(dir, request.channelId());
        Inbox inbox = inboxOf(dir, channel);
        String id = request.id() == null ? ids.get() : request.id();
        ConversationLocks.Held lock = acquire(id); // held until durable: no change may build on a creation that could still fail
        CompletableFuture<Void> stored = null;
        boolean roomTaken = false;
        ResolvedContact from = null;
        try {
            if (request.id() != null && store.find(id).isPresent()) { // generated ids are unique: no query needed
                throw new org.convrouter.error.ConflictException("a conversation with id '" + id + "' already exists");
            }
            takeWriteRoom();
            roomTaken = true;
            // Finding the contact reads the database: done before the load lock, which every routing decision waits for.
            from = contact.get();
            Routed routed = route(id, request, from, dir, channel, inbox);
            stored = routed.stored();
            return onceDurable(stored, routed.received()).thenApply(received -> {
                decisionObserver.accept(received.decision());
                return received;
            });
        } finally {
            releaseOnceKnown(lock, roomTaken, stored);
            settle(from, stored);
        }
    }

    private record Routed(Received received, CompletableFuture<Void> stored) {}

    /** Decides a new conversation and hands it to the store under the load lock, booking its load. */
    private Routed route(String id, NewConversation request, ResolvedContact resolved, Directory dir, Channel channel,
                         Inbox inbox) {
        Contact from = resolved == null ? null : resolved.contact();
        loadLock.lock();
        try {
            Instant now = clock.instant();
            Decision decision = decide(dir, channel, inbox, dir.settings(channel.id()), from,
                    request.text(), request.subject());
            Message first = new Message(ids.get(), null, request.text(), request.subject(), now);
            Conversation conversation = new Conversation(id, channel.id(), channel.kind(), inbox.id(),
                    from == null ? null : from.id(), ConversationStatus.OPEN, null,
                    decision.id(), now, List.of(first), List.of());
            if (decision.assignee() != null) {
                conversation = conversation.assigned(new AssignmentChange(now, null,
                        Assignee.user(decision.assignee()), null, AssignmentChange.Cause.ROUTING));
            }
            CompletableFuture<Void> stored = store.create(conversation, decision, resolved == null ? null : resolved.toStore());
            loads.moved(conversation, null, conversation.assignee(), now);
            return new Routed(new Received(conversation, decision), stored);
        } finally {
            loadLock.unlock();
        }
    }

    /** The decision a routing request would get, optionally under other settings; nothing is stored. */
    public Decision simulate(String channelId, Contact contact, String text, String subject, RoutingSettings override) {
        Directory dir = directory.get();
        Channel channel = channel(dir, channelId);
        RoutingSettings settings = override == null ? dir.settings(channel.id()) : override;
        return decide(dir, channel, inboxOf(dir, channel), settings, contact, text, subject);
    }

    private Decision decide(Directory dir, Channel channel, Inbox inbox, RoutingSettings settings, Contact contact,
                            String text, String subject) {
        return engine.decide(candidates.facts(dir, channel, inbox, settings, contact, new IncomingMessage(text, subject)));
    }

    /** M2, M4, M5, M6: assign or reassign by hand. */
    public CompletableFuture<Conversation> assign(String conversationId, Assignee target, Actor actor) {
        return change(conversationId, conversation -> {
            Directory dir = directory.get();
            Inbox inbox = inboxOf(dir, conversation);
            requireTargetExists(dir, target);
            if (actor.userId() != null && dir.user(actor.userId()).isEmpty()) {
                throw new RefusedException("byUserId: unknown user '" + actor.userId() + "'");
            }
            if (!conversation.isOpen()) {
                throw new RefusedException("conversation '" + conversationId + "' is closed; reopen is not supported");
            }
            requireMayAssign(dir, conversation, inbox, target, actor);
            requireAllowedByManualRules(dir, conversation, inbox, target, actor);
            if (target.equals(conversation.assignee())) {
                return Change.none(conversation);
            }
            Instant now = clock.instant();
            AssignmentChange change = new AssignmentChange(now, conversation.assignee(), target, actor.userId(),
                    AssignmentChange.Cause.MANUAL);
            Conversation after = conversation.assigned(change);
            return new Change(after, () -> store.recordAssignment(after, change),
                    () -> loads.moved(conversation, conversation.assignee(), target, now));
        });
    }

    /** M5 and the rest of manual-assignment.drl: refused with every reason the rules give. */
    private void requireAllowedByManualRules(Directory dir, Conversation conversation, Inbox inbox, Assignee target,
                                             Actor actor) {
        List<String> refusals = manualPolicy.refusals(dir, conversation, inbox, target, actor.userId());
        if (!refusals.isEmpty()) {
            throw new RefusedException("cannot assign to " + target.type().name().toLowerCase() + " '"
                    + target.id() + "': " + String.join("; ", refusals), refusals);
        }
    }

    /** M3: a reply by a user with access; replying to an unassigned conversation takes it. */
    public CompletableFuture<Conversation> reply(String conversationId, String text, Actor actor) {
        if (actor.userId() == null) {
            throw new InvalidInputException("byUserId: an admin token must say which user replies");
        }
        return change(conversationId, conversation -> {
            Directory dir = directory.get();
            Inbox inbox = inboxOf(dir, conversation);
            if (dir.user(actor.userId()).isEmpty()) {
                throw new RefusedException("byUserId: unknown user '" + actor.userId() + "'");
            }
            requireAccess(dir, inbox, actor.userId());
            if (!conversation.isOpen()) {
                throw new RefusedException("conversation '" + conversationId + "' is closed");
            }
            Instant now = clock.instant();
            Message reply = new Message(ids.get(), actor.userId(), text, null, now);
            Conversation withReply = conversation.withMessage(reply);
            if (!conversation.isUnassigned()) {
                return new Change(withReply, () -> store.recordReply(withReply, reply, null), () -> { });
            }
            // Taking it by a reply is a manual assignment, so the same rules decide (a deactivated user cannot).
            requireAllowedByManualRules(dir, conversation, inbox, Assignee.user(actor.userId()), actor);
            AssignmentChange change = new AssignmentChange(now, null, Assignee.user(actor.userId()), actor.userId(),
                    AssignmentChange.Cause.REPLY);
            Conversation after = withReply.assigned(change);
            return new Change(after, () -> store.recordReply(after, reply, change),
                    () -> loads.moved(conversation, null, change.to(), now));
        });
    }

    /** M7: closing ends the conversation's weight in its assignee's load. Closing twice is harmless. */
    public CompletableFuture<Conversation> close(String conversationId, Actor actor) {
        return change(conversationId, conversation -> {
            Directory dir = directory.get();
            if (!actor.admin()) {
                requireAccess(dir, inboxOf(dir, conversation), actor.userId());
            }
            if (!conversation.isOpen()) {
                return Change.none(conversation);
            }
            Conversation after = conversation.closed();
            return new Change(after, () -> store.recordClose(after), () -> loads.closed(conversation));
        });
    }

    /**
     * A planned change to one conversation: its new state, the write that stores it, and the
     * load bookkeeping it implies. {@code write == null} means nothing changes.
     */
    private record Change(Conversation after, Supplier<CompletableFuture<Void>> write, Runnable bookLoads) {
        static Change none(Conversation unchanged) {
            return new Change(unchanged, null, null);
        }
    }

    /**
     * Changes one conversation. Changes to the same conversation are serialised by its lock,
     * held until the change is durable, so each builds on a state that can no longer be undone;
     * only handing the write to the store and booking loads take the load lock, the one routing
     * decisions hold. The caller is answered once the write is durable.
     */
    private CompletableFuture<Conversation> change(String conversationId,
                                                   java.util.function.Function<Conversation, Change> plan) {
        ConversationLocks.Held lock = acquire(conversationId);
        CompletableFuture<Void> stored = null;
        boolean roomTaken = false;
        try {
            Change change = plan.apply(find(conversationId));
            if (change.write() == null) {
                return CompletableFuture.completedFuture(change.after());
            }
            takeWriteRoom();
            roomTaken = true;
            loadLock.lock();
            try {
                stored = change.write().get();
                change.bookLoads().run();
            } finally {
                loadLock.unlock();
            }
            return onceDurable(stored, change.after());
        } finally {
            releaseOnceKnown(lock, roomTaken, stored);
        }
    }

    /**
     * Takes the conversation's lock. It is held by another change until that change's outcome is
     * known; a store that confirms nothing for as long as a caller waits for durability fails this
     * change before it starts, rather than let callers queue up without end.
     */
    private ConversationLocks.Held acquire(String conversationId) {
        try {
            ConversationLocks.Held lock = locks.tryAcquire(conversationId, durableWithin);
            if (lock != null) {
                return lock;
            }
            throw new StorageFailedException("an earlier change to this conversation is still not confirmed stored;"
                    + " this one did not happen: try again later", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageFailedException("interrupted before the change was made; it did not happen", e);
        }
    }

    /** Takes room for one more write waiting to be stored, or refuses the change before it is made. */
    private void takeWriteRoom() {
        if (!writeRoom.tryAcquire()) {
            throw new StorageBusyException(writesWaitingAtMost);
        }
    }

    /**
     * Releases the conversation's lock, and the write's room if it took one, now, or, when its
     * write's outcome is not known yet (the caller may have been told it is unconfirmed), once it
     * is: no change may build on a write that could still fail, and it is still waiting.
     */
    private void releaseOnceKnown(ConversationLocks.Held lock, boolean roomTaken, CompletableFuture<Void> stored) {
        Runnable release = roomTaken ? () -> { writeRoom.release(); lock.release(); } : lock::release;
        if (stored == null || stored.isDone()) {
            release.run();
        } else {
            stored.whenComplete((ok, failure) -> release.run());
        }
    }

    /**
     * Tells a new contact's bookkeeping whether this request stored it, once that is known (on the
     * store's answering thread, which answers a whole batch: it takes no lock of the directory's).
     */
    private static void settle(ResolvedContact contact, CompletableFuture<Void> stored) {
        if (contact == null) {
            return;
        }
        if (stored == null) {
            contact.settled().settled(false);
        } else {
            stored.whenComplete((ok, failure) -> contact.settled().settled(failure == null));
        }
    }

    /**
     * {@code answer}, once the change is durable. If it could not be stored, the loads booked for it
     * are rebuilt from what is stored, and the caller is told the change did not happen. If it is
     * not confirmed in time, the caller is told so; should it fail later, the loads are rebuilt then.
     */
    private <T> CompletableFuture<T> onceDurable(CompletableFuture<Void> stored, T answer) {
        return stored.copy().orTimeout(durableWithin.toNanos(), TimeUnit.NANOSECONDS)
                .thenApply(ok -> answer)
                // A failure is reckoned with on a thread of its own: rebuilding loads waits for the store,
                // and a timeout is learnt on the JDK's one timer thread.
                .exceptionallyComposeAsync(failure -> CompletableFuture.failedFuture(refusal(stored, cause(failure))));
    }

    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** What the caller is told of a change whose write failed, or was not confirmed in time. */
    private RuntimeException refusal(CompletableFuture<Void> stored, Throwable failure) {
        if (failure instanceof TimeoutException) {
            stored.whenCompleteAsync((ok, late) -> { // on a thread of its own: rebuilding waits for the store
                if (late != null) {
                    rebuildLoads();
                }
            });
            return new StorageUnconfirmedException("the change was not confirmed stored within "
                    + durableWithin.toSeconds() + " s; it may still be stored: read it back before trying again", failure);
        }
        if (failure instanceof StorageUnconfirmedException unconfirmed) {
            return unconfirmed; // the store cannot tell whether it will hold the change
        }
        rebuildLoads();
        return new StorageFailedException("the change could not be stored and did not happen; try again", failure);
    }

    /**
     * Other changes may be queued behind a failed one: lets every write already handed to the
     * store finish (no new one can be booked while the load lock is held), then rebuilds the loads
     * from what is stored.
     */
    private void rebuildLoads() {
        loadLock.lock();
        try {
            store.flush();
            loads.resetTo(store.chatLoads());
        } finally {
            loadLock.unlock();
        }
    }

    /** Every user and team the rules allow as a manual target for this conversation, with the refused ones' reasons. */
    public Map<Assignee, List<String>> targets(String conversationId) {
        Directory dir = directory.get();
        Conversation conversation = find(conversationId);
        Inbox inbox = inboxOf(dir, conversation);
        List<Assignee> all = new ArrayList<>();
        dir.users().forEach(u -> all.add(Assignee.user(u.id())));
        dir.teams().forEach(t -> all.add(Assignee.team(t.id())));
        return manualPolicy.refusalsByTarget(dir, conversation, inbox, all);
    }

    public Conversation find(String conversationId) {
        return store.find(conversationId)
                .orElseThrow(() -> new NotFoundException("no conversation with id '" + conversationId + "'"));
    }

    public Decision decisionOf(String conversationId) {
        find(conversationId);
        return store.decisionOf(conversationId)
                .orElseThrow(() -> new NotFoundException("conversation '" + conversationId + "' has no routing decision"));
    }

    public List<Conversation> list(ConversationQuery query) {
        return store.list(query);
    }

    /** M2: an unassigned conversation is taken by a user with access for themselves, or given by an admin. M4: the assignee or an admin reassigns. */
    private static void requireMayAssign(Directory dir, Conversation conversation, Inbox inbox, Assignee target, Actor actor) {
        if (actor.admin()) {
            return;
        }
        String userId = actor.userId();
        requireAccess(dir, inbox, userId);
        if (conversation.isUnassigned()) {
            if (!target.isUser(userId)) {
                throw new ForbiddenException("only an admin may assign an unassigned conversation to someone else; take it yourself");
            }
            return;
        }
        Assignee current = conversation.assignee();
        boolean isAssignee = current.isUser(userId)
                || (current.type() == AssigneeType.TEAM && dir.teamsOf(userId).contains(current.id()));
        if (!isAssignee) {
            throw new ForbiddenException("only the assignee or an admin may reassign conversation '" + conversation.id() + "'");
        }
    }

    private static void requireAccess(Directory dir, Inbox inbox, String userId) {
        if (userId == null || !dir.hasAccess(userId, inbox)) {
            throw new ForbiddenException("user '" + userId + "' has no access to inbox '" + inbox.id() + "'");
        }
    }

    private static void requireTargetExists(Directory dir, Assignee target) {
        boolean exists = target.type() == AssigneeType.USER ? dir.user(target.id()).isPresent() : dir.team(target.id()).isPresent();
        if (!exists) {
            throw new RefusedException("assignee: unknown " + target.type().name().toLowerCase() + " '" + target.id() + "'");
        }
    }

    private static Channel channel(Directory dir, String channelId) {
        return dir.channel(channelId).orElseThrow(() -> new RefusedException("channelId: unknown channel '" + channelId + "'"));
    }

    private static Inbox inboxOf(Directory dir, Channel channel) {
        return dir.inbox(channel.inboxId()).orElseThrow(() -> new NotFoundException("no inbox with id '" + channel.inboxId() + "'"));
    }

    private static Inbox inboxOf(Directory dir, Conversation conversation) {
        return dir.inbox(conversation.inboxId()).orElseThrow(() -> new NotFoundException("no inbox with id '" + conversation.inboxId() + "'"));
    }
}
