package io.sluice.ingest.web;

import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes {@link JsonBodyConverter} the server's JSON converter, in the place of the one Spring
 * Boot sets (its customizer has order 0, so this one, later, has the last word). Not a
 * converter bean: Boot puts those ahead of every other converter, where the JSON converter
 * would take over bodies that are bytes or text (the OpenAPI document is such bytes).
 */
@Configuration(proxyBeanMethods = false)
public class JsonBodyConfiguration {

    @Bean
    @Order(1)
    ServerHttpMessageConvertersCustomizer jsonBodyConverter(JsonMapper mapper) {
        return converters -> converters.withJsonConverter(new JsonBodyConverter(mapper));
    }
}
