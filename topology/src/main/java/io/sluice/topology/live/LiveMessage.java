package io.sluice.topology.live;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * One message of the realtime API, {@code {"type": ..., "data": {...}}} (the Spooled wire
 * shape: the type travels in the JSON, never as an SSE {@code event:} line).
 */
public record LiveMessage(String type, Map<String, Object> data) {

    public static final String JOB_CREATED = "JobCreated";
    public static final String JOB_STATUS_CHANGE = "JobStatusChange";
    public static final String JOB_COMPLETED = "JobCompleted";
    public static final String JOB_FAILED = "JobFailed";
    public static final String QUEUE_STATS = "QueueStats";
    public static final String PING = "Ping";
    public static final String ERROR = "Error";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static LiveMessage error(String code, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", code);
        data.put("message", message);
        return new LiveMessage(ERROR, data);
    }

    public String json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("data", data);
        return JSON.writeValueAsString(body);
    }
}
