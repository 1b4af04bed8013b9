package org.convrouter.store;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssigneeType;
import org.convrouter.conversation.AssignmentChange;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationQuery;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.ConversationStore;
import org.convrouter.conversation.Message;
import org.convrouter.directory.ChannelKind;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * Conversations in SQL. Writes go through a {@link GroupCommitWriter}: each change is one unit in a
 * shared transaction, durable when its future completes. A chat assigned to a user also stamps
 * {@code users.last_chat_assigned_at} in that transaction, so least-busy routing resumes exactly
 * after a restart ({@link #chatLoads()}).
 */
public final class JdbiConversationStore implements ConversationStore, AutoCloseable {

    private static final RowMapper<Conversation> CONVERSATION = (rs, ctx) -> new Conversation(
            rs.getString("id"), rs.getString("channel_id"), ChannelKind.valueOf(rs.getString("channel_kind")),
            rs.getString("inbox_id"), rs.getString("contact_id"), ConversationStatus.valueOf(rs.getString("status")),
            assignee(rs, "assignee_type", "assignee_id"), rs.getString("decision_id"), instant(rs, "created_at"),
            List.of(), List.of());

    private final Jdbi jdbi;
    private final GroupCommitWriter writer;
    /** Changes queued for the next group commit, newest state per conversation. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    public JdbiConversationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
        this.writer = new GroupCommitWriter(jdbi);
    }

    /** Commits what is queued and stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public CompletableFuture<Void> create(Conversation c, Decision decision) {
        return write(c, decision, h -> insert(h, c, decision));
    }

    @Override
    public CompletableFuture<Void> recordAssignment(Conversation after, AssignmentChange change) {
        return write(after, null, h -> assign(h, after, change));
    }

    @Override
    public CompletableFuture<Void> recordReply(Conversation after, Message reply, AssignmentChange change) {
        return write(after, null, h -> {
            insertMessage(h, after.id(), after.messages().size() - 1, reply);
            if (change != null) {
                assign(h, after, change);
            }
        });
    }

    @Override
    public CompletableFuture<Void> recordClose(Conversation after) {
        return write(after, null, h -> expectOneRow(after, h.createUpdate("UPDATE conversations SET status = :status WHERE id = :id")
                .bind("status", after.status().name()).bind("id", after.id()).execute()));
    }

    /**
     * Queues the write for the next group commit. Until it commits, the new state is served from
     * memory, so the next change to the same conversation builds on it.
     */
    private CompletableFuture<Void> write(Conversation after, Decision decision, Consumer<Handle> apply) {
        Pending pending = new Pending(after, decision != null ? decision
                : Optional.ofNullable(this.pending.get(after.id())).map(Pending::decision).orElse(null));
        this.pending.put(after.id(), pending);
        CompletableFuture<Void> done = writer.submit(apply);
        done.whenComplete((ok, failure) -> this.pending.remove(after.id(), pending));
        return done;
    }

    private record Pending(Conversation conversation, Decision decision) {}

    private static void insert(Handle h, Conversation c, Decision decision) {
        if (decision != null) {
            h.createUpdate("INSERT INTO decisions (id, body) VALUES (:id, :body)")
                    .bind("id", decision.id()).bind("body", DecisionCodec.encode(decision)).execute();
            for (int i = 0; i < decision.notifications().size(); i++) {
                Notification n = decision.notifications().get(i);
                h.createUpdate("INSERT INTO notifications (id, conversation_id, channel, user_id, address, subject, text, queued_at) "
                                + "VALUES (:id, :conversation, :channel, :user, :address, :subject, :text, :at)")
                        .bind("id", c.id() + "/" + i).bind("conversation", c.id()).bind("channel", n.channel())
                        .bind("user", n.userId()).bind("address", n.address()).bind("subject", n.subject())
                        .bind("text", n.text()).bind("at", ts(decision.decidedAt())).execute();
            }
        }
        h.createUpdate("INSERT INTO conversations (id, channel_id, channel_kind, inbox_id, contact_id, status, "
                        + "assignee_type, assignee_id, decision_id, created_at) VALUES (:id, :channel, :kind, :inbox, "
                        + ":contact, :status, :atype, :aid, :decision, :created)")
                .bind("id", c.id()).bind("channel", c.channelId()).bind("kind", c.channelKind().name())
                .bind("inbox", c.inboxId()).bind("contact", c.contactId()).bind("status", c.status().name())
                .bind("atype", c.assignee() == null ? null : c.assignee().type().name())
                .bind("aid", c.assignee() == null ? null : c.assignee().id())
                .bind("decision", c.decisionId()).bind("created", ts(c.createdAt())).execute();
        for (int i = 0; i < c.messages().size(); i++) {
            insertMessage(h, c.id(), i, c.messages().get(i));
        }
        for (int i = 0; i < c.history().size(); i++) {
            insertChange(h, c, i, c.history().get(i));
        }
    }

    @Override
    public Optional<Conversation> find(String id) {
        Pending queued = pending.get(id);
        if (queued != null) {
            return Optional.of(queued.conversation());
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM conversations WHERE id = :id").bind("id", id)
                .map(CONVERSATION).findOne().map(c -> withDetails(h, c)));
    }

    @Override
    public Optional<Decision> decisionOf(String conversationId) {
        Pending queued = pending.get(conversationId);
        if (queued != null && queued.decision() != null) {
            return Optional.of(queued.decision());
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT d.body FROM conversations c JOIN decisions d ON d.id = c.decision_id "
                        + "WHERE c.id = :id").bind("id", conversationId).mapTo(String.class).findOne()
                .map(DecisionCodec::decode));
    }

    /**
     * A page of conversations, newest first. Each part of the answer is one ordered range of an
     * index ((inbox, status) or (assignee, status)) read only as far as the page needs; the parts
     * are merged here, so a page costs the same however long the history grows. The Unassigned
     * view is a short queue and reads in one query.
     */
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

    @Override
    public void flush() {
        writer.submit(h -> { }).handle((ok, failure) -> null).join();
    }

    @Override
    public Map<String, AgentLoad> chatLoads() {
        return jdbi.withHandle(h -> {
            Map<String, Integer> open = new HashMap<>();
            h.createQuery("SELECT assignee_id, COUNT(*) AS n FROM conversations WHERE status = 'OPEN' "
                            + "AND assignee_type = 'USER' AND channel_kind IN ('CHAT', 'BOT', 'MESSENGER') GROUP BY assignee_id")
                    .map((rs, ctx) -> Map.entry(rs.getString("assignee_id"), rs.getInt("n")))
                    .forEach(e -> open.put(e.getKey(), e.getValue()));
            Map<String, AgentLoad> loads = new HashMap<>();
            h.createQuery("SELECT id, last_chat_assigned_at FROM users")
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), new AgentLoad(open.getOrDefault(rs.getString("id"), 0),
                            instant(rs, "last_chat_assigned_at"))))
                    .forEach(e -> loads.put(e.getKey(), e.getValue()));
            return loads;
        });
    }

    private static void assign(Handle h, Conversation after, AssignmentChange change) {
        Assignee to = change.to();
        expectOneRow(after, h.createUpdate("UPDATE conversations SET assignee_type = :type, assignee_id = :id WHERE id = :conversation")
                .bind("type", to == null ? null : to.type().name()).bind("id", to == null ? null : to.id())
                .bind("conversation", after.id()).execute());
        insertChange(h, after, after.history().size() - 1, change);
    }

    /** A change to a conversation that is not stored must fail, not write orphan rows. */
    private static void expectOneRow(Conversation c, int rows) {
        if (rows != 1) {
            throw new IllegalStateException("conversation '" + c.id() + "' is not stored (" + rows + " rows changed)");
        }
    }

    private static void insertChange(Handle h, Conversation c, int seq, AssignmentChange change) {
        h.createUpdate("INSERT INTO assignment_changes (conversation_id, seq, at, from_type, from_id, to_type, to_id, "
                        + "by_user_id, cause) VALUES (:conversation, :seq, :at, :ftype, :fid, :ttype, :tid, :by, :cause)")
                .bind("conversation", c.id()).bind("seq", seq).bind("at", ts(change.at()))
                .bind("ftype", change.from() == null ? null : change.from().type().name())
                .bind("fid", change.from() == null ? null : change.from().id())
                .bind("ttype", change.to() == null ? null : change.to().type().name())
                .bind("tid", change.to() == null ? null : change.to().id())
                .bind("by", change.byUserId()).bind("cause", change.cause().name()).execute();
        if (c.isChat() && change.to() != null && change.to().type() == AssigneeType.USER) {
            h.createUpdate("UPDATE users SET last_chat_assigned_at = :at WHERE id = :id")
                    .bind("at", ts(change.at())).bind("id", change.to().id()).execute();
        }
    }

    private static void insertMessage(Handle h, String conversationId, int seq, Message m) {
        h.createUpdate("INSERT INTO messages (id, conversation_id, seq, author_user_id, text, subject, at) "
                        + "VALUES (:id, :conversation, :seq, :author, :text, :subject, :at)")
                .bind("id", m.id()).bind("conversation", conversationId).bind("seq", seq).bind("author", m.authorUserId())
                .bind("text", m.text()).bind("subject", m.subject()).bind("at", ts(m.at())).execute();
    }

    private static Conversation withDetails(Handle h, Conversation c) {
        List<Message> messages = h.createQuery("SELECT * FROM messages WHERE conversation_id = :id ORDER BY seq")
                .bind("id", c.id()).map((rs, ctx) -> new Message(rs.getString("id"), rs.getString("author_user_id"),
                        rs.getString("text"), rs.getString("subject"), instant(rs, "at"))).list();
        List<AssignmentChange> history = h.createQuery("SELECT * FROM assignment_changes WHERE conversation_id = :id ORDER BY seq")
                .bind("id", c.id()).map((rs, ctx) -> new AssignmentChange(instant(rs, "at"), assignee(rs, "from_type", "from_id"),
                        assignee(rs, "to_type", "to_id"), rs.getString("by_user_id"),
                        AssignmentChange.Cause.valueOf(rs.getString("cause")))).list();
        return new Conversation(c.id(), c.channelId(), c.channelKind(), c.inboxId(), c.contactId(), c.status(),
                c.assignee(), c.decisionId(), c.createdAt(), messages, history);
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
