package io.sluice.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.web.JsonBodyConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.ResolvableType;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.http.MockHttpInputMessage;
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
    void aBodyReadByTheApiGivesEachPayloadTheBytesTheClientSent() throws IOException {
        String first = "{ \"to\" : \"zoë@example.com\",\n  \"lines\": [ 1 , {\"deep\":[]} ] }";
        String second = "[ \"ü\" ,\t2 ]";
        JobRequests.CreateJobs request = (JobRequests.CreateJobs) new JsonBodyConverter(json).read(
                ResolvableType.forClass(JobRequests.CreateJobs.class),
                body("{\"queue_name\":\"q\", \"jobs\": [ {\"payload\": " + first + ", \"priority\": 2},"
                        + " {\"payload\":" + second + "}, {\"payload\": \"text\"} ] }"), null);

        assertThat(request.jobs()).extracting(item -> item.payload().text())
                .containsExactly(first, second, "\"text\"");
        assertThat(request.jobs().getFirst().priority()).isEqualTo(2);
    }

    @Test
    void aBodyThatIsNotJsonIsUnreadable() {
        assertThatThrownBy(() -> new JsonBodyConverter(json).read(ResolvableType.forClass(JobRequests.CreateJob.class),
                body("{\"payload\": {\"a\": }"), null))
                .isInstanceOf(HttpMessageNotReadableException.class);
    }

    @Test
    void aPayloadReadFromOtherTokensThanTheBodysIsCopiedNotCut() {
        byte[] body = "{\"payload\": { \"a\" : 1 } }".getBytes(StandardCharsets.UTF_8);

        // the tree's parser replays tokens: it cannot say where in the body a value lies
        JobRequests.CreateJob request = json.readerFor(JobRequests.CreateJob.class)
                .withAttribute(JsonBodyConverter.BODY, body)
                .readValue(json.readTree(body));

        assertThat(request.payload().text()).isEqualTo("{\"a\":1}");
    }

    @Test
    void readOutsideTheApiThePayloadLeavesOutTheWhitespaceBetweenTokens() {
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

    private static MockHttpInputMessage body(String json) {
        MockHttpInputMessage message = new MockHttpInputMessage(json.getBytes(StandardCharsets.UTF_8));
        message.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        return message;
    }
}
