package org.convrouter.outbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * Posts the rows of {@code webhook_deliveries}: the stored JSON body as it is, with
 * {@code X-Router-Event} and {@code X-Router-Signature: sha256=<hex HMAC-SHA256 of the body with the
 * webhook's secret>}. Only a 2xx answer counts as delivered; redirects are not followed.
 */
public final class WebhookCourier implements Outbox.Courier {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Jdbi jdbi;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public WebhookCourier(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    private record Delivery(String event, String body, String url, String secret) {}

    @Override
    public void deliver(String id) throws Exception {
        Delivery d = jdbi.withHandle(h -> h.createQuery("SELECT d.event, d.body, w.url, w.secret FROM webhook_deliveries d "
                        + "JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = :id").bind("id", id)
                .map((rs, ctx) -> new Delivery(rs.getString("event"), rs.getString("body"), rs.getString("url"),
                        rs.getString("secret"))).findOne())
                .orElseThrow(() -> new Outbox.GiveUp("the webhook was deleted"));
        byte[] body = d.body().getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(d.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "conversation-router")
                .header("X-Router-Event", d.event())
                .header("X-Router-Signature", "sha256=" + sign(d.secret(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        // The request's own timeout covers only the wait for the headers; a receiver that drips its
        // answer is cut off here, so one slow receiver cannot hold the sender past its lease.
        CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        HttpResponse<Void> response;
        try {
            response = sent.get(2 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new IOException("the receiver did not answer within " + 2 * TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the receiver answered HTTP " + response.statusCode());
        }
    }

    /** Lower-case hex of HMAC-SHA256(secret, body). */
    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
