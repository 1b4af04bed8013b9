package org.convrouter.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.error.ConflictException;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.NotFoundException;
import org.convrouter.error.RefusedException;
import org.convrouter.routing.CandidateFactory;
import org.convrouter.routing.Decision;
import org.convrouter.routing.IncomingMessage;
import org.convrouter.routing.RoutingEngine;

/**
 * Conversations from arrival to close: automatic routing of new conversations (R0-R9) and manual
 * triage (M1-M7). Each change is one database transaction, committed before the caller is
 * answered: a routing request resolves its contact, locks the chat loads of everyone it may choose,
 * decides, and stores the conversation, its first message, assignment, decision and the new load
 * together; a manual change locks its conversation first. A refusal (unknown, forbidden, invalid)
 * is thrown inside the transaction, which then changes nothing.
 */
public final class ConversationService {

    /** The most messages one conversation holds; a reply past it is refused (a new conversation goes on). */
    public static final int MAX_MESSAGES = 10_000;

    private final Supplier<Directory> directory;
    private final ConversationStore store;
    private final RoutingEngine engine;
    private final CandidateFactory candidates = new CandidateFactory();
    private final ManualAssignmentPolicy manualPolicy;
    private final Clock clock;
    private final Supplier<String> ids;
    private final Consumer<Decision> decisionObserver;
    private final Consumer<String> chatLoadFreed;

    /** {@code decisionObserver} hears of every stored routing decision (metrics, logs), after it is stored. */
    public ConversationService(Supplier<Directory> directory, ConversationStore store, RoutingEngine engine,
                               ManualAssignmentPolicy manualPolicy, Clock clock, Supplier<String> ids,
                               Consumer<Decision> decisionObserver) {
        this(directory, store, engine, manualPolicy, clock, ids, decisionObserver, userId -> { });
    }

    /**
     * As above; {@code chatLoadFreed} hears, after the commit, of each user whose chat load dropped (a chat
     * closed or reassigned away from them), so the waiting queue can be drained (R10).
     */
    public ConversationService(Supplier<Directory> directory, ConversationStore store, RoutingEngine engine,
                               ManualAssignmentPolicy manualPolicy, Clock clock, Supplier<String> ids,
                               Consumer<Decision> decisionObserver, Consumer<String> chatLoadFreed) {
        this.chatLoadFreed = chatLoadFreed;
        this.directory = directory;
        this.store = store;
        this.engine = engine;
        this.manualPolicy = manualPolicy;
        this.clock = clock;
        this.ids = ids;
        this.decisionObserver = decisionObserver;
    }

    /** Stores a new conversation and routes it, in one transaction. */
    public Received receive(NewConversation request) {
        Directory dir = directory.get();
        Channel channel = channel(dir, request.channelId());
        Inbox inbox = inboxOf(dir, channel);
        RoutingSettings settings = dir.settings(channel.id());
        String id = request.id() == null ? ids.get() : request.id();
        Received received = store.inTransaction(tx -> {
            if (request.id() != null && tx.exists(id)) { // generated ids are unique: no query needed
                throw new ConflictException("a conversation with id '" + id + "' already exists");
            }
            Contact from = contact(tx, request.contact());
            Instant now = clock.instant();
            Decision decision = decide(tx, dir, channel, inbox, settings, from,
                    new IncomingMessage(request.text(), request.subject()));
            Message first = new Message(ids.get(), null, request.text(), request.subject(), now);
            Conversation conversation = new Conversation(id, channel.id(), channel.kind(), inbox.id(),
                    from == null ? null : from.id(), ConversationStatus.OPEN, null, decision.id(), now, List.of(first), List.of());
            if (decision.assignee() != null) {
                conversation = conversation.assigned(routed(decision, now));
            }
            tx.create(conversation, decision);
            if (conversation.isChat()) {
                tx.moveChatLoad(null, conversation.assignee(), now);
            }
            tx.emit(ConversationEvent.created(ids.get(), conversation, decision.id(), now));
            tx.emit(conversation.assignee() != null ? ConversationEvent.assigned(ids.get(), conversation, decision.id(), now)
                    : ConversationEvent.unassigned(ids.get(), conversation, decision.id(), now));
            if (decision.assignee() == null && settings.autoAssign()) {
                tx.startWaiting(conversation, decision, now); // R10: routed again when capacity may have freed
            }
            return new Received(conversation, decision);
        });
        decisionObserver.accept(received.decision());
        return received;
    }

