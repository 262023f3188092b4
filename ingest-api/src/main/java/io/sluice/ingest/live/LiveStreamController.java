package io.sluice.ingest.live;

import io.sluice.core.job.JobState;
import io.sluice.ingest.auth.AuthenticationFilter;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.job.VisibleJobs;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.JobRecord;
import io.sluice.topology.live.LiveFeed;
import io.sluice.topology.live.LiveFilter;
import io.sluice.topology.live.LiveMessage;
import io.sluice.topology.live.LiveMessages;
import io.sluice.topology.live.RealtimeProperties;
import io.sluice.topology.live.Subscription;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The realtime routes over Server-Sent Events: every job change of the caller's organization
 * (filtered by queue, job and message type), one job's life (closed when it ends), one queue's
 * changes and counts. Pushed from {@link LiveFeed} as they reach Kafka; any node serves any
 * stream, and {@code Last-Event-ID} resumes one on any node.
 */
@RestController
@Tag(name = "Realtime")
public class LiveStreamController {

    private final ObjectProvider<LiveFeed> feed;
    private final ObjectProvider<RealtimeProperties> properties;
    private final VisibleJobs jobs;

    public LiveStreamController(ObjectProvider<LiveFeed> feed, ObjectProvider<RealtimeProperties> properties,
                                VisibleJobs jobs) {
        this.feed = feed;
        this.properties = properties;
        this.jobs = jobs;
    }

    @Operation(summary = "Job events of the organization (SSE); filters: queue, job_id, events (message types, comma-separated)")
    @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller,
                             @RequestParam(name = "queue", required = false) String queue,
                             @RequestParam(name = "job_id", required = false) String jobId,
                             @RequestParam(name = "events", required = false) String events,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                             @RequestParam(name = "last_event_id", required = false) String resumeAfter) {
        if (queue != null && !caller.reaches(queue)) {
            throw ApiException.accessDenied("This API key is limited to queues " + caller.queues());
        }
        UUID job = jobId == null ? null : parseJobId(jobId);
        return open(new LiveFilter(caller.organizationId(), scope(caller), blankToNull(queue), job, types(events),
                false), resumeFrom(lastEventId, resumeAfter), null);
    }

    @Operation(summary = "One job's events (SSE), from its current status; closed when the job ends")
    @GetMapping(path = "/api/v1/events/jobs/{id}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter job(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String id,
                          @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                          @RequestParam(name = "last_event_id", required = false) String resumeAfter) {
        JobRecord job = jobs.get(caller, id);
        String resume = resumeFrom(lastEventId, resumeAfter);
        // Its creation is older than the stream, whose first message says where the job stands.
        Set<String> types = Set.of(LiveMessage.JOB_STATUS_CHANGE, LiveMessage.JOB_COMPLETED, LiveMessage.JOB_FAILED);
        return open(new LiveFilter(caller.organizationId(), scope(caller), null, job.id(), types, true),
                resume, resume == null ? () -> snapshot(caller, id) : null);
    }

    @Operation(summary = "One queue's job events and its counts (QueueStats, at most every 500 ms while they change) (SSE)")
    @GetMapping(path = "/api/v1/events/queues/{name}", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter queue(@RequestAttribute(AuthenticationFilter.CALLER) Caller caller, @PathVariable String name,
                            @RequestParam(name = "events", required = false) String events,
                            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                            @RequestParam(name = "last_event_id", required = false) String resumeAfter) {
        if (!caller.reaches(name)) {
            throw ApiException.accessDenied("This API key is limited to queues " + caller.queues());
        }
        return open(new LiveFilter(caller.organizationId(), scope(caller), name, null, types(events), false),
                resumeFrom(lastEventId, resumeAfter), null);
    }

    /**
     * Opens the stream; {@code first} (when given) is read after the subscription is in place, so
     * a change made in between is sent either way, never lost.
     */
    private SseEmitter open(LiveFilter filter, String lastEventId, Supplier<Snapshot> first) {
        LiveFeed live = feed.getIfAvailable();
        RealtimeProperties settings = properties.getIfAvailable();
        if (live == null || settings == null) {
            throw ApiException.unavailable("Realtime streams are turned off on this node (sluice.realtime.enabled)");
        }
        SseEmitter emitter = new SseEmitter(settings.streamTimeout().toMillis());
        AtomicReference<Subscription> opened = new AtomicReference<>();
        Runnable close = () -> {
            Subscription subscription = opened.get();
            if (subscription != null) {
                subscription.close();
            }
        };
        emitter.onCompletion(close);
        emitter.onTimeout(close);
        emitter.onError(failure -> close.run());
        Subscription subscription;
        try {
            subscription = live.subscribe(filter, lastEventId, new SseSink(emitter));
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("Realtime streams are starting; retry in a few seconds");
        }
        opened.set(subscription);
        if (first != null) {
            Snapshot snapshot = first.get();
            subscription.sendNow(snapshot.message(), snapshot.ended());
        }
        return emitter;
    }

    /** A job's status as it stands: the first message of its stream. */
    private record Snapshot(LiveMessage message, boolean ended) {
    }

    private Snapshot snapshot(Caller caller, String id) {
        JobRecord job = jobs.get(caller, id);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("job_id", job.id().toString());
        data.put("queue_name", job.queueName());
        data.put("old_status", null);
        data.put("new_status", job.state());
        return new Snapshot(new LiveMessage(LiveMessage.JOB_STATUS_CHANGE, data),
                LiveMessages.ends(JobState.fromWireName(job.state())));
    }

    /**
     * Where to resume: the {@code Last-Event-ID} a browser's EventSource sends when it reconnects
     * by itself, else {@code ?last_event_id=} (a new EventSource cannot set headers).
     */
    private static String resumeFrom(String header, String parameter) {
        return blankToNull(header) != null ? header : blankToNull(parameter);
    }

    private static Set<String> scope(Caller caller) {
        return caller.reachesAllQueues() ? null : Set.copyOf(caller.queues());
    }

    private static Set<String> types(String events) {
        return events == null ? Set.of()
                : Arrays.stream(events.split(",")).map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
    }

    private static UUID parseJobId(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("job_id is not a job id: " + jobId, Map.of("field", "job_id"));
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
