package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.convrouter.access.Principal;
import org.convrouter.access.TokenService;
import org.convrouter.directory.Account;
import org.convrouter.directory.AccountService;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.AssignToType;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.DirectoryService;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;
import org.convrouter.error.ForbiddenException;
import org.convrouter.error.InvalidInputException;
import org.convrouter.routing.AgentLoads;

/** Users, teams, inboxes, channels, routing settings, contacts, integration tokens and the account. */
final class DirectoryRoutes {

    private final DirectoryService directory;
    private final AccountService account;
    private final AgentLoads loads;
    private final TokenService tokens;
    private final Supplier<String> ids;

    DirectoryRoutes(DirectoryService directory, AccountService account, AgentLoads loads, TokenService tokens,
                    Supplier<String> ids) {
        this.directory = directory;
        this.account = account;
        this.loads = loads;
        this.tokens = tokens;
        this.ids = ids;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/me", this::me);

        routes.post("/api/v1/users", this::createUser);
        routes.get("/api/v1/users", this::listUsers);
        routes.get("/api/v1/users/{id}", this::getUser);
        routes.patch("/api/v1/users/{id}", this::patchUser);
        routes.put("/api/v1/users/{id}/availability", this::putAvailability);
        routes.post("/api/v1/users/{id}/token", this::renewToken);

        routes.post("/api/v1/teams", this::createTeam);
        routes.get("/api/v1/teams", this::listTeams);
        routes.get("/api/v1/teams/{id}", ctx -> { Access.staff(ctx); ctx.json(directory.team(ctx.pathParam("id"))); });
        routes.patch("/api/v1/teams/{id}", this::patchTeam);

        routes.post("/api/v1/inboxes", this::createInbox);
        routes.get("/api/v1/inboxes", this::listInboxes);
        routes.get("/api/v1/inboxes/{id}", this::getInbox);
        routes.patch("/api/v1/inboxes/{id}", this::patchInbox);

        routes.post("/api/v1/channels", this::createChannel);
        routes.get("/api/v1/channels", this::listChannels);
        routes.get("/api/v1/channels/{id}", this::getChannel);
        routes.patch("/api/v1/channels/{id}", this::patchChannel);
        routes.put("/api/v1/channels/{id}/routing", this::putRouting);
        routes.get("/api/v1/channels/{id}/routing", ctx -> { Access.admin(ctx); ctx.json(directory.settings(ctx.pathParam("id"))); });

        routes.post("/api/v1/contacts", this::createContact);
        routes.get("/api/v1/contacts", this::listContacts);
        routes.get("/api/v1/contacts/{id}", ctx -> { Access.staff(ctx); ctx.json(directory.contact(ctx.pathParam("id"))); });
        routes.patch("/api/v1/contacts/{id}", this::patchContact);

        routes.post("/api/v1/integration-tokens", this::createIntegrationToken);
        routes.get("/api/v1/integration-tokens", ctx -> listTokens(ctx, Principal.Kind.INTEGRATION));
        routes.delete("/api/v1/integration-tokens/{id}", ctx -> revokeToken(ctx, Principal.Kind.INTEGRATION));

        routes.post("/api/v1/analyst-tokens", this::createAnalystToken);
        routes.get("/api/v1/analyst-tokens", ctx -> listTokens(ctx, Principal.Kind.ANALYST));
        routes.delete("/api/v1/analyst-tokens/{id}", ctx -> revokeToken(ctx, Principal.Kind.ANALYST));

        routes.post("/api/v1/admin-token/rotate", this::rotateAdminToken);
        routes.get("/api/v1/account", ctx -> { Access.admin(ctx); ctx.json(AccountView.of(account.get())); });
        routes.put("/api/v1/account", this::putAccount);
    }

    // --- the account ---------------------------------------------------------------------------

    record AccountBody(String timeZone) {}

    record AccountView(String timeZone) {
        static AccountView of(Account account) {
            return new AccountView(account.timeZone().getId());
        }
    }

    private void putAccount(Context ctx) {
        Access.admin(ctx);
        String timeZone = Bodies.text("timeZone", Bodies.read(ctx, AccountBody.class).timeZone(), Limits.TIME_ZONE);
        ctx.json(AccountView.of(account.setTimeZone(timeZone)));
    }

