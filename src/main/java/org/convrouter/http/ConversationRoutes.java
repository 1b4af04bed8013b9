package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.convrouter.access.Principal;
import org.convrouter.conversation.Actor;
import org.convrouter.conversation.Assignee;
import org.convrouter.conversation.AssigneeType;
import org.convrouter.conversation.Conversation;
import org.convrouter.conversation.ConversationQuery;
import org.convrouter.conversation.ConversationService;
import org.convrouter.conversation.ConversationStatus;
import org.convrouter.conversation.Message;
import org.convrouter.conversation.NewConversation;
import org.convrouter.conversation.Received;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.DirectoryService;
import org.convrouter.directory.Inbox;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.NotFoundException;
import org.convrouter.error.RefusedException;

/** The routing request, the views, manual triage, decisions and simulation. */
final class ConversationRoutes {

    private final ConversationService conversations;
    private final DirectoryService directory;

    ConversationRoutes(ConversationService conversations, DirectoryService directory) {
        this.conversations = conversations;
        this.directory = directory;
    }

    void register(RoutesConfig routes) {
        routes.post("/api/v1/conversations", this::create);
        routes.get("/api/v1/conversations", this::list);
        routes.get("/api/v1/conversations/{id}", ctx -> {
            Conversation c = visible(ctx);
            ctx.json(Views.ConversationDetail.of(c, waitingSince(List.of(c)).get(c.id())));
        });
        routes.post("/api/v1/conversations/{id}/assignment", this::assign);
        routes.get("/api/v1/conversations/{id}/assignment-targets", this::targets);
        routes.post("/api/v1/conversations/{id}/replies", this::reply);
        routes.get("/api/v1/conversations/{id}/messages", this::messages);
        routes.post("/api/v1/conversations/{id}/close", this::close);
        routes.get("/api/v1/conversations/{id}/decision", ctx -> ctx.json(Views.DecisionView.of(
                conversations.decisionOf(visible(ctx, Access.decisionReader(ctx)).id()), this::userName)));
        routes.get("/api/v1/conversations/{id}/decisions", ctx -> ctx.json(new Page<>(conversations.decisionsOf(
                visible(ctx, Access.decisionReader(ctx)).id()).stream().map(d -> Views.DecisionView.of(d, this::userName))
                .toList(), null)));
        routes.post("/api/v1/routing/simulate", this::simulate);
    }

    record ContactRef(String email, String name) {}

    record MessageBody(String text, String subject) {}

    record RoutingRequestBody(String id, String channelId, String contactId, ContactRef contact, MessageBody message,
                              DirectoryRoutes.RoutingBody settings) {}

    private void create(Context ctx) {
        Access.adminOrIntegration(ctx);
        RoutingRequestBody body = Bodies.read(ctx, RoutingRequestBody.class);
        if (body.settings() != null) {
            throw new InvalidInputException("settings: only for /api/v1/routing/simulate");
        }
        checkRequest(body);
        Received received = conversations.receive(new NewConversation(body.id(), body.channelId(),
                body.message().text(), body.message().subject(), contactRef(body)));
        ctx.status(201).json(Views.ConversationView.of(received.conversation()));
    }

    private void simulate(Context ctx) {
        Access.rules(ctx);
        RoutingRequestBody body = Bodies.read(ctx, RoutingRequestBody.class);
        checkRequest(body);
        // Overrides change the channel's settings only where they say something (an unknown channel is refused below).
        var settings = body.settings() == null ? null : DirectoryRoutes.routingSettings(body.settings(), "settings.",
                directory.get().settings(body.channelId()));
        // An override's users and teams are checked as saving checks them (what could not be saved is
        // not simulated either); the stored settings are not: a user who lost a seat since is simply not eligible (R2).
        if (body.settings() != null && body.settings().assignTo() != null && directory.get().channel(body.channelId()).isPresent()) {
            directory.requireValidSettings(settings, "settings.");
        }
        var decision = conversations.simulate(body.channelId(), contactToSimulate(body), body.message().text(),
                body.message().subject(), settings);
        ctx.json(Views.DecisionView.of(decision, this::userName));
    }

