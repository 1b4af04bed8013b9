package org.convrouter.conversation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.convrouter.directory.Contact;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.Decision;

/** An in-memory store whose writes pass through {@link #write}, where a test delays or fails them. */
abstract class InterceptedStore implements ConversationStore {

    final InMemoryConversationStore stored = new InMemoryConversationStore();

    /** Decides when, and whether, {@code write} reaches the in-memory store. */
    protected abstract CompletableFuture<Void> write(Supplier<CompletableFuture<Void>> write);

    @Override public CompletableFuture<Void> create(Conversation c, Decision d, Contact k) { return write(() -> stored.create(c, d, k)); }
    @Override public CompletableFuture<Void> recordAssignment(Conversation a, AssignmentChange c) { return write(() -> stored.recordAssignment(a, c)); }
    @Override public CompletableFuture<Void> recordReply(Conversation a, Message m, AssignmentChange c) { return write(() -> stored.recordReply(a, m, c)); }
    @Override public CompletableFuture<Void> recordClose(Conversation a) { return write(() -> stored.recordClose(a)); }
    @Override public Optional<Conversation> find(String id) { return stored.find(id); }
    @Override public Optional<Decision> decisionOf(String id) { return stored.decisionOf(id); }
    @Override public List<Conversation> list(ConversationQuery q) { return stored.list(q); }
    @Override public void flush() { stored.flush(); }
    @Override public Map<String, AgentLoad> chatLoads() { return stored.chatLoads(); }
}