    // --- who the token is ---------------------------------------------------------------------

    /** The caller, for the console: {@code name} is the user's name, "Admin", the integration token's id or the analyst token's name. */
    record Me(String kind, String userId, String name) {}

    private void me(Context ctx) {
        Principal p = Access.principal(ctx);
        String name = switch (p.kind()) {
            case ADMIN -> "Admin";
            case USER -> directory.get().user(p.userId()).map(User::name).orElse(p.userId());
            case INTEGRATION -> p.subject();
            case ANALYST -> p.name();
        };
        ctx.json(new Me(p.kind().name().toLowerCase(java.util.Locale.ROOT), p.userId(), name));
    }

    // --- users ---------------------------------------------------------------------------------

    record CreateUserBody(String id, String name, String email, Seat seat, Boolean available, Boolean active,
                          Integer chatCapacity) {}

    record UserPatchBody(String name, String email, Seat seat, Boolean available, Boolean active, Integer chatCapacity) {}

    /** R11: a whole number of at least 1, or null for no limit. */
    private static Integer chatCapacity(Integer capacity) {
        if (capacity != null && capacity < 1) {
            throw new InvalidInputException("chatCapacity: must be a whole number of at least 1, or null for no limit");
        }
        return capacity;
    }

    record AvailabilityBody(Boolean available) {}

    private void createUser(Context ctx) {
        Access.admin(ctx);
        CreateUserBody body = Bodies.read(ctx, CreateUserBody.class);
        String id = Bodies.optionalId("id", body.id());
        User user = directory.createUser(new User(id == null ? ids.get() : id, Bodies.requiredName("name", body.name()),
                Bodies.email("email", Bodies.required("email", body.email())), Bodies.required("seat", body.seat()),
                body.available() != null && body.available(), body.active() == null || body.active(),
                chatCapacity(body.chatCapacity())));
        String token = tokens.issueUserToken(user.id());
        UserViewWithToken view = withToken(user, token);
        ctx.status(201).json(view);
    }

    private UserViewWithToken withToken(User user, String token) {
        Views.UserView v = Views.UserView.of(user, loads.of(user.id()));
        return new UserViewWithToken(v.id(), v.name(), v.email(), v.seat(), v.available(), v.active(), v.chatCapacity(),
                v.openChats(), v.lastChatAssignedAt(), token);
    }

    private record UserViewWithToken(String id, String name, String email, Seat seat, boolean available, boolean active,
                                     Integer chatCapacity, int openChats, Instant lastChatAssignedAt, String token) {}

    private void listUsers(Context ctx) {
        Access.staff(ctx);
        List<Views.UserView> all = directory.get().users().stream().sorted(Comparator.comparing(User::id))
                .map(u -> Views.UserView.of(u, loads.of(u.id()))).toList();
        ctx.json(Page.byId(all, Views.UserView::id, ctx));
    }

    private void getUser(Context ctx) {
        Access.staff(ctx);
        User user = directory.user(ctx.pathParam("id"));
        ctx.json(Views.UserView.of(user, loads.of(user.id())));
    }

    private void patchUser(Context ctx) {
        Access.admin(ctx);
        String id = ctx.pathParam("id");
        directory.user(id);
        Patch<UserPatchBody> patch = Patch.read(ctx, UserPatchBody.class).noNulls("email", "seat", "available", "active");
        UserPatchBody body = patch.body();
        patch.requiredText("name", body.name(), Limits.NAME);
        if (body.email() != null) {
            Bodies.email("email", body.email());
        }
        User user = directory.updateUser(id, new DirectoryService.UserPatch(body.name(), body.email(), body.seat(),
                body.available(), body.active(), patch.has("chatCapacity"), chatCapacity(body.chatCapacity())));
        ctx.json(Views.UserView.of(user, loads.of(id)));
    }

    private void putAvailability(Context ctx) {
        String id = ctx.pathParam("id");
        Access.adminOrSelf(ctx, id);
        directory.user(id);
        AvailabilityBody body = Bodies.read(ctx, AvailabilityBody.class);
        User user = directory.updateUser(id, new DirectoryService.UserPatch(null, null, null,
                Bodies.required("available", body.available()), null));
        ctx.json(Views.UserView.of(user, loads.of(id)));
    }

