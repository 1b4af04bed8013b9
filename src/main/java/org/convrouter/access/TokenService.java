package org.convrouter.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import org.convrouter.error.ConflictException;
import org.convrouter.support.Sha256;

/**
 * Issues and checks bearer tokens. Only SHA-256 hashes are kept: in the token table for user and
 * integration tokens, and in the data folder for a generated admin token. A presented token is
 * hashed and its hash looked up; the admin hash is compared with {@link MessageDigest#isEqual},
 * which takes the same time wherever the bytes differ. Thread-safe.
 */
public final class TokenService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenStore store;
    private final byte[] adminHash;
    /** Known token hashes, so a request does not cost a query; revocation removes them. */
    private final Map<String, Principal> known = new ConcurrentHashMap<>();

    private TokenService(TokenStore store, byte[] adminHash) {
        this.store = store;
        this.adminHash = adminHash;
    }

    /**
     * The admin token comes from {@code configured} (ROUTER_ADMIN_TOKEN) when set; otherwise it is
     * generated on first start, its hash kept in {@code dataDir/admin-token.sha256}, and the token
     * handed to {@code printOnce} that one time.
     */
    public static TokenService start(TokenStore store, String configured, Path dataDir, java.util.function.Consumer<String> printOnce) {
        if (configured != null && !configured.isBlank()) {
            return new TokenService(store, hash(configured));
        }
        Path file = dataDir.resolve("admin-token.sha256");
        try {
            if (Files.exists(file)) {
                return new TokenService(store, HexFormat.of().parseHex(Files.readString(file).strip()));
            }
            String token = newToken("adm");
            Files.createDirectories(dataDir);
            Files.writeString(file, HexFormat.of().formatHex(hash(token)) + "\n");
            printOnce.accept(token);
            return new TokenService(store, hash(token));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the admin token hash in " + file, e);
        }
    }

    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        byte[] presented = hash(token);
        if (MessageDigest.isEqual(presented, adminHash)) {
            return Optional.of(Principal.ADMIN);
        }
        String hex = HexFormat.of().formatHex(presented);
        Principal cached = known.get(hex);
        if (cached != null) {
            return Optional.of(cached);
        }
        synchronized (this) { // so a renewal cannot interleave and leave a revoked token cached
            Optional<Principal> stored = store.findByHash(hex);
            stored.ifPresent(p -> known.put(hex, p));
            return stored;
        }
    }

    /** A new token for the user, replacing any earlier one. */
    public synchronized String issueUserToken(String userId) {
        Principal user = new Principal(Principal.Kind.USER, userId);
        store.revokeAll(user);
        known.values().removeIf(user::equals);
        String token = newToken("usr");
        store.save(HexFormat.of().formatHex(hash(token)), user, null);
        return token;
    }

    /** A new integration token with this id; an id already in use is a conflict. */
    public synchronized String issueIntegrationToken(String id, String name) {
        Principal integration = new Principal(Principal.Kind.INTEGRATION, id);
        if (store.exists(integration)) {
            throw new ConflictException("an integration token with id '" + id + "' already exists");
        }
        String token = newToken("int");
        store.save(HexFormat.of().formatHex(hash(token)), integration, name);
        return token;
    }

    private static String newToken(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String token) {
        return Sha256.of(token.getBytes(StandardCharsets.UTF_8));
    }
}
