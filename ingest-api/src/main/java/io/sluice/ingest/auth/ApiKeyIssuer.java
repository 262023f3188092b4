package io.sluice.ingest.auth;

import io.sluice.core.job.Uuid7;
import io.sluice.store.ApiKey;
import io.sluice.store.ApiKeyStore;
import io.sluice.store.NewApiKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.stereotype.Component;

/** Makes API keys: a random secret, of which only the hash is stored. */
@Component
public class ApiKeyIssuer {

    /** A key just made, with its secret: the one time the secret is known. */
    public record Issued(ApiKey key, String secret) {
    }

    private final ApiKeyStore keys;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;

    public ApiKeyIssuer(ApiKeyStore keys, Uuid7 ids, RandomGenerator secureRandom, Clock clock) {
        this.keys = keys;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
    }

    public Issued issue(UUID organizationId, String name, List<String> queues, Integer rateLimit, Instant expiresAt) {
        String secret = ApiKeys.generate(secureRandom);
        ApiKey key = keys.create(new NewApiKey(ids.next(), organizationId, name, ApiKeys.hash(secret),
                ApiKeys.displayPrefix(secret), queues, rateLimit, expiresAt, clock.instant()));
        return new Issued(key, secret);
    }
}