    private void renewToken(Context ctx) {
        String id = ctx.pathParam("id");
        Access.adminOrSelf(ctx, id);
        User user = directory.user(id);
        ctx.status(201).json(withToken(user, tokens.issueUserToken(id)));
    }

    // --- teams ---------------------------------------------------------------------------------

    record TeamBody(String id, String name, List<String> primaryMembers, List<String> secondaryMembers) {}

    private void createTeam(Context ctx) {
        Access.admin(ctx);
        TeamBody body = Bodies.read(ctx, TeamBody.class);
        String id = Bodies.optionalId("id", body.id());
        Bodies.idList("primaryMembers", body.primaryMembers());
        Bodies.idList("secondaryMembers", body.secondaryMembers());
        Team team = directory.createTeam(new Team(id == null ? ids.get() : id, Bodies.requiredName("name", body.name()),
                body.primaryMembers() == null ? List.of() : body.primaryMembers(),
                body.secondaryMembers() == null ? List.of() : body.secondaryMembers()));
        ctx.status(201).json(team);
    }

    private void listTeams(Context ctx) {
        Access.staff(ctx);
        ctx.json(Page.byId(directory.get().teams().stream().sorted(Comparator.comparing(Team::id)).toList(), Team::id, ctx));
    }

    private void patchTeam(Context ctx) {
        Access.admin(ctx);
        String id = ctx.pathParam("id");
        directory.team(id);
        Patch<TeamBody> patch = Patch.read(ctx, TeamBody.class);
        TeamBody body = patch.sameId(id, TeamBody::id).noNulls("primaryMembers", "secondaryMembers").body();
        patch.requiredText("name", body.name(), Limits.NAME);
        Bodies.idList("primaryMembers", body.primaryMembers());
        Bodies.idList("secondaryMembers", body.secondaryMembers());
        ctx.json(directory.updateTeam(id, body.name(), body.primaryMembers(), body.secondaryMembers()));
    }

    // --- inboxes -------------------------------------------------------------------------------

    record InboxBody(String id, String name, List<String> teams) {}

    private void createInbox(Context ctx) {
        Access.admin(ctx);
        InboxBody body = Bodies.read(ctx, InboxBody.class);
        String id = Bodies.optionalId("id", body.id());
        inboxTeams(body.teams());
        ctx.status(201).json(directory.createInbox(new Inbox(id == null ? ids.get() : id,
                Bodies.requiredName("name", body.name()), body.teams())));
    }

    /** An inbox open to no team would be one no user can work in: null opens it to everyone instead. */
    private static void inboxTeams(List<String> teams) {
        if (teams != null && teams.isEmpty()) {
            throw new InvalidInputException("teams: name at least one team, or null to open the inbox to every user");
        }
        Bodies.idList("teams", teams);
    }

    private void listInboxes(Context ctx) {
        Principal p = Access.staff(ctx);
        Directory dir = directory.get();
        List<Inbox> visible = (p.isAdmin() ? List.copyOf(dir.inboxes()) : dir.inboxesOf(p.userId())).stream()
                .sorted(Comparator.comparing(Inbox::id)).toList();
        ctx.json(Page.byId(visible, Inbox::id, ctx));
    }

    private void getInbox(Context ctx) {
        Principal p = Access.staff(ctx);
        Inbox inbox = directory.inbox(ctx.pathParam("id"));
        requireVisible(p, inbox);
        ctx.json(inbox);
    }

    private void patchInbox(Context ctx) {
        Access.admin(ctx);
        String id = ctx.pathParam("id");
        directory.inbox(id);
        Patch<InboxBody> patch = Patch.read(ctx, InboxBody.class);
        InboxBody body = patch.sameId(id, InboxBody::id).body();
        patch.requiredText("name", body.name(), Limits.NAME);
        inboxTeams(body.teams());
        ctx.json(directory.updateInbox(id, body.name(), patch.has("teams"), body.teams()));
    }

    private void requireVisible(Principal p, Inbox inbox) {
        if (p.isUser() && !directory.get().hasAccess(p.userId(), inbox)) {
            throw new ForbiddenException("user '" + p.userId() + "' has no access to inbox '" + inbox.id() + "'");
        }
    }

    // --- channels ------------------------------------------------------------------------------

