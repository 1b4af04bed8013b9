package org.convrouter.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssignmentChange;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.Message;
import org.convrouter.directory.Seat;
import org.convrouter.directory.User;
import org.convrouter.routing.AgentLoad;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.Decision;
import org.convrouter.routing.DecisionSummary;
import org.convrouter.routing.Notification;
import org.convrouter.routing.Strategy;

/** The JSON shapes the API answers with. */
final class Views {

    private Views() {}

    record UserView(String id, String name, String email, Seat seat, boolean available, boolean active,
                    Integer chatCapacity, int openChats, Instant lastChatAssignedAt) {
        static UserView of(User u, AgentLoad load) {
            return new UserView(u.id(), u.name(), u.email(), u.seat(), u.available(), u.active(), u.chatCapacity(),
                    load.openChats(), load.lastChatAssignedAt());
        }
    }

    record CreatedUser(String id, String name, String email, Seat seat, boolean available, boolean active,
                       Integer chatCapacity, int openChats, Instant lastChatAssignedAt, String token) {}

    /** {@code waitingSince} is there only while the conversation waits in the queue (R10). */
    record ConversationView(String id, String channelId, String inboxId, String contactId, ConversationStatus status,
                            Assignee assignee, String decisionId, Instant createdAt,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Instant waitingSince) {
        static ConversationView of(Conversation c) {
            return of(c, null);
        }

        static ConversationView of(Conversation c, Instant waitingSince) {
            return new ConversationView(c.id(), c.channelId(), c.inboxId(), c.contactId(), c.status(), c.assignee(),
                    c.decisionId(), c.createdAt(), waitingSince);
        }
    }

    /**
     * A conversation with its latest messages only (at most {@link Conversation#RECENT_MESSAGES}):
     * {@code messageCount} says how many it has, and {@code messagesLink} pages through them all.
     */
    record ConversationDetail(String id, String channelId, String inboxId, String contactId, ConversationStatus status,
                              Assignee assignee, String decisionId, Instant createdAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Instant waitingSince, List<Message> messages,
                              int messageCount, String messagesLink, List<AssignmentChange> assignmentHistory) {
        static ConversationDetail of(Conversation c) {
            return of(c, null);
        }

        static ConversationDetail of(Conversation c, Instant waitingSince) {
            return new ConversationDetail(c.id(), c.channelId(), c.inboxId(), c.contactId(), c.status(), c.assignee(),
                    c.decisionId(), c.createdAt(), waitingSince, c.messages(), c.messageCount(),
                    "/api/v1/conversations/" + c.id() + "/messages", c.history());
        }
    }

    record DecisionView(String id, String ruleSetVersion, Strategy strategy, List<CandidateOutcome> candidates,
                        List<String> firedRules, List<String> notes, Assignee assignee, List<Notification> notifications, long tookMicros,
                        Instant decidedAt, String summary) {
        static DecisionView of(Decision d, java.util.function.Function<String, String> names) {
            return new DecisionView(d.id(), d.ruleSetVersion(), d.strategy(), d.candidates(), d.firedRules(), d.notes(),
                    d.assignee() == null ? null : Assignee.user(d.assignee()), d.notifications(), d.tookMicros(),
                    d.decidedAt(), DecisionSummary.of(d, names));
        }
    }
}