    /**
     * Runs the rules over the channel's candidates with their loads as the database holds them now.
     * A chat moves a load, so for a chat the candidates are locked first ({@link #lockForRouting}):
     * no other decision may choose among them until this transaction ends.
     */
    private Decision decide(ConversationStore.Transaction tx, Directory dir, Channel channel, Inbox inbox,
                            RoutingSettings settings, Contact from, IncomingMessage message) {
        List<String> choosable = candidates.userIds(dir, inbox, settings, from);
        if (channel.kind().isChatKind()) {
            lockForRouting(tx, dir, choosable);
        }
        return engine.decide(candidates.facts(dir, channel, inbox, settings, from, message, tx.readLoads(choosable)));
    }

    /** The assignment a routing decision with an assignee makes. */
    private static AssignmentChange routed(Decision decision, Instant at) {
        return new AssignmentChange(at, null, Assignee.user(decision.assignee()), null, AssignmentChange.Cause.ROUTING);
    }

    /**
     * Locks, for a chat's decision, each candidate's primary team, or the candidate's own row when
     * it has none: every decision that could choose an agent takes the same lock, so they run one
     * after the other, and a decision over 200 agents in 10 teams takes 10 locks rather than 200.
     */
    private static void lockForRouting(ConversationStore.Transaction tx, Directory dir, List<String> userIds) {
        List<String> teams = new ArrayList<>();
        List<String> teamless = new ArrayList<>();
        for (String userId : userIds) {
            String team = dir.primaryTeamOf(userId);
            if (team == null) {
                teamless.add(userId);
            } else {
                teams.add(team);
            }
        }
        tx.lockForRouting(teams, teamless);
    }

    /** What one routing attempt of a waiting conversation decided, and what that means for the queue. */
    private record Attempted(Decision decision, WaitingQueue.Attempt attempt) {}

    /**
     * R10: routes a waiting conversation again through the same rules, in one transaction that locks
     * the conversation, then its candidates as {@link #receive} does. The attempt is a decision of its
     * own (R9); when it assigns, the conversation leaves the queue.
     */
    public WaitingQueue.Attempt reroute(String conversationId) {
        Directory dir = directory.get();
        Attempted attempted = store.inTransaction(tx -> {
            Conversation conversation = tx.lock(conversationId).orElse(null);
            if (conversation == null) {
                return new Attempted(null, WaitingQueue.Attempt.LEFT);
            }
            Channel channel = dir.channel(conversation.channelId()).orElse(null);
            Inbox inbox = channel == null ? null : dir.inbox(channel.inboxId()).orElse(null);
            if (!conversation.isOpen() || !conversation.isUnassigned() || inbox == null
                    || !dir.settings(channel.id()).autoAssign() || !tx.isWaiting(conversationId)) {
                tx.stopWaiting(conversationId);
                return new Attempted(null, WaitingQueue.Attempt.LEFT);
            }
            Contact from = conversation.contactId() == null ? null : tx.contact(conversation.contactId()).orElse(null);
            Message first = conversation.messages().get(0); // the customer's: a reply would have assigned it (M3)
            Instant now = clock.instant();
            Decision decision = decide(tx, dir, channel, inbox, dir.settings(channel.id()), from,
                    new IncomingMessage(first.text(), first.subject()));
            AssignmentChange change = decision.assignee() == null ? null : routed(decision, now);
            Conversation after = change == null ? conversation : conversation.assigned(change);
            tx.recordAttempt(after, decision, change);
            if (change != null && conversation.isChat()) {
                tx.moveChatLoad(null, change.to(), now);
            }
            if (change != null) { // an attempt that leaves it waiting tells receivers nothing new
                tx.emit(ConversationEvent.assigned(ids.get(), after, decision.id(), now));
            }
            return new Attempted(decision, WaitingQueue.attemptOf(decision));
        });
        if (attempted.decision() != null) {
            decisionObserver.accept(attempted.decision());
        }
        return attempted.attempt();
    }

