package io.sluice.topology.live;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * One message of the realtime API, {@code {"type": ..., "data": {...}}} (the Spooled wire
 * shape: the type travels in the JSON, never as an SSE {@code event:} line). Its JSON is written
 * once, however many streams send it.
 */
public final class LiveMessage {

    public static final String JOB_CREATED = "JobCreated";
    public static final String JOB_STATUS_CHANGE = "JobStatusChange";
    public static final String JOB_COMPLETED = "JobCompleted";
    public static final String JOB_FAILED = "JobFailed";
    public static final String QUEUE_STATS = "QueueStats";
    public static final String WORKER_REGISTERED = "WorkerRegistered";
    public static final String WORKER_HEARTBEAT = "WorkerHeartbeat";
    public static final String WORKER_DEREGISTERED = "WorkerDeregistered";
    public static final String SYSTEM_HEALTH = "SystemHealth";
    public static final String PING = "Ping";
    public static final String ERROR = "Error";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String type;
    private final Map<String, Object> data;
    private volatile String json;

    public LiveMessage(String type, Map<String, Object> data) {
        this.type = type;
        this.data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static LiveMessage error(String code, String message) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("code", code);
        data.put("message", message);
        return new LiveMessage(ERROR, data);
    }

    public String type() {
        return type;
    }

    public Map<String, Object> data() {
        return data;
    }

    /** Written on first use; two threads racing write the same text. */
    public String json() {
        String text = json;
        if (text == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", type);
            body.put("data", data);
            text = JSON.writeValueAsString(body);
            json = text;
        }
        return text;
    }

    @Override
    public String toString() {
        return json();
    }
}
