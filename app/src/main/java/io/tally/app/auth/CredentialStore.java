package io.tally.app.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks presented credentials against the configured hashes. Comparisons of SHA-256 hashes are
 * constant-time and run over every configured token, so timing tells nothing about which token
 * came close. bcrypt costs tens of milliseconds by design; a credential that verified is remembered
 * for a few minutes under the SHA-256 of what was presented (as Prometheus' exporter-toolkit does),
 * so that a scrape every few seconds does not pay it each time. Nothing here ever logs a credential.
 */
public final class CredentialStore {
    /** Verified against when a user name is unknown, so that unknown and wrong take the same time. */
    private static final String DUMMY_BCRYPT = BCrypt.withDefaults().hashToString(10, "tally".toCharArray());

    private final List<Token> tokens;
    private final Map<String, UserEntryHash> users = new HashMap<>();
    private final Cache<String, Caller> verified = Caffeine.newBuilder().maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public CredentialStore(AuthConfiguration config) {
        this.tokens = config.tokens().stream().map(Token::of).toList();
        for (AuthConfiguration.UserEntry user : config.users()) {
            users.put(user.name(), new UserEntryHash(user.bcrypt(), new Caller(user.name(), user.roles())));
        }
    }

    /** The caller a bearer token belongs to, if any. */
    public Optional<Caller> bearer(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        Caller match = null;
        for (Token t : tokens) {
            if (t.sha256 != null && MessageDigest.isEqual(presented, t.sha256) && match == null) {
                match = t.caller;
            }
        }
        if (match != null) {
            return Optional.of(match);
        }
        String key = "t:" + HexFormat.of().formatHex(presented);
        Caller cached = verified.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        for (Token t : tokens) {
            if (t.bcrypt != null && BCrypt.verifyer().verify(token.toCharArray(), t.bcrypt.toCharArray()).verified) {
                verified.put(key, t.caller);
                return Optional.of(t.caller);
            }
        }
        return Optional.empty();
    }

    /** The caller a basic-auth user and password belong to, if any. */
    public Optional<Caller> basic(String user, String password) {
        if (user == null || password == null) {
            return Optional.empty();
        }
        String key = "u:" + HexFormat.of().formatHex(sha256(user + '\u0000' + password));
        Caller cached = verified.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        UserEntryHash entry = users.get(user);
        String hash = entry == null ? DUMMY_BCRYPT : entry.bcrypt;
        boolean ok = BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
        if (!ok || entry == null) {
            return Optional.empty();
        }
        verified.put(key, entry.caller);
        return Optional.of(entry.caller);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private record Token(byte[] sha256, String bcrypt, Caller caller) {
        static Token of(AuthConfiguration.TokenEntry entry) {
            return new Token(entry.sha256() == null ? null : HexFormat.of().parseHex(entry.sha256().toLowerCase()),
                    entry.bcrypt(), new Caller(entry.name(), entry.roles()));
        }
    }

    private record UserEntryHash(String bcrypt, Caller caller) {
    }
}
