package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code sluice.registration=closed}, only the operator creates organizations. A context
 * of its own, closed afterwards so two applications do not share the test JVM for long.
 */
@TestPropertySource(properties = {"sluice.registration=closed", "sluice.topology.enabled=false"})
@DirtiesContext
class ClosedRegistrationIT extends SluiceIntegrationTest {

    @Test
    void onlyTheAdminKeyCreatesOrganizationsAndTheirKeysLogInAtOnce() {
        String body = "{\"name\":\"Closed\",\"slug\":\"" + unique("closed") + "\"}";

        SluiceClient.Answer anonymous = client.post(null, "/api/v1/organizations", body);
        SluiceClient.Answer wrongAdmin = client.send("POST", "/api/v1/organizations", body,
                Map.of("X-Admin-Key", "not-the-key"));
        SluiceClient.Answer byOperator = client.send("POST", "/api/v1/organizations", body,
                Map.of("X-Admin-Key", ADMIN_KEY));

        assertThat(anonymous.status()).isEqualTo(403);
        assertThat(anonymous.body().get("code").asString()).isEqualTo("ACCESS_DENIED");
        assertThat(wrongAdmin.status()).isEqualTo(403);
        assertThat(byOperator.status()).isEqualTo(201);
        assertThat(byOperator.body().get("organization").get("plan_tier").asString()).isEqualTo("free");
        String key = byOperator.body().get("api_key").get("key").asString();
        assertThat(client.post(null, "/api/v1/auth/login", "{\"api_key\":\"" + key + "\"}").status()).isEqualTo(200);
    }
}
