package org.convrouter.http;

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
                    int openChats, Instant lastChatAssignedAt) {
        static UserView of(User u, AgentLoad load) {
            return new UserView(u.id(), u.name(), u.email(), u.seat(), u.available(), u.active(), load.openChats(),
                    load.lastChatAssignedAt());
        }
    }

    record CreatedUser(String id, String name, String email, Seat seat, boolean available, boolean active,
                       int openChats, Instant lastChatAssignedAt, String token) {}

    record ConversationView(String id, String channelId, String inboxId, String contactId, ConversationStatus status,
                            Assignee assignee, String decisionId, Instant createdAt) {
        static ConversationView of(Conversation c) {
            return new ConversationView(c.id(), c.channelId(), c.inboxId(), c.contactId(), c.status(), c.assignee(),
                    c.decisionId(), c.createdAt());
        }
    }

    /**
     * A conversation with its latest messages only (at most {@link Conversation#RECENT_MESSAGES}):
     * {@code messageCount} says how many it has, and {@code messagesLink} pages through them all.
     */
    record ConversationDetail(String id, String channelId, String inboxId, String contactId, ConversationStatus status,
                              Assignee assignee, String decisionId, Instant createdAt, List<Message> messages,
                              int messageCount, String messagesLink, List<AssignmentChange> assignmentHistory) {
        static ConversationDetail of(Conversation c) {
            return new ConversationDetail(c.id(), c.channelId(), c.inboxId(), c.contactId(), c.status(), c.assignee(),
                    c.decisionId(), c.createdAt(), c.messages(), c.messageCount(),
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
