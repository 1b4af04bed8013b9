package org.convrouter.outbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.convrouter.conversation.ConversationEvent;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.NotFoundException;
import org.convrouter.store.Changes;
import org.jdbi.v3.core.Jdbi;

/**
 * The webhooks an admin registered. Each event a webhook asked for becomes a delivery row, written
 * in the transaction of the change that caused it (see the conversation store), and is posted by
 * {@link WebhookCourier}. The secret is stored, since signing needs it, but never listed or logged.
 *
 * <p>The event types some webhook subscribes to are kept in memory, so that a change whose event
 * nobody asked for sends no statement for it. Registering or deleting a webhook bumps the
 * {@link Changes#WEBHOOKS} counter in its transaction: this instance reloads the types at once, the
 * others within a poll of the counters.
 */
public final class Webhooks {

    public static final int MAX_URL = 2000;
    public static final int MIN_SECRET = 16;
    public static final int MAX_SECRET = 200;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Supplier<String> ids;
    private volatile Set<String> subscribedEvents;

    public Webhooks(Jdbi jdbi, Clock clock, Supplier<String> ids) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.ids = ids;
        reload();
    }

    /** Whether some webhook subscribes to this event type, as this instance last read the webhooks. */
    public boolean anySubscribedTo(String event) {
        return subscribedEvents.contains(event);
    }

    /** Reads the subscribed event types again; one reload at a time, so an older read never replaces a newer one. */
    public synchronized void reload() {
        subscribedEvents = Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT event FROM webhook_events")
                .mapTo(String.class).list()));
    }

    /** Registers a webhook; {@code events} null or empty means every event. */
    public Webhook create(String url, String secret, List<String> events) {
        String checkedUrl = url(url);
        if (secret == null || secret.length() < MIN_SECRET || secret.length() > MAX_SECRET) {
            throw new InvalidInputException("secret: " + MIN_SECRET + " to " + MAX_SECRET + " characters");
        }
        List<String> subscribed = events(events);
        Webhook webhook = new Webhook(ids.get(), checkedUrl, subscribed);
        jdbi.useTransaction(h -> {
            h.createUpdate("INSERT INTO webhooks (id, url, secret, created_at) VALUES (:id, :url, :secret, :at)")
                    .bind("id", webhook.id()).bind("url", webhook.url()).bind("secret", secret)
                    .bind("at", Timestamp.from(clock.instant())).execute();
            for (String event : subscribed) {
                h.createUpdate("INSERT INTO webhook_events (webhook_id, event) VALUES (:id, :event)")
                        .bind("id", webhook.id()).bind("event", event).execute();
            }
            Changes.bump(h, Changes.WEBHOOKS);
        });
        reload();
        return webhook;
    }

    public List<Webhook> list() {
        return jdbi.withHandle(h -> {
            Map<String, Webhook> hooks = new LinkedHashMap<>();
            h.createQuery("SELECT id, url FROM webhooks ORDER BY id").map((rs, ctx) ->
                    new Webhook(rs.getString("id"), rs.getString("url"), new ArrayList<>()))
                    .forEach(w -> hooks.put(w.id(), w));
            h.createQuery("SELECT webhook_id, event FROM webhook_events").map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> {
                        Webhook w = hooks.get(e.getKey());
                        if (w != null) {
                            w.events().add(e.getValue());
                        }
                    });
            return hooks.values().stream().map(w -> new Webhook(w.id(), w.url(),
                    ConversationEvent.TYPES.stream().filter(w.events()::contains).toList())).toList();
        });
    }

    /** Deletes the webhook and what was still to be sent to it. */
    public void delete(String id) {
        jdbi.useTransaction(h -> {
            if (h.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", id).execute() == 0) {
                throw new NotFoundException("no webhook with id '" + id + "'"); // nothing deleted, nothing bumped
            }
            h.createUpdate("DELETE FROM webhook_events WHERE webhook_id = :id").bind("id", id).execute();
            h.createUpdate("DELETE FROM webhook_deliveries WHERE webhook_id = :id AND status = 'pending'").bind("id", id).execute();
            Changes.bump(h, Changes.WEBHOOKS);
        });
        reload();
    }

    private static String url(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidInputException("url: required");
        }
        if (url.length() > MAX_URL) {
            throw new InvalidInputException("url: at most " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new InvalidInputException("url: an absolute http:// or https:// address");
            }
            if (uri.getRawUserInfo() != null) {
                throw new InvalidInputException("url: no user or password in the address (the secret signs the body instead)");
            }
            if (uri.getRawFragment() != null) {
                throw new InvalidInputException("url: no #fragment");
            }
            return uri.toString();
        } catch (URISyntaxException e) {
            throw new InvalidInputException("url: not a URL (" + e.getReason() + ")");
        }
    }

    private static List<String> events(List<String> events) {
        if (events == null || events.isEmpty()) {
            return ConversationEvent.TYPES;
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            String event = events.get(i);
            if (event == null || !ConversationEvent.TYPES.contains(event)) { // List.of refuses to look for null
                throw new InvalidInputException("events[" + i + "]: one of " + ConversationEvent.TYPES);
            }
            if (!unique.add(event)) {
                throw new InvalidInputException("events[" + i + "]: '" + event + "' is already listed");
            }
        }
        return ConversationEvent.TYPES.stream().filter(unique::contains).toList();
    }
}
