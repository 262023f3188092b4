package io.sluice.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

class RawJsonTest {

    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

    @ParameterizedTest
    @ValueSource(strings = {"{\"to\":\"ada@example.com\",\"n\":[1,2.5,{\"deep\":null}],\"ok\":true}", "[1,\"two\",[]]",
            "\"text with \\\"quotes\\\" and \\\\ \\u00e9\"", "42", "-0.125", "true", "{}"})
    void aPayloadIsTheSameJsonTheClientSent(String payload) {
        JobRequests.CreateJob request = json.readValue("{\"queue_name\":\"q\",\"payload\":" + payload + ",\"priority\":3}",
                JobRequests.CreateJob.class);

        assertThat(json.readTree(request.payload().text())).isEqualTo(json.readTree(payload));
        assertThat(request.priority()).isEqualTo(3);
    }

    @Test
    void whitespaceBetweenTokensIsLeftOut() {
        JobRequests.CreateJob request = json.readValue("{\"payload\": { \"a\" : [ 1 , 2 ] } }", JobRequests.CreateJob.class);

        assertThat(request.payload().text()).isEqualTo("{\"a\":[1,2]}");
    }

    @Test
    void anExplicitNullIsTheNullValueAndAnAbsentPayloadIsNone() {
        JobRequests.BulkItem explicit = json.readValue("{\"payload\":null}", JobRequests.BulkItem.class);
        JobRequests.BulkItem absent = json.readValue("{\"priority\":1}", JobRequests.BulkItem.class);

        assertThat(RawJson.text(explicit.payload())).isEqualTo("null");
        assertThat(RawJson.text(absent.payload())).isNull();
    }
}
