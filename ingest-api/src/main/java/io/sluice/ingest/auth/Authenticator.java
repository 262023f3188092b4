package io.sluice.ingest.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sluice.store.ApiKeyOwner;
import io.sluice.store.ApiKeyStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Resolves a bearer credential (an API key or a login's access token) to its {@link Caller}.
 * Lookups are cached briefly so a busy producer does not cost a database read per request:
 * a key deactivated, rescoped or logged out through another node keeps its old answer for
 * at most {@link #CACHE_TTL} (through this node, at once).
 */
@Component
public class Authenticator {

    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    /** How often a key's {@code last_used} is written at most (it is a write per request otherwise). */
    private static final Duration LAST_USED_PRECISION = Duration.ofMinutes(1);
    /** Keys are few, attackers' guesses many: the caches are bounded. */
    private static final int CACHE_LIMIT = 10_000;

    private final ApiKeyStore keys;
    private final AccessTokens tokens;
    private final Clock clock;
    private final Cache<ByteBuffer, Optional<ApiKeyOwner>> ownersByKey =
            Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(CACHE_LIMIT).build();
    private final Cache<UUID, Optional<ApiKeyOwner>> ownersBySession =
            Caffeine.newBuilder().expireAfterWrite(CACHE_TTL).maximumSize(CACHE_LIMIT).build();
    private final Cache<UUID, Boolean> recentlyUsed =
            Caffeine.newBuilder().expireAfterWrite(LAST_USED_PRECISION).maximumSize(CACHE_LIMIT).build();

    public Authenticator(ApiKeyStore keys, AccessTokens tokens, Clock clock) {
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** @return the caller, or empty when the credential is unknown, inactive, expired or logged out */
    public Optional<Caller> authenticate(String credential) {
        return AccessTokens.looksLikeToken(credential) ? ownerOfToken(credential) : ownerOfKey(credential);
    }

    /** An API key only (logging in takes one). */
    public Optional<Caller> authenticateKey(String key) {
        return ownerOfKey(key);
    }

    private Optional<Caller> ownerOfKey(String key) {
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty();
        }
        Optional<ApiKeyOwner> owner = ownersByKey.get(ByteBuffer.wrap(ApiKeys.hash(key)),
                hash -> keys.findOwner(hash.array()));
        return usable(owner);
    }

    private Optional<Caller> ownerOfToken(String token) {
        return tokens.verify(token, clock.instant()).flatMap(claims -> ownerOfSession(claims.sessionId()));
    }

    /** The caller of a live login session whose key is still usable. */
    public Optional<Caller> ownerOfSession(UUID sessionId) {
        return usable(ownersBySession.get(sessionId, session -> keys.findOwnerOfSession(session, clock.instant())));
    }

    private Optional<Caller> usable(Optional<ApiKeyOwner> owner) {
        Instant now = clock.instant();
        Optional<ApiKeyOwner> live = owner.filter(o -> o.usableAt(now));
        live.ifPresent(o -> recentlyUsed.get(o.apiKeyId(), id -> {
            keys.touch(id, now);
            return true;
        }));
        return live.map(Caller::of);
    }

    /** Forgets cached answers after keys changed or a session ended through this node. */
    public void forgetAll() {
        ownersByKey.invalidateAll();
        ownersBySession.invalidateAll();
    }
}
