package io.sluice.ingest.live;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command a WebSocket client sends, in either of the two forms clients use: the contract's
 * {@code {"cmd": "Subscribe"|"Unsubscribe"|"Ping", "queue"?, "job_id"?}}, which is not answered,
 * or the form Spooled's SDKs send, {@code {"type": "subscribe"|"unsubscribe", "filter":
 * {"queueName"?, "jobId"?}, "requestId"}}, which waits for {@code {"type": "subscribed"|
 * "unsubscribed"|"error", "request_id", "error"?}} and gives up on the command without it.
 *
 * @param name      {@code Subscribe}, {@code Unsubscribe}, {@code Ping}, or what was sent instead
 * @param requestId the SDK form's id, to answer; null for the contract's form
 */
record SocketCommand(String name, String queue, String jobId, String requestId) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static SocketCommand of(JsonNode json) {
        if (json.has("cmd") || !json.has("type")) {
            return new SocketCommand(text(json, "cmd"), text(json, "queue"), text(json, "job_id"), null);
        }
        JsonNode filter = json.path("filter");
        String type = text(json, "type");
        String name = switch (type == null ? "" : type) {
            case "subscribe" -> "Subscribe";
            case "unsubscribe" -> "Unsubscribe";
            case "ping" -> "Ping";
            default -> type;
        };
        return new SocketCommand(name, either(filter, "queueName", "queue_name"), either(filter, "jobId", "job_id"),
                either(json, "requestId", "request_id"));
    }

    /** The answer that the command was carried out; null when none is awaited. */
    String done() {
        if (requestId == null || name.equals("Ping")) {
            return null;
        }
        return answer(name.equals("Subscribe") ? "subscribed" : "unsubscribed", null);
    }

    /** The answer that the command was refused; null for the contract's form, which gets an {@code Error} message. */
    String refused(String message) {
        return requestId == null ? null : answer("error", message);
    }

    private String answer(String type, String error) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("type", type);
        answer.put("request_id", requestId);
        if (error != null) {
            answer.put("error", error);
        }
        return JSON.writeValueAsString(answer);
    }

    private static String either(JsonNode json, String field, String other) {
        String value = text(json, field);
        return value != null ? value : text(json, other);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || value.asString().isBlank() ? null : value.asString();
    }
}
