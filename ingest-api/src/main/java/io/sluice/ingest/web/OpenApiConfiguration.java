package io.sluice.ingest.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document springdoc generates from the controllers ({@code /v3/api-docs}, Swagger
 * UI at {@code /swagger-ui.html}): every route takes {@code Authorization: Bearer <API key or
 * access token>}, which is all a client needs beyond the routes themselves.
 */
@Configuration
public class OpenApiConfiguration {

    private static final String BEARER = "bearer";

    /**
     * Schemas in the API's own naming (snake_case, as {@code spring.jackson.property-naming-strategy}
     * makes it): springdoc reads the records with swagger-core's Jackson, which knows nothing of it.
     */
    @Bean
    ModelResolver snakeCaseModels() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI sluiceOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Sluice API").version("v1")
                        .description("Webhook delivery and background jobs; Spooled-compatible under /api/v1."))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API key (sk_live_...) or a login's access token")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
