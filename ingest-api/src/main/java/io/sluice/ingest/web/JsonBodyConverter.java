package io.sluice.ingest.web;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConversionException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidDefinitionException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server's JSON converter ({@link JsonBodyConfiguration}). A UTF-8 request body is read
 * whole into one array and parsed from there, with the array at hand to its deserializers
 * ({@link #BODY}): a job's payload (RawJson) is then cut out of the body as it came, where
 * copying it token by token took a third of a bulk request's time. A body in another charset,
 * and every response, is handled as by Spring's converter.
 */
public class JsonBodyConverter extends JacksonJsonHttpMessageConverter {

    /** The deserialization attribute holding the body's bytes, for values that keep their text. */
    public static final String BODY = JsonBodyConverter.class.getName() + ".body";

    public JsonBodyConverter(JsonMapper mapper) {
        super(mapper);
    }

    @Override
    public Object read(ResolvableType type, HttpInputMessage input, Map<String, Object> hints)
            throws IOException {
        MediaType contentType = input.getHeaders().getContentType();
        Charset charset = contentType == null ? null : contentType.getCharset();
        if (charset != null && !StandardCharsets.UTF_8.equals(charset)) {
            return super.read(type, input, hints);
        }
        byte[] body = input.getBody().readAllBytes();
        try {
            return getMapper().readerFor(getMapper().constructType(type.getType()))
                    .withAttribute(BODY, body)
                    .readValue(body);
        } catch (InvalidDefinitionException e) {
            throw new HttpMessageConversionException("Type definition error: " + e.getType(), e);
        } catch (JacksonException e) {
            throw new HttpMessageNotReadableException("JSON parse error: " + e.getOriginalMessage(), e, input);
        }
    }
}