    record ChannelBody(String id, String inboxId, ChannelKind kind, String name) {}

    private void createChannel(Context ctx) {
        Access.admin(ctx);
        ChannelBody body = Bodies.read(ctx, ChannelBody.class);
        String id = Bodies.optionalId("id", body.id());
        Bodies.optionalId("inboxId", Bodies.required("inboxId", body.inboxId()));
        ctx.status(201).json(directory.createChannel(new Channel(id == null ? ids.get() : id, body.inboxId(),
                Bodies.required("kind", body.kind()), Bodies.requiredName("name", body.name()))));
    }

    private void listChannels(Context ctx) {
        Principal p = Access.staff(ctx);
        Directory dir = directory.get();
        List<Channel> visible = dir.channels().stream()
                .filter(c -> p.isAdmin() || dir.inbox(c.inboxId()).map(i -> dir.hasAccess(p.userId(), i)).orElse(false))
                .sorted(Comparator.comparing(Channel::id)).toList();
        ctx.json(Page.byId(visible, Channel::id, ctx));
    }

    private void getChannel(Context ctx) {
        Principal p = Access.staff(ctx);
        Channel channel = directory.channel(ctx.pathParam("id"));
        requireVisible(p, directory.inbox(channel.inboxId()));
        ctx.json(channel);
    }

    private void patchChannel(Context ctx) {
        Access.admin(ctx);
        String id = ctx.pathParam("id");
        directory.channel(id);
        Patch<ChannelBody> patch = Patch.read(ctx, ChannelBody.class);
        ChannelBody body = patch.sameId(id, ChannelBody::id).noNulls("inboxId", "kind").body();
        Bodies.optionalId("inboxId", body.inboxId());
        patch.requiredText("name", body.name(), Limits.NAME);
        ctx.json(directory.updateChannel(id, body.inboxId(), body.kind(), body.name()));
    }

    record AssignToBody(AssignToType type, List<String> users, List<String> teams, String fallbackUser) {}

    record RoutingBody(Boolean autoAssign, AssignToBody assignTo, Boolean onlyAvailable) {}

    private void putRouting(Context ctx) {
        Access.admin(ctx);
        String channelId = ctx.pathParam("id");
        directory.channel(channelId);
        ctx.json(directory.saveSettings(channelId, routingSettings(Bodies.read(ctx, RoutingBody.class), "", null)));
    }

    /**
     * Parses routing settings, naming fields after {@code prefix}. Without {@code base} (saving
     * them) autoAssign and assignTo are required; with it (simulate's overrides of a channel's
     * settings) whatever the body leaves out is taken from it.
     */
    static RoutingSettings routingSettings(RoutingBody body, String prefix, RoutingSettings base) {
        boolean autoAssign = base != null && body.autoAssign() == null ? base.autoAssign()
                : Bodies.required(prefix + "autoAssign", body.autoAssign());
        boolean onlyAvailable = body.onlyAvailable() != null ? body.onlyAvailable() : base == null || base.onlyAvailable();
        if (base != null && body.assignTo() == null) {
            return new RoutingSettings(autoAssign, base.assignTo(), onlyAvailable);
        }
        AssignToBody assignTo = Bodies.required(prefix + "assignTo", body.assignTo());
        AssignToType type = Bodies.required(prefix + "assignTo.type", assignTo.type());
        Bodies.idList(prefix + "assignTo.users", assignTo.users());
        Bodies.idList(prefix + "assignTo.teams", assignTo.teams());
        Bodies.optionalId(prefix + "assignTo.fallbackUser", assignTo.fallbackUser());
        AssignTo parsed;
        if (type == AssignToType.USERS_AND_TEAMS) {
            if (assignTo.fallbackUser() != null) {
                throw new InvalidInputException(prefix + "assignTo.fallbackUser: only for type contact_owner");
            }
            parsed = AssignTo.usersAndTeams(assignTo.users(), assignTo.teams());
        } else {
            if (assignTo.users() != null && !assignTo.users().isEmpty() || assignTo.teams() != null && !assignTo.teams().isEmpty()) {
                throw new InvalidInputException(prefix + "assignTo.users: only for type users_and_teams");
            }
            parsed = AssignTo.contactOwner(assignTo.fallbackUser());
        }
        return new RoutingSettings(autoAssign, parsed, onlyAvailable);
    }

