package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The OpenAPI document is generated from the code and served without a key, with Swagger UI. */
class OpenApiIT extends SluiceIntegrationTest {

    @Test
    void theDocumentDescribesTheRoutesTheirSnakeCaseFieldsAndTheBearerScheme() {
        SluiceClient.Answer docs = client.get(null, "/v3/api-docs");

        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.body().get("paths");
        assertThat(paths.has("/api/v1/jobs")).isTrue();
        assertThat(paths.has("/api/v1/jobs/claim")).isTrue();
        assertThat(paths.has("/api/v1/api-keys/{id}")).isTrue();
        assertThat(paths.has("/api/v1/workers/register")).isTrue();
        assertThat(docs.body().at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        JsonNode createKey = docs.body().at("/components/schemas/CreateApiKey/properties");
        assertThat(createKey.has("rate_limit")).as(createKey.toString()).isTrue();
        assertThat(createKey.has("expires_at")).isTrue();
        // A job's payload is documented as JSON, not as the type Sluice reads it into.
        JsonNode payload = docs.body().at("/components/schemas/CreateJob/properties/payload");
        assertThat(payload.isMissingNode()).as(docs.body().at("/components/schemas/CreateJob").toString()).isFalse();
        assertThat(payload.has("$ref") || payload.has("properties")).as(payload.toString()).isFalse();
        SluiceClient.Answer ui = client.get(null, "/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.raw()).contains("Swagger UI");
    }
}
