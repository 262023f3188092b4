package io.sluice.ingest.org;

import io.sluice.core.job.Uuid7;
import io.sluice.ingest.auth.ApiKeys;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.NewOrganization;
import io.sluice.store.OrganizationStore;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Self-service registration: an organization and its first API key, shown once. */
@RestController
public class OrganizationController {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public record CreateOrganization(String name, String slug) {
    }

    public record OrganizationView(UUID id, String name, String slug, String planTier, Instant createdAt) {
    }

    public record ApiKeyView(UUID id, String key, String name, Instant createdAt) {
    }

    public record Created(OrganizationView organization, ApiKeyView apiKey) {
    }

    private final OrganizationStore organizations;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;

    public OrganizationController(OrganizationStore organizations, Uuid7 ids, RandomGenerator secureRandom, Clock clock) {
        this.organizations = organizations;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
    }

    @PostMapping("/api/v1/organizations")
    @ResponseStatus(HttpStatus.CREATED)
    public Created create(@RequestBody CreateOrganization request) {
        String name = request.name() == null ? "" : request.name().trim();
        if (name.isEmpty() || name.length() > 100) {
            throw ApiException.validation("name is required, at most 100 characters");
        }
        if (request.slug() == null || !SLUG.matcher(request.slug()).matches()) {
            throw ApiException.validation("slug must be 2-63 characters of a-z, 0-9 and -, starting with a letter or digit");
        }
        Instant now = clock.instant();
        String key = ApiKeys.generate(secureRandom);
        NewOrganization org = new NewOrganization(ids.next(), name, request.slug(), now,
                ids.next(), "default", ApiKeys.hash(key), ApiKeys.displayPrefix(key));
        if (!organizations.createWithKey(org)) {
            throw ApiException.conflict("slug '" + request.slug() + "' is taken");
        }
        return new Created(new OrganizationView(org.id(), name, org.slug(), "free", now),
                new ApiKeyView(org.apiKeyId(), key, org.apiKeyName(), now));
    }
}
