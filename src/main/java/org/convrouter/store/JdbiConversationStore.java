package org.convrouter.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssigneeType;
import org.convrouter.conversation.AssignmentChange;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationQuery;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.ConversationStore;
import org.convrouter.conversation.Message;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.Decision;
import org.convrouter.routing.Notification;
import org.convrouter.support.ForgetfulMap;
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
    /**
     * Every write not yet settled (its outcome recorded here), for {@link #flush()}: batches are
     * answered on threads of their own, so a later write's future may complete before an earlier one's.
     */
    private final Set<CompletableFuture<Void>> unsettled = ConcurrentHashMap.newKeySet();
    /**
     * The stored state of the conversations written most recently (the ones agents are working
     * on), so closing, replying to or reassigning them reads no rows. Every conversation write
     * goes through this store, so an entry is never stale; a failed write drops it.
     * That relies on callers not writing one conversation again before its previous write is
     * durable (ConversationService holds the conversation's lock until then), so each write's
     * completion is recorded here before the next write to it is even queued.
     */
    private final Map<String, Pending> recent = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
            return size() > RECENT;
        }
    });
    private static final int RECENT = 10_000;
    /**
     * Rosters known to be stored (a decision's write includes its roster's until one is durable),
     * and their members for reading decisions back: a handful per channel and directory version.
     * Forgetting one costs an idempotent insert and a read.
     */
    private final ForgetfulMap<String, String> rosters = new ForgetfulMap<>(4096);

    public JdbiConversationStore(Database database) {
        this.jdbi = database.jdbi();
        this.writer = new GroupCommitWriter(database.dataSource(), database.journal());
    }

    /** False once writes can no longer be stored: the writer has stopped or is stuck, or the journal cannot take more. */
    public boolean healthy() {
        return writer.healthy();
    }

    /** Commits what is queued and stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    @Override
    public CompletableFuture<Void> create(Conversation c, Decision decision, Contact newContact) {
        List<SqlWrite> statements = new ArrayList<>(7);
        if (newContact != null) { // before the conversation that refers to it
            statements.add(new SqlWrite(Sql.INSERT_CONTACT_IF_ABSENT, newContact.id(), newContact.email(), newContact.name(),
                    newContact.id()));
        }
        DecisionCodec.StoredRoster newRoster = decision == null ? null : insertDecision(statements, c, decision);
        statements.addAll(inserts(c));
        // Once stored, later decisions need not write the roster.
        return write(c, decision, statements, newRoster == null ? NOTHING : () -> rosters.put(newRoster.id(), newRoster.members()));
    }

    private static final Runnable NOTHING = () -> {};

    @Override
    public CompletableFuture<Void> recordAssignment(Conversation after, AssignmentChange change) {
        List<SqlWrite> statements = new ArrayList<>(3);
        assign(statements, after, change);
        return write(after, null, statements, NOTHING);
    }

    @Override
    public CompletableFuture<Void> recordReply(Conversation after, Message reply, AssignmentChange change) {
        List<SqlWrite> statements = new ArrayList<>(4);
        statements.add(message(after.id(), after.messages().size() - 1, reply));
        if (change != null) {
            assign(statements, after, change);
        }
        return write(after, null, statements, NOTHING);
    }

    @Override
    public CompletableFuture<Void> recordClose(Conversation after) {
        return write(after, null, List.of(new SqlWrite(Sql.UPDATE_STATUS, after.status().name(), after.id())), NOTHING);
    }

    /**
     * Queues the write for the next group commit. Until it commits, the new state is served from
     * memory, so the next change to the same conversation builds on it. The future answered
     * completes only once that memory is settled (the state recorded and {@code whenStored} run, or
     * the state dropped if the write failed), so whoever waits for it reads what is stored.
     */
    private CompletableFuture<Void> write(Conversation after, Decision decision, List<SqlWrite> statements, Runnable whenStored) {
        Pending pending = new Pending(after, decision != null ? decision
                : Optional.ofNullable(latest(after.id())).map(Pending::decision).orElse(null));
        this.pending.put(after.id(), pending);
        CompletableFuture<Void> settled = writer.submit(statements).whenComplete((ok, failure) -> {
            if (failure == null) {
                recent.put(after.id(), new Pending(after, null)); // decisions are large and rarely read again
                whenStored.run();
            } else {
                recent.remove(after.id()); // an unconfirmed write may be in the database: read it from there
            }
            this.pending.remove(after.id(), pending);
        });
        unsettled.add(settled);
        settled.whenComplete((ok, failure) -> unsettled.remove(settled)); // at once if it has settled already
        return settled;
    }

    /** A conversation's state (and its decision, when known) as last written by this store. */
    private record Pending(Conversation conversation, Decision decision) {}

    private Pending latest(String conversationId) {
        Pending queued = pending.get(conversationId);
        return queued != null ? queued : recent.get(conversationId);
    }

    /**
     * The decision's rows, encoded here, on the caller's thread, so the single writer thread only
     * writes. A roster not known to be stored is written with it, in the same transaction (which
     * makes it durable no later than the decision); returns that roster, or null.
     */
    private DecisionCodec.StoredRoster insertDecision(List<SqlWrite> statements, Conversation c, Decision decision) {
        DecisionCodec.Encoded encoded = DecisionCodec.encode(decision);
        DecisionCodec.StoredRoster newRoster = encoded.roster() == null || rosters.get(encoded.roster().id()) != null
                ? null : encoded.roster();
        if (newRoster != null) {
            statements.add(new SqlWrite(Sql.INSERT_ROSTER, newRoster.id(), newRoster.members()));
        }
        statements.add(new SqlWrite(Sql.INSERT_DECISION, decision.id(), encoded.body()));
        for (int i = 0; i < decision.notifications().size(); i++) {
            Notification n = decision.notifications().get(i);
            statements.add(new SqlWrite(Sql.INSERT_NOTIFICATION, c.id() + "/" + i, c.id(), n.channel(), n.userId(),
                    n.address(), n.subject(), n.text(), ts(decision.decidedAt())));
        }
        return newRoster;
    }

    /** The conversation's own rows: itself, its messages and its assignment history. */
    private static List<SqlWrite> inserts(Conversation c) {
        List<SqlWrite> statements = new ArrayList<>(4);
        statements.add(new SqlWrite(Sql.INSERT_CONVERSATION, c.id(), c.channelId(), c.channelKind().name(), c.inboxId(),
                c.contactId(), c.status().name(), c.assignee() == null ? null : c.assignee().type().name(),
                c.assignee() == null ? null : c.assignee().id(), c.decisionId(), ts(c.createdAt())));
        for (int i = 0; i < c.messages().size(); i++) {
            statements.add(message(c.id(), i, c.messages().get(i)));
        }
        for (int i = 0; i < c.history().size(); i++) {
            change(statements, c, i, c.history().get(i));
        }
        return statements;
    }

    @Override
    public Optional<Conversation> find(String id) {
        Pending queued = latest(id);
        if (queued != null) {
            return Optional.of(queued.conversation());
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM conversations WHERE id = :id").bind("id", id)
                .map(CONVERSATION).findOne().map(c -> withDetails(h, c)));
    }

    @Override
    public Optional<Decision> decisionOf(String conversationId) {
        Pending queued = latest(conversationId);
        if (queued != null && queued.decision() != null) {
            return Optional.of(queued.decision());
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT d.body FROM conversations c JOIN decisions d ON d.id = c.decision_id "
                        + "WHERE c.id = :id").bind("id", conversationId).mapTo(String.class).findOne()
                .map(body -> DecisionCodec.decode(body, id -> roster(h, id))));
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
        CompletableFuture.allOf(unsettled.toArray(CompletableFuture[]::new)).handle((ok, failure) -> null).join();
    }

    @Override
    public Map<String, AgentLoad> chatLoads() {
        return jdbi.withHandle(h -> {
            // One (inbox, OPEN) range of conversations_by_inbox per inbox: only open conversations are read.
            Map<String, Integer> open = new HashMap<>();
            for (String inbox : h.createQuery("SELECT id FROM inboxes").mapTo(String.class).list()) {
                h.createQuery("SELECT assignee_id FROM conversations WHERE inbox_id = :inbox AND status = 'OPEN' "
                                + "AND assignee_type = 'USER' AND channel_kind IN ('CHAT', 'BOT', 'MESSENGER')")
                        .bind("inbox", inbox).mapTo(String.class)
                        .forEach(assignee -> open.merge(assignee, 1, Integer::sum));
            }
            Map<String, AgentLoad> loads = new HashMap<>();
            h.createQuery("SELECT id, last_chat_assigned_at FROM users")
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), new AgentLoad(open.getOrDefault(rs.getString("id"), 0),
                            instant(rs, "last_chat_assigned_at"))))
                    .forEach(e -> loads.put(e.getKey(), e.getValue()));
            return loads;
        });
    }

    private static void assign(List<SqlWrite> statements, Conversation after, AssignmentChange change) {
        Assignee to = change.to();
        statements.add(new SqlWrite(Sql.UPDATE_ASSIGNEE, to == null ? null : to.type().name(), to == null ? null : to.id(),
                after.id()));
        change(statements, after, after.history().size() - 1, change);
    }

    private static void change(List<SqlWrite> statements, Conversation c, int seq, AssignmentChange change) {
        statements.add(new SqlWrite(Sql.INSERT_ASSIGNMENT_CHANGE, c.id(), seq, ts(change.at()),
                change.from() == null ? null : change.from().type().name(),
                change.from() == null ? null : change.from().id(),
                change.to() == null ? null : change.to().type().name(),
                change.to() == null ? null : change.to().id(),
                change.byUserId(), change.cause().name()));
        if (c.isChat() && change.to() != null && change.to().type() == AssigneeType.USER) {
            statements.add(new SqlWrite(Sql.STAMP_LAST_CHAT_ASSIGNMENT, ts(change.at()), change.to().id()));
        }
    }

    private static SqlWrite message(String conversationId, int seq, Message m) {
        return new SqlWrite(Sql.INSERT_MESSAGE, m.id(), conversationId, seq, m.authorUserId(), m.text(), m.subject(), ts(m.at()));
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
