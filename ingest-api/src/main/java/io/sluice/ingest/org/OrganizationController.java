package io.sluice.ingest.org;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.core.job.Uuid7;
import io.sluice.ingest.auth.AccessProperties;
import io.sluice.ingest.auth.AdminKey;
import io.sluice.ingest.auth.ApiKeys;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Authenticator;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.DisplayName;
import io.sluice.ingest.web.Ids;
import io.sluice.store.NewOrganization;
import io.sluice.store.Organization;
import io.sluice.store.OrganizationStore;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Organizations: registration (open, or with the admin key when {@code sluice.registration=closed}),
 * the caller's own organization, and slug helpers for sign-up forms. A key sees only its own
 * organization: any other id is not found.
 */
@RestController
public class OrganizationController {

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public record CreateOrganization(String name, String slug) {
    }

    public record UpdateOrganization(String name, String slug) {
    }

    public record OrganizationView(UUID id, String name, String slug, String planTier, Instant createdAt,
                                   Instant updatedAt) {

        static OrganizationView of(Organization org) {
            return new OrganizationView(org.id(), org.name(), org.slug(), org.planTier(), org.createdAt(),
                    org.updatedAt());
        }
    }

    public record ApiKeyView(UUID id, String key, String name, Instant createdAt) {
    }

    public record Created(OrganizationView organization, ApiKeyView apiKey) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SlugCheck(boolean available, boolean valid, String error, String suggestion) {
    }

    public record GenerateSlug(String name) {
    }

    public record GeneratedSlug(String slug) {
    }

    private final OrganizationStore organizations;
    private final AccessProperties access;
    private final AdminKey adminKey;
    private final Authenticator authenticator;
    private final DirectoryPublisher directoryPublisher;
    private final OrganizationUsageReport usageReport;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;

    public OrganizationController(OrganizationStore organizations, AccessProperties access, AdminKey adminKey,
                                  Authenticator authenticator, DirectoryPublisher directoryPublisher,
                                  OrganizationUsageReport usageReport, Uuid7 ids, RandomGenerator secureRandom,
                                  Clock clock) {
        this.organizations = organizations;
        this.access = access;
        this.adminKey = adminKey;
        this.authenticator = authenticator;
        this.directoryPublisher = directoryPublisher;
        this.usageReport = usageReport;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
    }

    /** An organization and its first API key, shown once. Closed registration takes the admin key. */
    @PostMapping("/api/v1/organizations")
    @ResponseStatus(HttpStatus.CREATED)
    public Created create(@RequestHeader(name = AdminKey.HEADER, required = false) String admin,
                          @RequestBody(required = false) CreateOrganization request) {
        if (access.registration() == AccessProperties.Registration.CLOSED && !adminKey.matches(admin)) {
            throw ApiException.accessDenied("Registration is closed: creating an organization takes the admin key");
        }
        if (request == null) {
            throw ApiException.validation("name and slug are required");
        }
        String name = DisplayName.checked(request.name());
        String slug = checkedSlug(request.slug());
        Instant now = clock.instant();
        String key = ApiKeys.generate(secureRandom);
        NewOrganization org = new NewOrganization(ids.next(), name, slug, now,
                ids.next(), "default", ApiKeys.hash(key), ApiKeys.displayPrefix(key));
        if (!organizations.createWithKey(org)) {
            throw ApiException.conflict("slug '" + slug + "' is taken");
        }
        return new Created(new OrganizationView(org.id(), name, slug, "free", now, now),
                new ApiKeyView(org.apiKeyId(), key, org.apiKeyName(), now));
    }

    /** The caller's organization, as a list (a key belongs to exactly one). */
    @GetMapping("/api/v1/organizations")
    public List<OrganizationView> list(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId) {
        return organizations.get(organizationId).map(OrganizationView::of).stream().toList();
    }

    @GetMapping("/api/v1/organizations/check-slug")
    public SlugCheck checkSlug(@RequestParam(required = false) String slug) {
        String problem = slugProblem(slug);
        if (problem != null) {
            return new SlugCheck(false, false, problem, slug == null ? null : freeSlug(slugOf(slug)));
        }
        return organizations.slugTaken(slug)
                ? new SlugCheck(false, true, "slug '" + slug + "' is taken", freeSlug(slug))
                : new SlugCheck(true, true, null, null);
    }