    // --- contacts ------------------------------------------------------------------------------

    record ContactBody(String id, String email, String name, String owner, Boolean cookieTracked) {}

    private void createContact(Context ctx) {
        Principal p = Access.adminOrIntegration(ctx);
        ContactBody body = Bodies.read(ctx, ContactBody.class);
        if (p.kind() == Principal.Kind.INTEGRATION && body.owner() != null) {
            // An intake knows a contact's email, name and cookie; who owns the contact is the admin's call.
            throw new ForbiddenException("owner: an integration token may not set a contact's owner; "
                    + "it may set email, name and cookieTracked");
        }
        String id = Bodies.optionalId("id", body.id());
        Bodies.optionalId("owner", body.owner());
        Bodies.name("name", body.name());
        if (body.email() != null) {
            Bodies.email("email", body.email());
        }
        ctx.status(201).json(directory.createContact(new Contact(id == null ? ids.get() : id, body.email(), body.name(),
                body.owner(), body.cookieTracked() != null && body.cookieTracked())));
    }

    private void listContacts(Context ctx) {
        Access.staff(ctx);
        int limit = Page.limit(ctx);
        ctx.json(Page.of(directory.contacts(Bodies.query(ctx, "cursor"), limit + 1), limit, Function.identity(), Contact::id));
    }

    private void patchContact(Context ctx) {
        Access.admin(ctx);
        String id = ctx.pathParam("id");
        directory.contact(id);
        Patch<ContactBody> patch = Patch.read(ctx, ContactBody.class);
        ContactBody body = patch.sameId(id, ContactBody::id).body();
        Map<String, Object> changes = new HashMap<>();
        if (patch.has("email")) {
            changes.put("email", body.email() == null ? null : Bodies.email("email", body.email()));
        }
        if (patch.has("name")) {
            changes.put("name", Bodies.name("name", body.name()));
        }
        if (patch.has("owner")) {
            changes.put("owner", Bodies.optionalId("owner", body.owner()));
        }
        if (patch.has("cookieTracked")) {
            changes.put("cookieTracked", Bodies.required("cookieTracked", body.cookieTracked()));
        }
        ctx.json(directory.updateContact(id, changes));
    }

    // --- integration tokens --------------------------------------------------------------------

    record IntegrationTokenBody(String id, String name, String expiresAt) {}

    private record IssuedToken(String id, String name, Instant expiresAt, String token) {}

    private void createIntegrationToken(Context ctx) {
        Access.admin(ctx);
        IntegrationTokenBody body = Bodies.read(ctx, IntegrationTokenBody.class);
        String id = Bodies.optionalId("id", body.id());
        String tokenId = id == null ? ids.get() : id;
        String name = Bodies.name("name", body.name());
        Instant expiresAt = Bodies.instant("expiresAt", body.expiresAt());
        ctx.status(201).json(new IssuedToken(tokenId, name, expiresAt, tokens.issueIntegrationToken(tokenId, name, expiresAt)));
    }

    // --- analyst tokens (listing and revoking are written for any kind of named token) ---------

    record AnalystTokenBody(String name, String expiresAt) {}

    private void createAnalystToken(Context ctx) {
        Access.admin(ctx);
        AnalystTokenBody body = Bodies.read(ctx, AnalystTokenBody.class);
        String name = Bodies.requiredName("name", body.name());
        Instant expiresAt = Bodies.instant("expiresAt", body.expiresAt());
        String tokenId = ids.get();
        ctx.status(201).json(new IssuedToken(tokenId, name, expiresAt, tokens.issueAnalystToken(tokenId, name, expiresAt)));
    }

    // --- the admin token -----------------------------------------------------------------------

    private record RotatedToken(String token) {}

    private void rotateAdminToken(Context ctx) {
        Access.admin(ctx);
        ctx.json(new RotatedToken(tokens.rotateAdminToken()));
    }

    private void listTokens(Context ctx, Principal.Kind kind) {
        Access.admin(ctx);
        ctx.json(new Page<>(tokens.list(kind), null));
    }

    private void revokeToken(Context ctx, Principal.Kind kind) {
        Access.admin(ctx);
        tokens.revoke(kind, ctx.pathParam("id"));
        ctx.status(204);
    }
}