    private static void checkRequest(RoutingRequestBody body) {
        Bodies.optionalId("id", body.id());
        Bodies.optionalId("channelId", Bodies.required("channelId", body.channelId()));
        Bodies.optionalId("contactId", body.contactId());
        MessageBody message = Bodies.required("message", body.message());
        Bodies.requiredText("message.text", message.text(), Limits.MESSAGE_TEXT);
        Bodies.text("message.subject", message.subject(), Limits.SUBJECT);
        if (body.contactId() != null && body.contact() != null) {
            throw new InvalidInputException("contact: give contactId or contact, not both");
        }
        if (body.contact() != null) {
            Bodies.email("contact.email", Bodies.required("contact.email", body.contact().email()));
            Bodies.name("contact.name", body.contact().name());
        }
    }

    /** The contact the request names, resolved in the routing transaction (one given by email is made if new). */
    private static NewConversation.ContactRef contactRef(RoutingRequestBody body) {
        if (body.contactId() != null) {
            return NewConversation.ContactRef.byId(body.contactId());
        }
        return body.contact() == null ? null : NewConversation.ContactRef.byEmail(body.contact().email(), body.contact().name());
    }

    /** As for routing, but a simulation stores nothing: an unknown email is a new contact with no owner. */
    private Contact contactToSimulate(RoutingRequestBody body) {
        if (body.contactId() != null) {
            return namedContact(body.contactId());
        }
        return body.contact() == null ? null : directory.contactByEmailIfKnown(body.contact().email())
                .orElse(new Contact("simulated", body.contact().email(), body.contact().name(), null, false));
    }

    private Contact namedContact(String contactId) {
        try {
            return directory.contact(contactId);
        } catch (NotFoundException e) {
            throw new RefusedException("contactId: unknown contact '" + contactId + "'");
        }
    }

    private void list(Context ctx) {
        Principal p = Access.staff(ctx);
        Directory dir = directory.get();
        String view = Bodies.query(ctx, "view") == null ? "all" : Bodies.query(ctx, "view");
        if (!Set.of("unassigned", "mine", "all").contains(view)) {
            throw new InvalidInputException("view: one of unassigned, mine, all");
        }
        ConversationStatus status = null;
        String rawStatus = Bodies.query(ctx, "status");
        if (rawStatus != null) {
            status = switch (rawStatus) {
                case "open" -> ConversationStatus.OPEN;
                case "closed" -> ConversationStatus.CLOSED;
                default -> throw new InvalidInputException("status: one of open, closed");
            };
        } else if (view.equals("unassigned")) {
            status = ConversationStatus.OPEN; // M1: the view holds what is waiting to be taken; closed ones only when asked
        }
        Set<String> inboxes = p.isAdmin() ? null : dir.inboxesOf(p.userId()).stream().map(Inbox::id).collect(Collectors.toSet());
        String inboxId = Bodies.query(ctx, "inboxId");
        if (inboxId != null) {
            Inbox inbox = dir.inbox(inboxId).orElseThrow(() -> new InvalidInputException("inboxId: unknown inbox '" + inboxId + "'"));
            if (inboxes != null && !inboxes.contains(inbox.id())) {
                throw new ForbiddenException("user '" + p.userId() + "' has no access to inbox '" + inboxId + "'");
            }
            inboxes = Set.of(inbox.id());
        }
        String mine = null;
        if (view.equals("mine")) {
            mine = p.isAdmin() ? Bodies.required("userId", Bodies.query(ctx, "userId")) : p.userId();
            if (dir.user(mine).isEmpty()) { // as with inboxId: a typo must not look like an empty view
                throw new InvalidInputException("userId: unknown user '" + mine + "'");
            }
        }
        int limit = Page.limit(ctx);
        List<Conversation> found = conversations.list(new ConversationQuery(inboxes, view.equals("unassigned"), mine, status,
                decodeCursor(Bodies.query(ctx, "cursor")), limit + 1));
        Map<String, Instant> waiting = waitingSince(found);
        ctx.json(Page.of(found, limit, c -> Views.ConversationView.of(c, waiting.get(c.id())), ConversationRoutes::encodeCursor));
    }

    /** Since when those of these conversations that wait in the queue have waited (R10). */
    private Map<String, Instant> waitingSince(List<Conversation> found) {
        List<String> unassigned = found.stream().filter(c -> c.isOpen() && c.isUnassigned()).map(Conversation::id).toList();
        return conversations.waitingSince(unassigned);
    }

    record AssigneeBody(AssigneeType type, String id) {}

    record AssignmentBody(AssigneeBody assignee, String byUserId) {}

