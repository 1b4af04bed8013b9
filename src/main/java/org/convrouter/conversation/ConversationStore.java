package org.convrouter.conversation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.convrouter.directory.Contact;
import org.convrouter.routing.AgentLoads;
import org.convrouter.routing.Decision;

/**
 * Where conversations and agents' chat loads live: the database, shared by every instance. A change
 * is made inside {@link #inTransaction}, one database transaction that commits before the caller
 * answers; exactness across instances comes from the row locks taken there. Thread-safe.
 */
public interface ConversationStore {

    /**
     * Runs {@code work} in one transaction and commits it. Work that lost a deadlock or a race for
     * a unique key is run again from the start (so it must have no effects outside the transaction).
     */
    <T> T inTransaction(Function<Transaction, T> work);

    Optional<Conversation> find(String id);

    Optional<Decision> decisionOf(String conversationId);

    List<Conversation> list(ConversationQuery query);

    /** Up to {@code limit} of a conversation's messages in order, from the one numbered {@code from} (the first is 0). */
    List<Message> messages(String conversationId, int from, int limit);

    /** Users' chat loads as committed now, read without locks (for display and for decisions that move no load). */
    AgentLoads loads();

    /** Every routing decision of a conversation, oldest first: one, or each attempt while it waited (R9, R10). */
    List<Decision> decisionsOf(String conversationId);

    /** Since when each of these conversations waits (R10); those not waiting are left out. */
    Map<String, Instant> waitingSince(Collection<String> conversationIds);

    /** The channels with at least one waiting conversation. */
    List<String> waitingChannels();

    /** Up to {@code limit} of a channel's waiting conversations, oldest first, after {@code after} (null: from the start). */
    List<Waiting> waiting(String channelId, Waiting after, int limit);

    /** How many conversations wait, and since when the oldest has (null when none). */
    QueueStats queueStats();

    /** Forgets that a channel's conversations wait (its automatic assignment was turned off, or it is gone). */
    void stopWaiting(String channelId);

    /**
     * Runs {@code work} holding the channel's queue lock, a row lock held by a transaction of its own
     * until {@code work} returns: one drain per channel at a time across every instance, each
     * re-route still a transaction of its own. Waits while another instance drains the channel.
     */
    void whileDraining(String channelId, Runnable work);

    /** One waiting conversation: its place in the queue. */
    record Waiting(String conversationId, Instant since) {}

    /** The queue as metrics show it. */
    record QueueStats(long waiting, Instant oldestSince) {}

    /** What one transaction may read and change. Valid only inside the work it is handed to. */
    interface Transaction {

        boolean exists(String conversationId);

        /** The conversation, locked until the transaction ends, so changes to it are made one at a time. */
        Optional<Conversation> lock(String conversationId);

        /**
         * Locks what a routing decision over these candidates must not share with another: the row of
         * each team given, then of each user given, in id order, so that concurrent transactions
         * never deadlock. Held until the transaction ends: two decisions that could choose the same
         * agent run one after the other, on any instance, and read each other's outcome (R4).
         */
        void lockForRouting(Collection<String> teamIds, Collection<String> userIds);

        /** These users' loads as committed, not locked. */
        AgentLoads readLoads(Collection<String> userIds);

        Optional<Contact> contact(String id);

        /** The contact with this email (normal form), created with {@code name} if there is none yet. */
        Contact contactForEmail(String email, String name, String newId);

        /** A new conversation with its first message, its assignment if any, and the decision that placed it. */
        void create(Conversation conversation, Decision decision);

        void recordAssignment(Conversation after, AssignmentChange change);

        /** A reply, and the assignment it caused (M3) or null. */
        void recordReply(Conversation after, Message reply, AssignmentChange change);

        void recordClose(Conversation after);

        /**
         * Queues {@code event} for every webhook subscribed to its type, in this transaction: it is
         * posted (at least once) only if the change commits. Whoever changes a conversation's
         * assignment or status emits the matching event.
         */
        void emit(ConversationEvent event);

        /** Whether the conversation waits (R10). */
        boolean isWaiting(String conversationId);

        /** The conversation waits from {@code since}; its routing decision so far opens its decision history. */
        void startWaiting(Conversation conversation, Decision decision, Instant since);

        /** The conversation no longer waits (assigned by hand or by a reply, closed). Harmless when it did not. */
        void stopWaiting(String conversationId);

        /**
         * Another routing attempt of a waiting conversation: the decision joins its history and becomes
         * its decision; with {@code change} (an assignment) it is assigned and leaves the queue.
         */
        void recordAttempt(Conversation after, Decision decision, AssignmentChange change);

        /** A chat's weight moves from one assignee to another (either may be null or a team); {@code at} stamps the new user's last chat assignment. */
        void moveChatLoad(Assignee from, Assignee to, Instant at);
    }

}