    /** The contact a routing request names: by id (it must exist), or by email (made if new), or none. */
    private Contact contact(ConversationStore.Transaction tx, NewConversation.ContactRef ref) {
        if (ref == null) {
            return null;
        }
        if (ref.id() != null) {
            return tx.contact(ref.id()).orElseThrow(() -> new RefusedException("contactId: unknown contact '" + ref.id() + "'"));
        }
        return tx.contactForEmail(ref.email(), ref.name(), ids.get());
    }

    /** The decision a routing request would get, optionally under other settings; nothing is stored. */
    public Decision simulate(String channelId, Contact contact, String text, String subject, RoutingSettings override) {
        Directory dir = directory.get();
        Channel channel = channel(dir, channelId);
        Inbox inbox = inboxOf(dir, channel);
        RoutingSettings settings = override == null ? dir.settings(channel.id()) : override;
        return engine.decide(candidates.facts(dir, channel, inbox, settings, contact, new IncomingMessage(text, subject),
                store.loads()));
    }

    /** M2, M4, M5, M6: assign or reassign by hand. */
    public Conversation assign(String conversationId, Assignee target, Actor actor) {
        return change(conversationId, (tx, conversation) -> {
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
                return conversation;
            }
            Instant now = clock.instant();
            AssignmentChange change = new AssignmentChange(now, conversation.assignee(), target, actor.userId(),
                    AssignmentChange.Cause.MANUAL);
            Conversation after = conversation.assigned(change);
            tx.recordAssignment(after, change);
            if (conversation.isUnassigned()) {
                tx.stopWaiting(conversationId); // assigned by hand: it leaves the queue (R10)
            }
            if (conversation.isChat()) {
                tx.moveChatLoad(conversation.assignee(), target, now);
            }
            tx.emit(ConversationEvent.assigned(ids.get(), after, null, now));
            return after;
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

    /** M3: a reply by a user with access; replying to an unassigned conversation takes it. M4: an assigned one, only its assignee or an admin. */
    public Conversation reply(String conversationId, String text, Actor actor) {
        if (actor.userId() == null) {
            throw new InvalidInputException("byUserId: an admin token must say which user replies");
        }
        return change(conversationId, (tx, conversation) -> {
            Directory dir = directory.get();
            Inbox inbox = inboxOf(dir, conversation);
            if (dir.user(actor.userId()).isEmpty()) {
                throw new RefusedException("byUserId: unknown user '" + actor.userId() + "'");
            }
            requireAccess(dir, inbox, actor.userId());
            requireAssigneeOrAdmin(dir, conversation, actor, "reply to");
            if (!conversation.isOpen()) {
                throw new RefusedException("conversation '" + conversationId + "' is closed");
            }
            if (conversation.messageCount() >= MAX_MESSAGES) {
                throw new RefusedException("conversation '" + conversationId + "' holds the most messages a conversation may ("
                        + MAX_MESSAGES + "); start a new conversation");
            }
            Instant now = clock.instant();
            Message reply = new Message(ids.get(), actor.userId(), text, null, now);
            Conversation withReply = conversation.withMessage(reply);
            if (!conversation.isUnassigned()) {
                tx.recordReply(withReply, reply, null);
                return withReply;
            }
            // Taking it by a reply is a manual assignment, so the same rules decide (a deactivated user cannot).
            requireAllowedByManualRules(dir, conversation, inbox, Assignee.user(actor.userId()), actor);
            AssignmentChange change = new AssignmentChange(now, null, Assignee.user(actor.userId()), actor.userId(),
                    AssignmentChange.Cause.REPLY);
            Conversation after = withReply.assigned(change);
            tx.recordReply(after, reply, change);
            tx.stopWaiting(conversationId);
            if (conversation.isChat()) {
                tx.moveChatLoad(null, change.to(), now);
            }
            tx.emit(ConversationEvent.assigned(ids.get(), after, null, now));
            return after;
        });
    }

    /**
     * M7: closing ends the conversation's weight in its assignee's load. Closing twice is harmless.
     * M4: an assigned one is closed only by its assignee or an admin.
     */
    public Conversation close(String conversationId, Actor actor) {
        return change(conversationId, (tx, conversation) -> {
            Directory dir = directory.get();
            if (!actor.admin()) {
                requireAccess(dir, inboxOf(dir, conversation), actor.userId());
            }
            requireAssigneeOrAdmin(dir, conversation, actor, "close");
            if (!conversation.isOpen()) {
                return conversation;
            }
            Conversation after = conversation.closed();
            tx.recordClose(after);
            if (conversation.isUnassigned()) {
                tx.stopWaiting(conversationId); // closed: it leaves the queue (R10)
            }
            if (conversation.isChat()) {
                tx.moveChatLoad(conversation.assignee(), null, null);
            }
            tx.emit(ConversationEvent.closed(ids.get(), after, clock.instant()));
            return after;
        });
    }

    /** Every routing decision of a conversation, oldest first (R9, R10). */
    public List<Decision> decisionsOf(String conversationId) {
        find(conversationId);
        return store.decisionsOf(conversationId);
    }

    /** Since when each of these conversations waits (R10); those not waiting are left out. */
    public Map<String, Instant> waitingSince(Collection<String> conversationIds) {
        return store.waitingSince(conversationIds);
    }

    /** A change to one conversation, planned and stored in one transaction that holds the conversation's row lock. */
    @FunctionalInterface
    private interface Change {
        Conversation apply(ConversationStore.Transaction tx, Conversation current);
    }

    /**
     * Runs a {@link Change} and, once it has committed, tells {@code chatLoadFreed} of the user whose
     * open chat it took away (closed, or assigned to someone else), so that a waiting chat may take
     * the room (R10).
     */
    private Conversation change(String conversationId, Change change) {
        Changed changed = store.inTransaction(tx -> {
            Conversation before = tx.lock(conversationId)
                    .orElseThrow(() -> new NotFoundException("no conversation with id '" + conversationId + "'"));
            return new Changed(before, change.apply(tx, before));
        });
        changed.freedChatLoad().ifPresent(chatLoadFreed);
        return changed.after();
    }

    /** A conversation before and after one change. */
    private record Changed(Conversation before, Conversation after) {
        Optional<String> freedChatLoad() {
            boolean moved = !after.isOpen() || !Objects.equals(before.assignee(), after.assignee());
            return before.isChat() && before.isOpen() && moved
                    ? Optional.ofNullable(Assignee.userOf(before.assignee())) : Optional.empty();
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

    /** Up to {@code limit} of the conversation's messages in order, from the one numbered {@code from} (the first is 0). */
    public List<Message> messages(String conversationId, int from, int limit) {
        return store.messages(conversationId, from, limit);
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
        requireAssigneeOrAdmin(dir, conversation, actor, "reassign");
    }

    /**
     * M4: on an assigned conversation only its assignee (the user, or a member of the team) or an
     * admin may act: reassign, reply or close. Anyone with access may act on an unassigned one.
     */
    private static void requireAssigneeOrAdmin(Directory dir, Conversation conversation, Actor actor, String action) {
        if (actor.admin() || conversation.isUnassigned()) {
            return;
        }
        Assignee current = conversation.assignee();
        String userId = actor.userId();
        boolean isAssignee = current.isUser(userId)
                || (current.type() == AssigneeType.TEAM && dir.teamsOf(userId).contains(current.id()));
        if (!isAssignee) {
            throw new ForbiddenException("only the assignee (a user, or a member of the assigned team) or an admin may "
                    + action + " conversation '" + conversation.id() + "'");
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
