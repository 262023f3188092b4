package io.sluice.ingest.message;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sluice.ingest.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * JSON Schema validation of message payloads (draft 2020-12 unless a schema's {@code $schema}
 * names another draft). Compiled schemas are kept by their text, so each is compiled once.
 */
@Component
public class PayloadSchemas {

    /** Schemas kept compiled; beyond, the cache starts over (schemas are few and small). */
    private static final int CACHED = 1_000;
    /** Violations reported at most: enough to fix a payload, few enough to read. */
    static final int MAX_PROBLEMS = 20;

    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** @throws ApiException 400 when {@code schema} cannot be used as a JSON Schema */
    void check(JsonNode schema) {
        if (!schema.isObject() && !schema.isBoolean()) {
            throw ApiException.validation("schema must be a JSON Schema (an object)", Map.of("field", "schema"));
        }
        try {
            registry.getSchema(schema.toString()).initializeValidators();
        } catch (SchemaException | IllegalArgumentException e) {
            throw ApiException.validation("schema is not a usable JSON Schema: " + e.getMessage(),
                    Map.of("field", "schema"));
        }
    }

    /** @return how the payload breaks the schema (at most {@link #MAX_PROBLEMS}); empty when it conforms */
    List<String> problems(String schema, JsonNode payload) {
        if (compiled.size() > CACHED) {
            compiled.clear();
        }
        Schema compiledSchema = compiled.computeIfAbsent(schema, registry::getSchema);
        return compiledSchema.validate(payload).stream().limit(MAX_PROBLEMS).map(Error::toString).toList();
    }
}
