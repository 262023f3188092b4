package io.sluice.ingest.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may get in ({@code sluice.registration}, {@code sluice.admin-key}, {@code sluice.auth.*}).
 *
 * @param registration {@code open}: anyone may create an organization; {@code closed}: only with the admin key
 * @param adminKey     the operator's key ({@code X-Admin-Key}); unset: the admin routes do not exist (404)
 * @param auth         login tokens
 */
@ConfigurationProperties("sluice")
public record AccessProperties(
        @DefaultValue("open") Registration registration,
        String adminKey,
        @DefaultValue Auth auth) {

    public enum Registration { OPEN, CLOSED }

    /**
     * @param jwtSecret       HMAC key of access tokens, at least 32 bytes; unset: a random one per
     *                        start, so tokens end with the process and are not shared between nodes
     * @param accessTokenTtl  life of an access token
     * @param refreshTokenTtl life of a login session (its refresh token)
     */
    public record Auth(
            String jwtSecret,
            @DefaultValue("1h") Duration accessTokenTtl,
            @DefaultValue("7d") Duration refreshTokenTtl) {
    }

    public boolean adminEnabled() {
        return adminKey != null && !adminKey.isBlank();
    }
}
