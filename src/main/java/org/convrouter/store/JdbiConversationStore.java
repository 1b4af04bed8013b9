package org.convrouter.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssigneeType;
import org.convrouter.conversation.AssignmentChange;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationEvent;
import org.convrouter.conversation.ConversationQuery;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.ConversationStore;
import org.convrouter.conversation.Message;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.error.StorageFailedException;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.AgentLoads;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.support.ForgetfulMap;
import org.convrouter.support.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.postgresql.PGStatement;

/**
 * Conversations in SQL, one transaction per change. Agents' chat loads are columns of
 * {@code users} ({@code open_chats}, {@code last_chat_assigned_at}), changed in the transaction that
 * assigns, reassigns or closes. A chat's routing decision first locks its candidates' teams' rows
 * (and teamless candidates' own rows), so least-busy routing is exact across any number of instances.
 */
public final class JdbiConversationStore implements ConversationStore {

    private static final RowMapper<Conversation> CONVERSATION = (rs, ctx) -> new Conversation(
            rs.getString("id"), rs.getString("channel_id"), ChannelKind.valueOf(rs.getString("channel_kind")),
            rs.getString("inbox_id"), rs.getString("contact_id"), ConversationStatus.valueOf(rs.getString("status")),
            assignee(rs, "assignee_type", "assignee_id"), rs.getString("decision_id"), instant(rs, "created_at"),
            List.of(), List.of());
    private static final RowMapper<Contact> CONTACT = (rs, ctx) -> new Contact(rs.getString("id"), rs.getString("email"),
            rs.getString("name"), rs.getString("owner_id"), rs.getBoolean("cookie_tracked"));
    private static final RowMapper<Map.Entry<String, AgentLoad>> LOAD = (rs, ctx) -> Map.entry(rs.getString("id"),
            new AgentLoad(rs.getInt("open_chats"), instant(rs, "last_chat_assigned_at")));
    /** A transaction that lost a deadlock or a race for a unique key is run again, at most this often. */
    private static final int ATTEMPTS = 10;

    private final Jdbi jdbi;
    /** What the memo of rosters may hold, estimated from the members' text (docs/limits.md). */
    public static final long ROSTER_MEMO_BYTES = 16L * 1024 * 1024;
    /**
     * Rosters known to be stored, and their members for reading decisions back: a handful per
     * channel and directory version. Rosters are named by their content, so storing one again
     * changes nothing; knowing one is stored only saves the insert. Sized in bytes: a roster of
     * 1,000 users is some 25 KB, and 4,096 of them would be 100 MB.
     */
    private final ForgetfulMap<String, String> rosters = new ForgetfulMap<>(4096, ROSTER_MEMO_BYTES,
            (id, members) -> ForgetfulMap.stringBytes(id) + ForgetfulMap.stringBytes(members));

    private final Predicate<String> subscribed;

