package io.sluice.ingest.auth;

import io.sluice.ingest.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;

/**
 * The operator's key ({@code sluice.admin-key}), given as {@code X-Admin-Key}. Without one
 * configured, the operator routes do not exist (404, as clients expect of an absent feature).
 */
@Component
public class AdminKey {

    public static final String HEADER = "X-Admin-Key";

    private final byte[] key;

    public AdminKey(AccessProperties properties) {
        this.key = properties.adminEnabled() ? properties.adminKey().getBytes(StandardCharsets.UTF_8) : null;
    }

    public boolean enabled() {
        return key != null;
    }

    /** Whether the header holds the admin key (compared in constant time). */
    public boolean matches(String header) {
        return key != null && header != null
                && MessageDigest.isEqual(key, header.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** Lets an operator route go on: 404 without an admin key configured, 401 with a wrong one. */
    public void require(String header) {
        if (!enabled()) {
            throw ApiException.notFound("Not found");
        }
        if (!matches(header)) {
            throw ApiException.unauthenticated("Invalid or missing " + HEADER);
        }
    }
}
