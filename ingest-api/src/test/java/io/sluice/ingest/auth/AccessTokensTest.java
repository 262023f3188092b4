package io.sluice.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.store.AuthSession;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccessTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private final AccessTokens tokens = tokens("a-secret-of-at-least-thirty-two-bytes!!");
    private final AuthSession session = new AuthSession(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), NOW,
            NOW.plus(Duration.ofDays(7)));

    @Test
    void aTokenItIssuedVerifiesUntilItExpiresWithWhatItSays() {
        String token = tokens.issue(session, List.of("billing"), NOW);

        AccessTokens.Claims claims = tokens.verify(token, NOW.plusSeconds(3599)).orElseThrow();

        assertThat(claims.sessionId()).isEqualTo(session.id());
        assertThat(claims.organizationId()).isEqualTo(session.organizationId());
        assertThat(claims.apiKeyId()).isEqualTo(session.apiKeyId());
        assertThat(claims.queues()).containsExactly("billing");
        assertThat(claims.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(tokens.verify(token, NOW.plusSeconds(3600))).isEmpty();
    }

    @Test
    void twoTokensOfTheSameSecondDiffer() {
        assertThat(tokens.issue(session, List.of(), NOW)).isNotEqualTo(tokens.issue(session, List.of(), NOW));
    }

    @Test
    void aTamperedTokenOrOneSignedWithAnotherKeyIsRefused() {
        String token = tokens.issue(session, List.of(), NOW);
        String[] parts = token.split("\\.");
        String otherPayload = tokens.issue(new AuthSession(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                NOW, NOW.plusSeconds(60)), List.of(), NOW).split("\\.")[1];

        assertThat(tokens.verify(parts[0] + "." + otherPayload + "." + parts[2], NOW)).isEmpty();
        assertThat(tokens.verify(tokens("another-secret-of-thirty-two-bytes-long!").issue(session, List.of(), NOW), NOW))
                .isEmpty();
        assertThat(tokens.verify("not.a.token", NOW)).isEmpty();
        assertThat(AccessTokens.looksLikeToken(token)).isTrue();
        assertThat(AccessTokens.looksLikeToken("sk_live_abc")).isFalse();
    }

    private static AccessTokens tokens(String secret) {
        return new AccessTokens(new AccessProperties(AccessProperties.Registration.OPEN, null,
                new AccessProperties.Auth(secret, Duration.ofHours(1), Duration.ofDays(7))), new SecureRandom());
    }
}
