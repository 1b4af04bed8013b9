package org.convrouter.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.function.Function;
import org.convrouter.outbox.Notifications;
import org.convrouter.outbox.Webhook;
import org.convrouter.outbox.Webhooks;

/** The R7 emails and their delivery state, and the webhooks: admin only. */
final class OutboxRoutes {

    private final Notifications notifications;
    private final Webhooks webhooks;

    OutboxRoutes(Notifications notifications, Webhooks webhooks) {
        this.notifications = notifications;
        this.webhooks = webhooks;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/v1/notifications", this::listNotifications);
        routes.post("/api/v1/webhooks", this::createWebhook);
        routes.get("/api/v1/webhooks", ctx -> {
            Access.admin(ctx);
            ctx.json(Page.byId(webhooks.list(), Webhook::id, ctx));
        });
        routes.delete("/api/v1/webhooks/{id}", ctx -> {
            Access.admin(ctx);
            webhooks.delete(ctx.pathParam("id"));
            ctx.status(204);
        });
    }

    private void listNotifications(Context ctx) {
        Access.admin(ctx);
        int limit = Page.limit(ctx);
        ctx.json(Page.of(notifications.page(Bodies.query(ctx, "cursor"), limit), limit, Function.identity(),
                Notifications.Item::id));
    }

    record WebhookBody(String url, String secret, List<String> events) {}

    private void createWebhook(Context ctx) {
        Access.admin(ctx);
        WebhookBody body = Bodies.read(ctx, WebhookBody.class);
        ctx.status(201).json(webhooks.create(body.url(), body.secret(), body.events()));
    }
}
