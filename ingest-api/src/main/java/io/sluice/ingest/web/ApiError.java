package io.sluice.ingest.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String code, String message, Map<String, Object> details) {
}
