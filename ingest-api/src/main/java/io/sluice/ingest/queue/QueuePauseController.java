package io.sluice.ingest.queue;

import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.relay.DirectoryPublisher;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.QueueNames;
import io.sluice.store.QueuePauseStore;
import java.time.Instant;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/queues/{name}/pause|resume}. A paused queue hands no job to a worker and
 * delivers none: jobs still in the outbox, and deliveries already in Kafka (delivery workers
 * learn of the pause from {@code sluice.queues}), are parked in PostgreSQL; resuming sends
 * them on, oldest first, each at the attempt it had reached.
 */
@RestController
public class QueuePauseController {

    private static final int MAX_REASON_LENGTH = 1024;

    public record PauseQueue(String reason) {
    }

    public record QueuePaused(String queueName, boolean paused, Instant pausedAt, String reason) {
    }

    public record QueueResumed(String queueName, boolean resumed, long pausedDurationSecs) {
    }

    private final QueuePauseStore pauses;
    private final OutboxRelay relay;
    private final DirectoryPublisher statePublisher;

    public QueuePauseController(QueuePauseStore pauses, OutboxRelay relay, DirectoryPublisher statePublisher) {
        this.pauses = pauses;
        this.relay = relay;
        this.statePublisher = statePublisher;
    }

    /** Pausing a paused queue keeps the time it was paused and takes the new reason. */
    @PostMapping("/api/v1/queues/{name}/pause")
    public QueuePaused pause(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                             @PathVariable String name, @RequestBody(required = false) PauseQueue request) {
        caller.requireQueue(QueueNames.checked(name));
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? null : request.reason().strip();
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
            throw ApiException.validation("reason must be at most " + MAX_REASON_LENGTH + " characters",
                    Map.of("field", "reason"));
        }
        QueuePauseStore.Paused paused = pauses.pause(caller.organizationId(), name, reason)
                .orElseThrow(() -> ApiException.notFound("Queue not found"));
        statePublisher.wake();
        return new QueuePaused(name, true, paused.pausedAt(), paused.reason());
    }

    /** Resuming a queue that is not paused changes nothing and says so with a zero duration. */
    @PostMapping("/api/v1/queues/{name}/resume")
    public QueueResumed resume(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                               @PathVariable String name) {
        caller.requireQueue(QueueNames.checked(name));
        QueuePauseStore.Resumed resumed = pauses.resume(caller.organizationId(), name)
                .orElseThrow(() -> ApiException.notFound("Queue not found"));
        statePublisher.wake();
        if (resumed.released() > 0) {
            relay.wake();
        }
        return new QueueResumed(name, true, resumed.pausedFor().toSeconds());
    }
}