    /**
     * {@code subscribed}: whether some webhook subscribes to an event type
     * ({@code Webhooks::anySubscribedTo}); no statement is sent for the others.
     */
    public JdbiConversationStore(Database database, Predicate<String> subscribed) {
        this.jdbi = database.jdbi();
        this.subscribed = subscribed;
    }

    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        for (int attempt = 1; ; attempt++) {
            List<DecisionCodec.StoredRoster> newRosters = new ArrayList<>(1);
            try {
                T result = jdbi.inTransaction(h -> work.apply(new Tx(h, newRosters)));
                newRosters.forEach(r -> rosters.put(r.id(), r.members()));
                return result;
            } catch (JdbiException e) {
                if (attempt >= ATTEMPTS || !lostARace(e)) {
                    throw new StorageFailedException("the change could not be stored and did not happen; try again", e);
                }
                pause(attempt);
            }
        }
    }

    /** Lets the transaction that won finish (H2 reports a conflict with an uncommitted row at once), with jitter. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageFailedException("interrupted; the change did not happen", e);
        }
    }

    /**
     * A deadlock (PostgreSQL 40P01, H2 40001), a serialisation failure (40001), a unique key taken by a
     * concurrent transaction (23505) or, on H2, a lock wait timed out (HYT00): running the work again
     * sees the other transaction's outcome.
     */
    private static boolean lostARace(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && List.of("40001", "40P01", "23505", "HYT00").contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Optional<Conversation> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM conversations WHERE id = :id").bind("id", id)
                .map(CONVERSATION).findOne().map(c -> withDetails(h, c)));
    }

    @Override
    public Optional<Decision> decisionOf(String conversationId) {
        return jdbi.withHandle(h -> latestDecisionBody(h, conversationId).map(body -> decode(h, body)));
    }

    /** The body of the conversation's latest routing decision, the one it names. */
    private static Optional<String> latestDecisionBody(Handle h, String conversationId) {
        return h.createQuery("SELECT d.body FROM conversations c JOIN decisions d ON d.id = c.decision_id WHERE c.id = :id")
                .bind("id", conversationId).mapTo(String.class).findOne();
    }

    private Decision decode(Handle h, String body) {
        return DecisionCodec.decode(body, id -> roster(h, id));
    }

    @Override
    public AgentLoads loads() {
        return userId -> jdbi.withHandle(h -> loads(h, List.of(userId)).of(userId));
    }

    @Override
    public List<Decision> decisionsOf(String conversationId) {
        return jdbi.withHandle(h -> {
            List<String> bodies = h.createQuery("SELECT d.body FROM conversation_decisions cd JOIN decisions d ON d.id = cd.decision_id "
                            + "WHERE cd.conversation_id = :id ORDER BY cd.decided_at, cd.decision_id")
                    .bind("id", conversationId).mapTo(String.class).list();
            if (bodies.isEmpty()) { // decided before each attempt was recorded: its one decision
                bodies = latestDecisionBody(h, conversationId).stream().toList();
            }
            return bodies.stream().map(body -> decode(h, body)).toList();
        });
    }

    @Override
    public Map<String, Instant> waitingSince(Collection<String> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<String, Instant> since = new HashMap<>();
            h.createQuery("SELECT conversation_id, since FROM waiting_conversations WHERE conversation_id IN (<ids>)")
                    .bindList("ids", List.copyOf(conversationIds))
                    .map((rs, ctx) -> Map.entry(rs.getString("conversation_id"), instant(rs, "since")))
                    .forEach(e -> since.put(e.getKey(), e.getValue()));
            return since;
        });
    }

    @Override
    public List<String> waitingChannels() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT channel_id FROM waiting_conversations ORDER BY channel_id")
                .mapTo(String.class).list());
    }

    @Override
    public List<Waiting> waiting(String channelId, Waiting after, int limit) {
        return jdbi.withHandle(h -> {
            Query query = h.createQuery("SELECT conversation_id, since FROM waiting_conversations WHERE channel_id = :channel"
                    + (after == null ? "" : " AND (since > :afterSince OR (since = :afterSince AND conversation_id > :afterId))")
                    + " ORDER BY since, conversation_id LIMIT :limit").bind("channel", channelId).bind("limit", limit);
            if (after != null) {
                query.bind("afterSince", ts(after.since())).bind("afterId", after.conversationId());
            }
            return query.map((rs, ctx) -> new Waiting(rs.getString("conversation_id"), instant(rs, "since"))).list();
        });
    }

    @Override
    public QueueStats queueStats() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) AS waiting, MIN(since) AS oldest FROM waiting_conversations")
                .map((rs, ctx) -> new QueueStats(rs.getLong("waiting"), instant(rs, "oldest"))).one());
    }

    @Override
    public void stopWaiting(String channelId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM waiting_conversations WHERE channel_id = :channel")
                .bind("channel", channelId).execute());
    }

    /**
     * The channel's drain lock is held on a connection of its own, opened with {@link Jdbi#open}, which
     * the thread's later transactions do not join: each routing attempt of the drain commits by
     * itself, and the lock only keeps a second drain of the channel waiting.
     */
    @Override
    public void whileDraining(String channelId, Runnable work) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO queue_drains (channel_id) VALUES (:channel) ON CONFLICT DO NOTHING")
                .bind("channel", channelId).execute());
        try (Handle lock = jdbi.open()) {
            lock.begin();
            try {
                lock.createQuery("SELECT channel_id FROM queue_drains WHERE channel_id = :channel FOR UPDATE")
                        .bind("channel", channelId).mapTo(String.class).one();
                work.run();
            } finally {
                lock.rollback(); // it wrote nothing: ending it releases the lock
            }
        }
    }

    /**
     * Has PostgreSQL plan a statement for the values it is given, each time: for the statements a
     * chat's decision sends with its candidates' ids. The driver otherwise prepares a statement on the
     * server after a few runs, and PostgreSQL may then keep one plan for any values: for 200
     * candidates, planned before the users table was ever analysed, that plan compares every user with
     * every candidate (milliseconds, inside the routing lock), where a plan for the values hashes them
     * or uses the primary key (a fraction of one).
     */
    private static final StatementCustomizer PLANNED_FOR_ITS_VALUES = new StatementCustomizer() {
        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context) throws SQLException {
            if (statement.isWrapperFor(PGStatement.class)) {
                statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
        }
    };

    /** Locks these rows of {@code table} until the transaction ends, in id order so that decisions never deadlock. */
    static void lockRows(Handle h, String table, Collection<String> ids) {
        if (!ids.isEmpty()) {
            h.createQuery("SELECT id FROM " + table + " WHERE id IN (<ids>) ORDER BY id FOR UPDATE")
                    .bindList("ids", List.copyOf(new TreeSet<>(ids))).addCustomizer(PLANNED_FOR_ITS_VALUES)
                    .mapTo(String.class).list();
        }
    }

    static AgentLoads loads(Handle h, Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return id -> AgentLoad.NONE;
        }
        Map<String, AgentLoad> loads = new HashMap<>();
        h.createQuery("SELECT id, open_chats, last_chat_assigned_at FROM users WHERE id IN (<ids>)")
                .bindList("ids", List.copyOf(userIds)).addCustomizer(PLANNED_FOR_ITS_VALUES)
                .map(LOAD).forEach(e -> loads.put(e.getKey(), e.getValue()));
        return id -> loads.getOrDefault(id, AgentLoad.NONE);
    }

    private String roster(Handle h, String id) {
        String members = rosters.get(id);
        if (members == null) {
            members = h.createQuery("SELECT members FROM rosters WHERE id = :id").bind("id", id).mapTo(String.class)
                    .findOne().orElse(null);
            if (members != null) {
                rosters.put(id, members);
            }
        }
        return members;
    }

    /** One transaction's reads and writes. */
    private final class Tx implements Transaction {
        private final Handle h;
        private final List<DecisionCodec.StoredRoster> newRosters;

        Tx(Handle h, List<DecisionCodec.StoredRoster> newRosters) {
            this.h = h;
            this.newRosters = newRosters;
        }

        @Override
        public boolean exists(String conversationId) {
            return h.createQuery("SELECT 1 FROM conversations WHERE id = :id").bind("id", conversationId)
                    .mapTo(Integer.class).findOne().isPresent();
        }

        @Override
        public Optional<Conversation> lock(String conversationId) {
            return h.createQuery("SELECT * FROM conversations WHERE id = :id FOR UPDATE").bind("id", conversationId)
                    .map(CONVERSATION).findOne().map(c -> withDetails(h, c));
        }

        @Override
        public void lockForRouting(Collection<String> teamIds, Collection<String> userIds) {
            lockRows(h, "teams", teamIds);
            lockRows(h, "users", userIds);
        }

        @Override
        public AgentLoads readLoads(Collection<String> userIds) {
            return loads(h, userIds);
        }

        @Override
        public Optional<Contact> contact(String id) {
            return h.createQuery("SELECT * FROM contacts WHERE id = :id").bind("id", id).map(CONTACT).findOne();
        }

        /**
         * Concurrent first messages from one new address race to insert it: the loser's insert fails
         * on the unique email (once the winner commits, or at once on H2), and its transaction is run
         * again, finding the winner's contact.
         */
        @Override
        public Contact contactForEmail(String email, String name, String newId) {
            String normal = Contact.normalEmail(email);
            return byEmail(normal).orElseGet(() -> {
                Contact contact = new Contact(newId, normal, name, null, false);
                h.createUpdate("INSERT INTO contacts (id, email, name, owner_id, cookie_tracked) VALUES (:id, :email, :name, NULL, FALSE)")
                        .bind("id", newId).bind("email", normal).bind("name", name).execute();
                return contact;
            });
        }

        private Optional<Contact> byEmail(String normal) {
            return h.createQuery("SELECT * FROM contacts WHERE email = :email").bind("email", normal).map(CONTACT).findOne();
        }

        @Override
        public void create(Conversation c, Decision decision) {
            if (decision != null) {
                insertDecision(c, decision);
            }
            h.createUpdate("INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, status, "
                            + "assignee_type, assignee_id, decision_id, created_at) VALUES (:id, :channel, :kind, :inbox, "
                            + ":contact, :status, :assigneeType, :assigneeId, :decision, :at)")
                    .bind("id", c.id()).bind("channel", c.channelId()).bind("kind", c.channelKind().name())
                    .bind("inbox", c.inboxId()).bind("contact", c.contactId()).bind("status", c.status().name())
                    .bind("assigneeType", c.assignee() == null ? null : c.assignee().type().name())
                    .bind("assigneeId", c.assignee() == null ? null : c.assignee().id())
                    .bind("decision", c.decisionId()).bind("at", ts(c.createdAt())).execute();
            int first = c.messageCount() - c.messages().size();
            for (int i = 0; i < c.messages().size(); i++) {
                message(c.id(), first + i, c.messages().get(i));
            }
            for (int i = 0; i < c.history().size(); i++) {
                change(c.id(), i, c.history().get(i));
            }
        }

        /** The decision compactly: its candidate list stored once as a roster when it is long (DecisionCodec). */
        private void insertDecision(Conversation c, Decision decision) {
            DecisionCodec.Encoded encoded = DecisionCodec.encode(decision);
            DecisionCodec.StoredRoster roster = encoded.roster();
            if (roster != null && rosters.get(roster.id()) == null) {
                h.createUpdate("INSERT INTO rosters (id, members) VALUES (:id, :members) ON CONFLICT DO NOTHING")
                        .bind("id", roster.id()).bind("members", roster.members()).execute();
                newRosters.add(roster);
            }
            h.createUpdate("INSERT INTO decisions (id, body) VALUES (:id, :body)").bind("id", decision.id())
                    .bind("body", encoded.body()).execute();
            for (int i = 0; i < decision.notifications().size(); i++) {
                Notification n = decision.notifications().get(i);
                h.createUpdate("INSERT INTO notifications (id, conversation_id, channel, user_id, address, subject, text, "
                                + "queued_at, status, attempts, next_attempt_at) VALUES (:id, :conversation, :channel, :user, "
                                + ":address, :subject, :text, :at, 'pending', 0, :at)")
                        .bind("id", decision.id() + "/" + i).bind("conversation", c.id()).bind("channel", n.channel())
                        .bind("user", n.userId()).bind("address", n.address()).bind("subject", n.subject())
                        .bind("text", n.text()).bind("at", ts(decision.decidedAt())).execute();
            }
        }

        /** One delivery row per subscribed webhook, in one statement; no statement when nobody subscribed. */
        @Override
        public void emit(ConversationEvent event) {
            if (!subscribed.test(event.event())) {
                return;
            }
            h.createUpdate("INSERT INTO webhook_deliveries (id, webhook_id, event, conversation_id, body, status, attempts, "
                            + "next_attempt_at, queued_at) SELECT CONCAT(:id, '/', webhook_id), webhook_id, event, :conversation, "
                            + ":body, 'pending', 0, :at, :at FROM webhook_events WHERE event = :event")
                    .bind("id", event.id()).bind("conversation", event.conversationId()).bind("body", Json.write(event)) // the event is the body receivers get
                    .bind("at", ts(event.at())).bind("event", event.event()).execute();
        }

        @Override
        public void recordAssignment(Conversation after, AssignmentChange change) {
            assign(after, change);
        }

        @Override
        public void recordReply(Conversation after, Message reply, AssignmentChange change) {
            message(after.id(), after.messageCount() - 1, reply);
            if (change != null) {
                assign(after, change);
            }
        }

        @Override
        public void recordClose(Conversation after) {
            h.createUpdate("UPDATE conversations SET status = :status WHERE id = :id").bind("status", after.status().name())
                    .bind("id", after.id()).execute();
        }

        @Override
        public boolean isWaiting(String conversationId) {
            return h.createQuery("SELECT 1 FROM waiting_conversations WHERE conversation_id = :id").bind("id", conversationId)
                    .mapTo(Integer.class).findOne().isPresent();
        }

        @Override
        public void startWaiting(Conversation conversation, Decision decision, Instant since) {
            h.createUpdate("INSERT INTO waiting_conversations (conversation_id, channel_id, since) VALUES (:id, :channel, :since)")
                    .bind("id", conversation.id()).bind("channel", conversation.channelId()).bind("since", ts(since)).execute();
            attempt(conversation.id(), decision);
        }

        @Override
        public void stopWaiting(String conversationId) {
            h.createUpdate("DELETE FROM waiting_conversations WHERE conversation_id = :id").bind("id", conversationId).execute();
        }

        @Override
        public void recordAttempt(Conversation after, Decision decision, AssignmentChange change) {
            insertDecision(after, decision);
            attempt(after.id(), decision);
            h.createUpdate("UPDATE conversations SET decision_id = :decision WHERE id = :id")
                    .bind("decision", decision.id()).bind("id", after.id()).execute();
            if (change != null) {
                assign(after, change);
                stopWaiting(after.id());
            }
        }

        private void attempt(String conversationId, Decision decision) {
            h.createUpdate("INSERT INTO conversation_decisions (conversation_id, decision_id, decided_at) VALUES (:id, :decision, :at)")
                    .bind("id", conversationId).bind("decision", decision.id()).bind("at", ts(decision.decidedAt())).execute();
        }

        /** The two rows change in id order, the order decisions lock them in, so the two never deadlock. */
        @Override
        public void moveChatLoad(Assignee from, Assignee to, Instant at) {
            String released = Assignee.userOf(from);
            String taken = Assignee.userOf(to);
            if (released != null && taken != null && taken.compareTo(released) < 0) {
                take(taken, at);
                release(released);
                return;
            }
            if (released != null) {
                release(released);
            }
            if (taken != null) {
                take(taken, at);
            }
        }

        private void release(String userId) {
            h.createUpdate("UPDATE users SET open_chats = open_chats - 1 WHERE id = :id AND open_chats > 0")
                    .bind("id", userId).execute();
        }

        private void take(String userId, Instant at) {
            h.createUpdate("UPDATE users SET open_chats = open_chats + 1, last_chat_assigned_at = :at WHERE id = :id")
                    .bind("id", userId).bind("at", ts(at)).execute();
        }

        private void assign(Conversation after, AssignmentChange change) {
            Assignee to = change.to();
            h.createUpdate("UPDATE conversations SET assignee_type = :type, assignee_id = :assignee WHERE id = :id")
                    .bind("type", to == null ? null : to.type().name()).bind("assignee", to == null ? null : to.id())
                    .bind("id", after.id()).execute();
            change(after.id(), after.history().size() - 1, change);
        }

        private void change(String conversationId, int seq, AssignmentChange change) {
            h.createUpdate("INSERT INTO assignment_changes (conversation_id, seq, at, from_type, from_id, to_type, to_id, "
                            + "by_user_id, cause) VALUES (:conversation, :seq, :at, :fromType, :fromId, :toType, :toId, :by, :cause)")
                    .bind("conversation", conversationId).bind("seq", seq).bind("at", ts(change.at()))
                    .bind("fromType", change.from() == null ? null : change.from().type().name())
                    .bind("fromId", change.from() == null ? null : change.from().id())
                    .bind("toType", change.to() == null ? null : change.to().type().name())
                    .bind("toId", change.to() == null ? null : change.to().id())
                    .bind("by", change.byUserId()).bind("cause", change.cause().name()).execute();
        }

        private void message(String conversationId, int seq, Message m) {
            h.createUpdate("INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at) "
                            + "VALUES (:id, :conversation, :seq, :author, :text, :subject, :at)")
                    .bind("id", m.id()).bind("conversation", conversationId).bind("seq", seq).bind("author", m.authorUserId())
                    .bind("text", m.text()).bind("subject", m.subject()).bind("at", ts(m.at())).execute();
        }
    }

    @Override
    public List<Conversation> list(ConversationQuery q) {
        if (q.inboxIds() != null && q.inboxIds().isEmpty()) {
            return List.of();
        }
        List<ConversationStatus> statuses = q.status() != null ? List.of(q.status()) : List.of(ConversationStatus.values());
        return jdbi.withHandle(h -> {
            List<Conversation> merged = new ArrayList<>();
            if (q.unassignedOnly()) {
                merged.addAll(range(h, q, "assignee_id IS NULL", "", Map.of(), true));
            } else if (q.mineFor() != null) {
                for (ConversationStatus status : statuses) {
                    merged.addAll(range(h, q, "assignee_id = :mine AND status = :status AND assignee_type = 'USER'",
                            "assignee_id, status, ", Map.of("mine", q.mineFor(), "status", status.name()), false));
                }
            } else {
                Collection<String> inboxes = q.inboxIds() != null ? q.inboxIds()
                        : h.createQuery("SELECT id FROM inboxes").mapTo(String.class).list();
                for (String inbox : inboxes) {
                    for (ConversationStatus status : statuses) {
                        merged.addAll(range(h, q.withoutInboxes(), "inbox_id = :inbox AND status = :status",
                                "inbox_id, status, ", Map.of("inbox", inbox, "status", status.name()), false));
                    }
                }
            }
            merged.sort(NEWEST_FIRST);
            return List.copyOf(merged.subList(0, Math.min(q.limit(), merged.size())));
        });
    }

    private static final Comparator<Conversation> NEWEST_FIRST =
            Comparator.comparing(Conversation::createdAt).thenComparing(Conversation::id).reversed();

    /**
     * One index range: the partition's equality conditions, plus the query's inbox set, status (if
     * asked) and cursor. Ordering by the partition's (constant) columns first lets H2 read the
     * index in order and stop at the limit instead of sorting the whole partition.
     */
    private static List<Conversation> range(Handle h, ConversationQuery q, String partition, String partitionOrder,
                                            Map<String, Object> keys, boolean filterStatus) {
        List<String> where = new ArrayList<>(List.of(partition));
        Map<String, Object> values = new HashMap<>(keys);
        if (q.inboxIds() != null) {
            where.add("inbox_id IN (<inboxes>)");
        }
        if (filterStatus && q.status() != null) {
            where.add("status = :filterStatus");
            values.put("filterStatus", q.status().name());
        }
        if (q.before() != null) {
            where.add("(created_at < :beforeAt OR (created_at = :beforeAt AND id < :beforeId))");
            values.put("beforeAt", ts(q.before().createdAt()));
            values.put("beforeId", q.before().id());
        }
        Query query = h.createQuery("SELECT * FROM conversations WHERE " + String.join(" AND ", where)
                + " ORDER BY " + partitionOrder + "created_at DESC, id DESC LIMIT :limit").bindMap(values).bind("limit", q.limit());
        if (q.inboxIds() != null) {
            query.bindList("inboxes", List.copyOf(q.inboxIds()));
        }
        return query.map(CONVERSATION).list();
    }

    private static final RowMapper<Message> MESSAGE = (rs, ctx) -> new Message(rs.getString("id"),
            rs.getString("author_user_id"), rs.getString("text"), rs.getString("subject"), instant(rs, "at"));

    @Override
    public List<Message> messages(String conversationId, int from, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM messages WHERE conversation_id = :id AND seq >= :from "
                        + "ORDER BY seq LIMIT :limit").bind("id", conversationId).bind("from", from).bind("limit", limit)
                .map(MESSAGE).list());
    }

    /**
     * The conversation with its latest messages only, read newest first in one statement: messages
     * are numbered densely from 0, so the newest one's number + 1 is the count.
     */
    private static Conversation withDetails(Handle h, Conversation c) {
        List<Map.Entry<Integer, Message>> newestFirst = h.createQuery("SELECT * FROM messages WHERE conversation_id = :id "
                        + "ORDER BY seq DESC LIMIT :limit").bind("id", c.id()).bind("limit", Conversation.RECENT_MESSAGES)
                .map((rs, ctx) -> Map.entry(rs.getInt("seq"), MESSAGE.map(rs, ctx))).list();
        int count = newestFirst.isEmpty() ? 0 : newestFirst.get(0).getKey() + 1;
        List<Message> messages = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            messages.add(newestFirst.get(i).getValue());
        }
        List<AssignmentChange> history = h.createQuery("SELECT * FROM assignment_changes WHERE conversation_id = :id ORDER BY seq")
                .bind("id", c.id()).map((rs, ctx) -> new AssignmentChange(instant(rs, "at"), assignee(rs, "from_type", "from_id"),
                        assignee(rs, "to_type", "to_id"), rs.getString("by_user_id"),
                        AssignmentChange.Cause.valueOf(rs.getString("cause")))).list();
        return new Conversation(c.id(), c.channelId(), c.channelKind(), c.inboxId(), c.contactId(), c.status(),
                c.assignee(), c.decisionId(), c.createdAt(), messages, count, history);
    }

    private static Assignee assignee(ResultSet rs, String typeColumn, String idColumn) throws SQLException {
        String type = rs.getString(typeColumn);
        return type == null ? null : new Assignee(AssigneeType.valueOf(type), rs.getString(idColumn));
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
