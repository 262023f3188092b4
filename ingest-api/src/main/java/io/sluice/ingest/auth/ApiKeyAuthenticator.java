package io.sluice.ingest.auth;

import io.sluice.store.ApiKeyOwner;
import io.sluice.store.OrganizationStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Resolves an API key to its organization. Answers are cached briefly so a busy producer
 * does not cost a database read per request; a deactivated key therefore keeps working
 * for at most {@link #CACHE_TTL}.
 */
@Component
public class ApiKeyAuthenticator {

    static final Duration CACHE_TTL = Duration.ofSeconds(10);
    /** Beyond this many cached keys the cache is simply cleared: keys are few, attackers' guesses many. */
    private static final int CACHE_LIMIT = 10_000;

    private record Cached(Optional<ApiKeyOwner> owner, Instant until) {
    }

    private final OrganizationStore organizations;
    private final Clock clock;
    private final ConcurrentHashMap<ByteBuffer, Cached> cache = new ConcurrentHashMap<>();

    public ApiKeyAuthenticator(OrganizationStore organizations, Clock clock) {
        this.organizations = organizations;
        this.clock = clock;
    }

    /** @return the organization id, or empty when the key is unknown, inactive or expired */
    public Optional<UUID> organizationOf(String key) {
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        ByteBuffer hash = ByteBuffer.wrap(ApiKeys.hash(key));
        Cached cached = cache.get(hash);
        if (cached == null || cached.until().isBefore(now)) {
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cached = new Cached(organizations.findKeyOwner(hash.array()), now.plus(CACHE_TTL));
            cache.put(hash, cached);
        }
        return cached.owner().filter(owner -> owner.usableAt(now)).map(ApiKeyOwner::organizationId);
    }
}