    private void assign(Context ctx) {
        String id = visibleId(ctx);
        AssignmentBody body = Bodies.read(ctx, AssignmentBody.class);
        AssigneeBody target = Bodies.required("assignee", body.assignee());
        Bodies.required("assignee.type", target.type());
        Bodies.optionalId("assignee.id", Bodies.required("assignee.id", target.id()));
        Bodies.optionalId("byUserId", body.byUserId());
        Actor actor = Access.actor(ctx, body.byUserId());
        ctx.json(Views.ConversationDetail.of(conversations.assign(id, new Assignee(target.type(), target.id()), actor)));
    }

    private record Target(AssigneeType type, String id, String name, boolean allowed, List<String> reasons) {}

    private void targets(Context ctx) {
        String id = visible(ctx).id();
        Directory dir = directory.get();
        Map<Assignee, List<String>> targets = conversations.targets(id);
        List<Target> items = targets.entrySet().stream().map(e -> new Target(e.getKey().type(), e.getKey().id(),
                e.getKey().type() == AssigneeType.USER ? dir.user(e.getKey().id()).map(u -> u.name()).orElse(null)
                        : dir.team(e.getKey().id()).map(t -> t.name()).orElse(null),
                e.getValue().isEmpty(), e.getValue())).toList();
        ctx.json(new Page<>(items, null));
    }

    record ReplyBody(String text, String byUserId) {}

    private void reply(Context ctx) {
        String id = visibleId(ctx);
        ReplyBody body = Bodies.read(ctx, ReplyBody.class);
        Bodies.requiredText("text", body.text(), Limits.MESSAGE_TEXT);
        Bodies.optionalId("byUserId", body.byUserId());
        Actor actor = Access.actor(ctx, body.byUserId());
        ctx.status(201).json(Views.ConversationDetail.of(conversations.reply(id, body.text(), actor)));
    }

    /** Messages a page at a time, oldest first: a page holds at most {@link #MAX_MESSAGES_PAGE} (each up to 20,000 characters). */
    static final int MAX_MESSAGES_PAGE = 100;

    private void messages(Context ctx) {
        String id = visible(ctx).id();
        int limit = Page.limit(ctx, MAX_MESSAGES_PAGE);
        int from = messagesCursor(Bodies.query(ctx, "cursor"));
        List<Message> found = conversations.messages(id, from, limit + 1);
        List<Message> shown = found.subList(0, Math.min(limit, found.size()));
        ctx.json(new Page<>(shown, found.size() > limit ? Integer.toString(from + limit) : null));
    }

    /** A page of messages starts at the number of the message its cursor names (the first is 0). */
    private static int messagesCursor(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            int from = Integer.parseInt(cursor);
            if (from >= 0) {
                return from;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInputException("cursor: the nextCursor of a page of these messages (a number from 0)");
    }

    private void close(Context ctx) {
        String id = visibleId(ctx);
        ctx.json(Views.ConversationDetail.of(conversations.close(id, Access.actor(ctx, null))));
    }

    /**
     * The id the path names, if the caller may see it. Only user tokens need the conversation
     * loaded for that; for the admin the service's own lookup says whether it exists.
     */
    private String visibleId(Context ctx) {
        return Access.staff(ctx).isUser() ? visible(ctx).id() : ctx.pathParam("id");
    }

    /** The conversation the path names, if the caller may see it (admin: any; user: their inboxes). */
    private Conversation visible(Context ctx) {
        return visible(ctx, Access.staff(ctx));
    }

    /** The conversation the path names, if {@code p} may see it: a user only in their inboxes. */
    private Conversation visible(Context ctx, Principal p) {
        Conversation conversation = conversations.find(ctx.pathParam("id"));
        if (p.isUser()) {
            Directory dir = directory.get();
            boolean access = dir.inbox(conversation.inboxId()).map(i -> dir.hasAccess(p.userId(), i)).orElse(false);
            if (!access) {
                throw new ForbiddenException("user '" + p.userId() + "' has no access to inbox '" + conversation.inboxId() + "'");
            }
        }
        return conversation;
    }

    private String userName(String userId) {
        return directory.get().user(userId).map(u -> u.name()).orElse(userId);
    }

    static String encodeCursor(Conversation c) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((c.createdAt() + "|" + c.id()).getBytes(StandardCharsets.UTF_8));
    }

    static ConversationQuery.Cursor decodeCursor(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            return new ConversationQuery.Cursor(Instant.parse(parts[0]), parts[1]);
        } catch (RuntimeException e) {
            throw new InvalidInputException("cursor: not a cursor this service gave out");
        }
    }
}