    /** A free slug made from a name: lower case, a-z, 0-9 and dashes. */
    @PostMapping("/api/v1/organizations/generate-slug")
    public GeneratedSlug generateSlug(@RequestBody(required = false) GenerateSlug request) {
        String name = DisplayName.checked(request == null ? null : request.name());
        return new GeneratedSlug(freeSlug(slugOf(name)));
    }

    @GetMapping("/api/v1/organizations/usage")
    public OrganizationUsageReport.Usage usage(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId) {
        Organization org = organizations.get(organizationId).orElseThrow(OrganizationController::notFound);
        return usageReport.of(org, clock.instant().atOffset(ZoneOffset.UTC).toLocalDate()
                .atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    @GetMapping("/api/v1/organizations/{id}")
    public OrganizationView get(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                @PathVariable String id) {
        return own(organizationId, id).flatMap(organizations::get).map(OrganizationView::of)
                .orElseThrow(OrganizationController::notFound);
    }

    /** Renames the organization or changes its slug (a taken slug: 409). */
    @PutMapping("/api/v1/organizations/{id}")
    public OrganizationView update(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                   @PathVariable String id, @RequestBody(required = false) UpdateOrganization request) {
        UUID orgId = own(organizationId, id).orElseThrow(OrganizationController::notFound);
        String name = request == null || request.name() == null ? null : DisplayName.checked(request.name());
        String slug = request == null || request.slug() == null ? null : checkedSlug(request.slug());
        try {
            return organizations.rename(orgId, name, slug, clock.instant()).map(OrganizationView::of)
                    .orElseThrow(OrganizationController::notFound);
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict("slug '" + slug + "' is taken");
        }
    }

    /**
     * Deletes the organization: at once its keys and logins stop working and its endpoints are
     * deleted (undelivered jobs to them are dead-lettered); 204.
     */
    @DeleteMapping("/api/v1/organizations/{id}")
    public ResponseEntity<Void> delete(@RequestAttribute(AuthenticationFilter.ORGANIZATION_ID) UUID organizationId,
                                       @PathVariable String id) {
        UUID orgId = own(organizationId, id).orElseThrow(OrganizationController::notFound);
        if (!organizations.retire(orgId, clock.instant())) {
            throw notFound();
        }
        authenticator.forgetAll();
        directoryPublisher.wake();
        return ResponseEntity.noContent().build();
    }

    /** The id, when it names the caller's own organization. */
    private static Optional<UUID> own(UUID organizationId, String id) {
        return Ids.parse(id).filter(organizationId::equals);
    }

    private static String checkedSlug(String slug) {
        String problem = slugProblem(slug);
        if (problem != null) {
            throw ApiException.validation(problem, Map.of("field", "slug"));
        }
        return slug;
    }

    private static String slugProblem(String slug) {
        return slug != null && SLUG.matcher(slug).matches() ? null
                : "slug must be 2-63 characters of a-z, 0-9 and -, starting with a letter or digit";
    }

    /** The name folded to a slug's alphabet; "org" when nothing of it is left. */
    private static String slugOf(String name) {
        String folded = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (folded.length() > 50) {
            folded = folded.substring(0, 50).replaceAll("-+$", "");
        }
        return folded.length() < 2 ? "org" + (folded.isEmpty() ? "" : "-" + folded) : folded;
    }

    /** The slug, or the slug with a number after it, whichever is free first. */
    private String freeSlug(String base) {
        if (!organizations.slugTaken(base)) {
            return base;
        }
        for (int n = 2; n < 100; n++) {
            String candidate = base + "-" + n;
            if (!organizations.slugTaken(candidate)) {
                return candidate;
            }
        }
        return base + "-" + Long.toString(secureRandom.nextLong(36L * 36 * 36 * 36), 36);
    }

    private static ApiException notFound() {
        return ApiException.notFound("Organization not found");
    }
}
