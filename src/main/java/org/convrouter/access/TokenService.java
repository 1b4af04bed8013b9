package org.convrouter.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.convrouter.error.ConflictException;
import org.convrouter.error.InvalidInputException;
import org.convrouter.error.NotFoundException;
import org.convrouter.support.Sha256;

/**
 * Issues and checks bearer tokens. Only SHA-256 hashes are kept, in the database, the admin
 * token's included, so every instance accepts the same tokens. A presented token is hashed and its
 * hash looked up; the admin hash is compared with {@link MessageDigest#isEqual}, which takes the
 * same time wherever the bytes differ. Hashes found are cached; {@link #refresh} drops them when
 * any instance has revoked or renewed a token. Two things are checked on every request, cached or
 * not, because they change without the token changing: its expiry, and whether a user token's user
 * is still active (a lookup in the in-memory directory, so it costs nothing). Thread-safe.
 */
public final class TokenService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private final TokenStore store;
    private final Clock clock;
    private final Predicate<String> activeUser;
    private volatile byte[] adminHash;
    /** Known token hashes, so a request does not cost a query; emptied when tokens change. */
    private final Map<String, StoredToken> known = new ConcurrentHashMap<>();

    private TokenService(TokenStore store, String adminHash, Clock clock, Predicate<String> activeUser) {
        this.store = store;
        this.clock = clock;
        this.activeUser = activeUser;
        this.adminHash = HEX.parseHex(adminHash);
    }

    /** The outcome of checking a presented token: the principal, or why it was refused. */
    public record Check(Principal principal, String refusal) {
        static Check of(Principal principal) {
            return new Check(principal, null);
        }

        static Check refused(String why) {
            return new Check(null, why);
        }

        public boolean ok() {
            return principal != null;
        }
    }

    /**
     * The admin token: {@code configured} (ROUTER_ADMIN_TOKEN) when set, its hash then replacing the
     * stored one; otherwise the one whose hash the database holds. When it holds none, a data folder
     * from before the database kept it brings its {@code admin-token.sha256}; failing that, a token
     * is generated, its hash stored, and the token handed to {@code printOnce} that one time.
     * {@code activeUser} says whether a user id names an active user: only theirs authenticate.
     */
    public static TokenService start(TokenStore store, String configured, Path dataDir, Consumer<String> printOnce,
                                     Clock clock, Predicate<String> activeUser) {
        if (configured != null && !configured.isBlank()) {
            String hash = hex(configured);
            store.replaceAdminHash(hash);
            return new TokenService(store, hash, clock, activeUser);
        }
        Optional<String> stored = store.adminHash();
        if (stored.isPresent()) {
            return new TokenService(store, stored.get(), clock, activeUser);
        }
        Path file = dataDir.resolve("admin-token.sha256");
        if (Files.exists(file)) {
            return new TokenService(store, store.adminHashIfAbsent(importedHash(file)), clock, activeUser);
        }
        String token = newToken("adm");
        String hash = hex(token);
        String kept = store.adminHashIfAbsent(hash);
        if (kept.equals(hash)) { // not when another instance starting at once stored its own first
            printOnce.accept(token);
        }
        return new TokenService(store, kept, clock, activeUser);
    }

    private static String importedHash(Path file) {
        try {
            String hash = Files.readString(file).strip().toLowerCase(Locale.ROOT);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(file + " does not hold a SHA-256 hash in hex");
            }
            return hash;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the admin token hash in " + file, e);
        }
    }

    /** The principal the token stands for, if it is known, not expired, and (for a user token) its user is active. */
    public Optional<Principal> authenticate(String token) {
        return Optional.ofNullable(check(token).principal());
    }

    /** As {@link #authenticate}, saying why a token is refused ("unknown or revoked", "expired at ...", "user deactivated"). */
    public Check check(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Check.refused("unknown or revoked token");
        }
        byte[] presented = hash(token);
        if (MessageDigest.isEqual(presented, adminHash)) {
            return Check.of(Principal.ADMIN);
        }
        String hex = HEX.formatHex(presented);
        StoredToken found = known.get(hex);
        if (found == null) {
            synchronized (this) { // so a renewal or refresh cannot interleave and leave a revoked token cached
                found = store.findByHash(hex).orElse(null);
                if (found == null) {
                    return Check.refused("unknown or revoked token");
                }
                known.put(hex, found);
            }
        }
        if (found.expiredAt(clock.instant())) {
            return Check.refused("token expired at " + found.expiresAt());
        }
        Principal principal = found.principal();
        if (principal.isUser() && !activeUser.test(principal.userId())) {
            return Check.refused("the token's user is deactivated");
        }
        return Check.of(principal);
    }

    /**
     * A new admin token in place of the current one, which this instance refuses at once and every
     * other one when it hears of the change (the tokens counter), within a second. The token is
     * returned once; only its hash is kept.
     */
    public synchronized String rotateAdminToken() {
        String token = newToken("adm");
        String hash = hex(token);
        store.replaceAdminHash(hash);
        adminHash = HEX.parseHex(hash);
        return token;
    }

    /** Forgets the cached tokens of this user: this instance has just deactivated them (which revoked their tokens). */
    public synchronized void forgetUser(String userId) {
        Principal user = new Principal(Principal.Kind.USER, userId);
        known.values().removeIf(t -> user.sameHolder(t.principal()));
    }

    /** Forgets every cached hash and reads the admin hash again: some instance revoked or renewed a token. */
    public synchronized void refresh() {
        known.clear();
        store.adminHash().ifPresent(hash -> adminHash = HEX.parseHex(hash));
    }

    /** A new token for the user, replacing any earlier one. */
    public synchronized String issueUserToken(String userId) {
        Principal user = new Principal(Principal.Kind.USER, userId);
        String token = newToken("usr");
        store.replace(user, hex(token));
        known.values().removeIf(t -> user.sameHolder(t.principal()));
        return token;
    }

    /** A new integration token with this id; an id already in use is a conflict. {@code expiresAt} null: no end. */
    public String issueIntegrationToken(String id, String name, Instant expiresAt) {
        return issueNamed(Principal.Kind.INTEGRATION, "int", id, name, expiresAt);
    }

    public String issueIntegrationToken(String id, String name) {
        return issueIntegrationToken(id, name, null);
    }

    /**
     * A new analyst token with this id: it may change and check the rules only. An id already in use
     * is a conflict. {@code expiresAt} null: no end.
     */
    public String issueAnalystToken(String id, String name, Instant expiresAt) {
        return issueNamed(Principal.Kind.ANALYST, "ana", id, name, expiresAt);
    }

    public String issueAnalystToken(String id, String name) {
        return issueAnalystToken(id, name, null);
    }

    private String issueNamed(Principal.Kind kind, String prefix, String id, String name, Instant expiresAt) {
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new InvalidInputException("expiresAt: must be in the future (it is " + expiresAt + ")");
        }
        String token = newToken(prefix);
        if (!store.save(hex(token), new Principal(kind, id, name), name, expiresAt)) {
            throw new ConflictException("an " + kind.name().toLowerCase(Locale.ROOT) + " token with id '" + id + "' already exists");
        }
        return token;
    }

    /** The named tokens of one kind (analyst or integration), without their secrets. */
    public List<TokenInfo> list(Principal.Kind kind) {
        return store.list(kind);
    }

    /**
     * Revokes the token of this kind and id: this instance refuses it at once, every other one when
     * it hears of the change (the tokens counter), within a second. An unknown id is not found.
     */
    public synchronized void revoke(Principal.Kind kind, String id) {
        Principal holder = new Principal(kind, id);
        if (!store.revokeAll(holder)) {
            throw new NotFoundException("no " + kind.name().toLowerCase(Locale.ROOT) + " token with id '" + id + "'");
        }
        known.values().removeIf(t -> holder.sameHolder(t.principal()));
    }

    private static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(String token) {
        return HEX.formatHex(hash(token));
    }
}
