package io.sluice.ingest.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.store.AuthSession;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Access tokens of login sessions: JWTs signed with HMAC-SHA256. A token names its session
 * ({@code sid}), so it is honoured only while the session and its API key live; its own
 * {@code exp} bounds it besides. Each token gets a random {@code jti}, so two tokens issued
 * within the same second still differ.
 */
@Component
public class AccessTokens {

    private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);
    private static final String ISSUER = "sluice";
    private static final int MIN_SECRET_BYTES = 32;

    /** What a valid access token says. */
    public record Claims(UUID sessionId, UUID organizationId, UUID apiKeyId, List<String> queues,
                         Instant issuedAt, Instant expiresAt) {
    }

    private final MACSigner signer;
    private final MACVerifier verifier;
    private final Duration ttl;

    public AccessTokens(AccessProperties properties, RandomGenerator secureRandom) {
        byte[] secret = secret(properties.auth().jwtSecret(), secureRandom);
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException("sluice.auth.jwt-secret is not a usable HMAC key", e);
        }
        this.ttl = properties.auth().accessTokenTtl();
    }

    private static byte[] secret(String configured, RandomGenerator secureRandom) {
        if (configured == null || configured.isBlank()) {
            log.warn("sluice.auth.jwt-secret is not set: access tokens are signed with a random key of this process"
                    + " (they end with it and other nodes refuse them)");
            byte[] random = new byte[MIN_SECRET_BYTES];
            secureRandom.nextBytes(random);
            return random;
        }
        byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("sluice.auth.jwt-secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        return bytes;
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(AuthSession session, List<String> queues, Instant now) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(session.apiKeyId().toString())
                .claim("org", session.organizationId().toString())
                .claim("sid", session.id().toString())
                .claim("queues", queues)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing an access token failed", e);
        }
        return jwt.serialize();
    }

    /** Whether the credential has a JWT's shape (three dot-separated parts) rather than an API key's. */
    public static boolean looksLikeToken(String credential) {
        int first = credential.indexOf('.');
        return first > 0 && credential.indexOf('.', first + 1) > first;
    }

    /** The token's claims when its signature is ours and it has not expired; its session is not checked here. */
    public Optional<Claims> verify(String token, Instant now) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date issued = claims.getIssueTime();
            Date expires = claims.getExpirationTime();
            String session = claims.getStringClaim("sid");
            String organization = claims.getStringClaim("org");
            List<String> queues = claims.getStringListClaim("queues");
            if (!ISSUER.equals(claims.getIssuer()) || issued == null || expires == null || session == null
                    || organization == null || claims.getSubject() == null || queues == null
                    || !expires.toInstant().isAfter(now)) {
                return Optional.empty();
            }
            return Optional.of(new Claims(UUID.fromString(session), UUID.fromString(organization),
                    UUID.fromString(claims.getSubject()), queues, issued.toInstant(), expires.toInstant()));
        } catch (ParseException | JOSEException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
