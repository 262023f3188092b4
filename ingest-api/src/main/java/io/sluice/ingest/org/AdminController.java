package io.sluice.ingest.org;

import io.sluice.ingest.auth.AdminKey;
import io.sluice.ingest.auth.ApiKeyIssuer;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.DisplayName;
import io.sluice.ingest.web.Ids;
import io.sluice.store.OrganizationStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operator routes, with {@code X-Admin-Key}: every organization, and a new key for one that
 * lost its own. They exist only when {@code sluice.admin-key} is set (else 404).
 */
@RestController
public class AdminController {

    private final AdminKey adminKey;
    private final OrganizationStore organizations;
    private final ApiKeyIssuer issuer;
    private final Clock clock;

    public AdminController(AdminKey adminKey, OrganizationStore organizations, ApiKeyIssuer issuer, Clock clock) {
        this.adminKey = adminKey;
        this.organizations = organizations;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** Oldest first; a limit above 100 is clamped. */
    @GetMapping("/api/v1/admin/organizations")
    public List<OrganizationController.OrganizationView> organizations(
            @RequestHeader(name = AdminKey.HEADER, required = false) String admin,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        adminKey.require(admin);
        return organizations.list(Math.clamp(limit, 1, 100), Math.max(offset, 0)).stream()
                .map(OrganizationController.OrganizationView::of).toList();
    }

    @PostMapping("/api/v1/admin/organizations/{id}/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    public ApiKeyController.CreatedApiKey issueKey(@RequestHeader(name = AdminKey.HEADER, required = false) String admin,
                                                   @PathVariable String id,
                                                   @RequestBody(required = false) ApiKeyController.CreateApiKey request) {
        adminKey.require(admin);
        UUID organizationId = Ids.parse(id).flatMap(organizations::get)
                .orElseThrow(() -> ApiException.notFound("Organization not found")).id();
        if (request == null) {
            throw ApiException.validation("name is required", Map.of("field", "name"));
        }
        return ApiKeyController.CreatedApiKey.of(issuer.issue(organizationId, DisplayName.checked(request.name()),
                ApiKeyController.checkedQueues(request.queues()), ApiKeyController.checkedRateLimit(request.rateLimit()),
                ApiKeyController.checkedExpiry(request.expiresAt(), clock.instant())));
    }
}
