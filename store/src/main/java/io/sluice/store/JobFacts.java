package io.sluice.store;

import io.sluice.core.system.SystemEvent;
import io.sluice.core.system.SystemEventType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** What a job's system events say of it, as its row is once the change is written. */
record JobFacts(UUID id, UUID organizationId, String queueName, UUID endpointId, UUID messageId, String state,
                int attempts, Integer statusCode, String error) {

    /** @param state as the job was written: {@code pending}, or {@code scheduled} (for its time or its dependencies) */
    static JobFacts created(NewJob job, String state) {
        return new JobFacts(job.id(), job.organizationId(), job.queueName(), job.endpointId(), job.messageId(),
                state, 0, null, null);
    }

    /** The same job, moved to {@code newState}. */
    JobFacts inState(String newState) {
        return new JobFacts(id, organizationId, queueName, endpointId, messageId, newState, attempts, statusCode, error);
    }

    /** @param extra fields after the job's own, e.g. {@code will_retry} */
    SystemEvent event(SystemEventType type, Instant at, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", id.toString());
        data.put("queue_name", queueName);
        data.put("endpoint_id", endpointId == null ? null : endpointId.toString());
        data.put("message_id", messageId == null ? null : messageId.toString());
        data.put("state", state);
        data.put("attempts", attempts);
        data.put("status_code", statusCode);
        data.put("error", error);
        data.putAll(extra);
        return new SystemEvent(type, organizationId, endpointId, at, data);
    }
}
