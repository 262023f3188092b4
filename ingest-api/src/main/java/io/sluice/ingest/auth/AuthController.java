package io.sluice.ingest.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.core.job.Uuid7;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.AuthSession;
import io.sluice.store.AuthSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Logins with an API key. A login is a session: its refresh token (random, kept hashed) makes
 * new access tokens until the session expires or is logged out; each access token is a JWT
 * that ends at its own {@code exp} or with its session, whichever comes first. Refreshing
 * does not end earlier access tokens, and the refresh token stays usable.
 */
@RestController
public class AuthController {

    private static final String REFRESH_PREFIX = "rt_";
    private static final int REFRESH_BYTES = 32;

    public record Login(String apiKey) {
    }

    public record Refresh(String refreshToken) {
    }

    public record Validate(String token) {
    }

    public record LoggedIn(String accessToken, String refreshToken, String tokenType, long expiresIn,
                           long refreshExpiresIn) {
    }

    public record Refreshed(String accessToken, String tokenType, long expiresIn) {
    }

    /**
     * Who the caller is; {@code issued_at} and {@code expires_at} are the access token's (null for
     * a key), and {@code iat} and {@code exp} the same times as JWT's seconds, which Spooled's SDKs read.
     */
    public record Me(UUID organizationId, UUID apiKeyId, List<String> queues, Instant issuedAt, Instant expiresAt,
                     Long iat, Long exp) {

        Me(UUID organizationId, UUID apiKeyId, List<String> queues, Instant issuedAt, Instant expiresAt) {
            this(organizationId, apiKeyId, queues, issuedAt, expiresAt, seconds(issuedAt), seconds(expiresAt));
        }

        private static Long seconds(Instant instant) {
            return instant == null ? null : instant.getEpochSecond();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Validation(boolean valid, String message, Me claims) {
    }

    private final Authenticator authenticator;
    private final AccessTokens tokens;
    private final AuthSessionStore sessions;
    private final AccessProperties properties;
    private final Uuid7 ids;
    private final RandomGenerator secureRandom;
    private final Clock clock;

    public AuthController(Authenticator authenticator, AccessTokens tokens, AuthSessionStore sessions,
                          AccessProperties properties, Uuid7 ids, RandomGenerator secureRandom, Clock clock) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.sessions = sessions;
        this.properties = properties;
        this.ids = ids;
        this.secureRandom = secureRandom;
        this.clock = clock;
    }

    @PostMapping("/api/v1/auth/login")
    public LoggedIn login(@RequestBody(required = false) Login request) {
        if (request == null || request.apiKey() == null || request.apiKey().isBlank()) {
            throw ApiException.validation("api_key is required", Map.of("field", "api_key"));
        }
        Caller caller = authenticator.authenticateKey(request.apiKey().strip())
                .orElseThrow(() -> ApiException.unauthenticated("Invalid or expired API key"));
        Instant now = clock.instant();
        Duration sessionTtl = properties.auth().refreshTokenTtl();
        AuthSession session = new AuthSession(ids.next(), caller.organizationId(), caller.apiKeyId(), now,
                now.plus(sessionTtl));
        String refreshToken = newRefreshToken();
        sessions.open(session, ApiKeys.hash(refreshToken));
        return new LoggedIn(tokens.issue(session, caller.queues(), now), refreshToken, "Bearer",
                tokens.ttl().toSeconds(), sessionTtl.toSeconds());
    }

    @PostMapping("/api/v1/auth/refresh")
    public Refreshed refresh(@RequestBody(required = false) Refresh request) {
        if (request == null || request.refreshToken() == null || request.refreshToken().isBlank()) {
            throw ApiException.validation("refresh_token is required", Map.of("field", "refresh_token"));
        }
        Instant now = clock.instant();
        AuthSession session = sessions.findByRefreshToken(ApiKeys.hash(request.refreshToken().strip()), now)
                .orElseThrow(() -> ApiException.unauthenticated("Invalid, expired or logged-out refresh token"));
        Caller caller = authenticator.ownerOfSession(session.id())
                .orElseThrow(() -> ApiException.unauthenticated("The API key of this login is no longer active"));
        return new Refreshed(tokens.issue(session, caller.queues(), now), "Bearer", tokens.ttl().toSeconds());
    }

    /** Ends the login of the access token used (its refresh token and every access token of it); 204. */
    @PostMapping("/api/v1/auth/logout")
    public ResponseEntity<Void> logout(@RequestHeader("Authorization") String authorization) {
        Instant now = clock.instant();
        claimsOf(authorization, now).ifPresent(claims -> {
            sessions.revoke(claims.sessionId(), now);
            authenticator.forgetAll();
        });
        return ResponseEntity.noContent().build();
    }

    /** Whether a token would be accepted now (200 either way). */
    @PostMapping("/api/v1/auth/validate")
    public Validation validate(@RequestBody(required = false) Validate request) {
        if (request == null || request.token() == null || request.token().isBlank()) {
            throw ApiException.validation("token is required", Map.of("field", "token"));
        }
        String token = request.token().strip();
        Optional<AccessTokens.Claims> claims = tokens.verify(token, clock.instant());
        if (claims.isEmpty() || authenticator.authenticate(token).isEmpty()) {
            return new Validation(false, "The token is invalid, expired or logged out", null);
        }
        return new Validation(true, null, me(claims.get()));
    }

    @GetMapping("/api/v1/auth/me")
    public Me me(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                 @RequestHeader("Authorization") String authorization) {
        return claimsOf(authorization, clock.instant()).map(AuthController::me)
                .orElseGet(() -> new Me(caller.organizationId(), caller.apiKeyId(), caller.queues(), null, null));
    }

    private Optional<AccessTokens.Claims> claimsOf(String authorization, Instant now) {
        String credential = authorization.substring("Bearer ".length()).strip();
        return AccessTokens.looksLikeToken(credential) ? tokens.verify(credential, now) : Optional.empty();
    }

    private static Me me(AccessTokens.Claims claims) {
        return new Me(claims.organizationId(), claims.apiKeyId(), claims.queues(), claims.issuedAt(),
                claims.expiresAt());
    }

    private String newRefreshToken() {
        byte[] bytes = new byte[REFRESH_BYTES];
        secureRandom.nextBytes(bytes);
        return REFRESH_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
