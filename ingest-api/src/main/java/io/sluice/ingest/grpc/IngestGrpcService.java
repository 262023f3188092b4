package io.sluice.ingest.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.auth.KeyRateLimits;
import io.sluice.ingest.job.JobFactory;
import io.sluice.ingest.message.MessageFactory;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.write.JobWriter;
import io.sluice.proto.sluice.v1.EnqueueJobBatch;
import io.sluice.proto.sluice.v1.EnqueueJobBatchResult;
import io.sluice.proto.sluice.v1.EnqueueJobRequest;
import io.sluice.proto.sluice.v1.EnqueueJobResult;
import io.sluice.proto.sluice.v1.IngestServiceGrpc;
import io.sluice.proto.sluice.v1.ItemError;
import io.sluice.proto.sluice.v1.JobEnqueued;
import io.sluice.proto.sluice.v1.MessagePublished;
import io.sluice.proto.sluice.v1.PublishMessageRequest;
import io.sluice.proto.sluice.v1.PublishMessageResult;
import io.sluice.store.InsertedJob;
import io.sluice.store.NewJob;
import io.sluice.store.PublishedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.service.GrpcService;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sluice.v1.IngestService}: messages and jobs over gRPC, checked by the same factories
 * and written by the same group-commit writer as over REST, so an item accepted here is as
 * durable, idempotent and tenant-scoped as one accepted there.
 */
@GrpcService(interceptors = ApiKeyServerInterceptor.class)
public class IngestGrpcService extends IngestServiceGrpc.IngestServiceImplBase {

    private static final Logger log = LoggerFactory.getLogger(IngestGrpcService.class);

    /** Jobs per batch assumed when the stream window (counted in jobs) is turned into batches read ahead. */
    static final int JOBS_PER_BATCH_READ_AHEAD = 100;

    private final MessageFactory messages;
    private final JobFactory jobs;
    private final JobWriter writer;
    private final JsonMapper json;
    private final IngestProperties properties;
    /** A key's rate limit counts a unary call, and each message of a stream, as one REST request. */
    private final KeyRateLimits rateLimits;

    public IngestGrpcService(MessageFactory messages, JobFactory jobs, JobWriter writer, JsonMapper json,
                             IngestProperties properties, KeyRateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.messages = messages;
        this.jobs = jobs;
        this.writer = writer;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public void publishMessage(PublishMessageRequest request, StreamObserver<MessagePublished> response) {
        answer(response, () -> {
            rateLimits.admit(caller());
            return published(writer.publish(messages.create(publisher(), messageSpec(request))));
        });
    }

    @Override
    public StreamObserver<PublishMessageRequest> publishMessages(StreamObserver<PublishMessageResult> results) {
        Caller caller = caller();
        return ItemStream.open(results, properties.grpcStreamWindow(), (request, sequence) -> {
            PublishMessageResult.Builder result = PublishMessageResult.newBuilder()
                    .setRef(request.getRef()).setSequence(sequence);
            return outcome(() -> {
                        rateLimits.admit(caller);
                        return writer.publishAsync(messages.create(publisher(), messageSpec(request)));
                    },
                    message -> result.setPublished(published(message)).build(),
                    error -> result.setError(error).build());
        });
    }

    @Override
    public void enqueueJob(EnqueueJobRequest request, StreamObserver<JobEnqueued> response) {
        answer(response, () -> {
            rateLimits.admit(caller());
            return enqueued(writer.write(List.of(jobs.create(caller(), jobSpec(request)))).getFirst());
        });
    }

    @Override
    public StreamObserver<EnqueueJobRequest> enqueueJobs(StreamObserver<EnqueueJobResult> results) {
        Caller caller = caller();
        return ItemStream.open(results, properties.grpcStreamWindow(), (request, sequence) -> {
            EnqueueJobResult.Builder result = EnqueueJobResult.newBuilder()
                    .setRef(request.getRef()).setSequence(sequence);
            return outcome(() -> {
                        rateLimits.admit(caller);
                        return writer.writeAsync(List.of(jobs.create(caller, jobSpec(request))));
                    },
                    inserted -> result.setEnqueued(enqueued(inserted.getFirst())).build(),
                    error -> result.setError(error).build());
        });
    }

    /**
     * Each batch is checked job by job, its valid jobs are written in one commit, and it is
     * answered with one result per job in its order. The stream reads ahead
     * {@code sluice.ingest.grpc-stream-window} / {@value #JOBS_PER_BATCH_READ_AHEAD} batches.
     */
    @Override
    public StreamObserver<EnqueueJobBatch> enqueueJobBatches(StreamObserver<EnqueueJobBatchResult> results) {
        Caller caller = caller();
        int window = Math.max(2, properties.grpcStreamWindow() / JOBS_PER_BATCH_READ_AHEAD);
        return ItemStream.open(results, window, (batch, sequence) -> {
            EnqueueJobBatchResult.Builder answer = EnqueueJobBatchResult.newBuilder().setSequence(sequence);
            try {
                rateLimits.admit(caller); // a batch counts as one request, as a REST bulk does
            } catch (ApiException e) {
                return CompletableFuture.completedFuture(answer.setError(itemError(e)).build());
            }
            if (batch.getJobsCount() == 0 || batch.getJobsCount() > properties.maxBulkJobs()) {
                return CompletableFuture.completedFuture(answer.setError(ItemError.newBuilder()
                        .setCode("VALIDATION_ERROR")
                        .setMessage("a batch holds 1 to " + properties.maxBulkJobs() + " jobs, not "
                                + batch.getJobsCount())).build());
            }
            List<EnqueueJobResult.Builder> answers = new ArrayList<>(batch.getJobsCount());
            List<NewJob> valid = new ArrayList<>(batch.getJobsCount());
            List<EnqueueJobResult.Builder> validAnswers = new ArrayList<>(batch.getJobsCount());
            for (int i = 0; i < batch.getJobsCount(); i++) {
                EnqueueJobRequest request = batch.getJobs(i);
                EnqueueJobResult.Builder result = EnqueueJobResult.newBuilder().setRef(request.getRef()).setSequence(i);
                answers.add(result);
                try {
                    valid.add(jobs.create(caller, jobSpec(request)));
                    validAnswers.add(result);
                } catch (ApiException e) {
                    result.setError(itemError(e));
                }
            }
            return outcome(() -> valid.isEmpty() ? CompletableFuture.completedFuture(List.<InsertedJob>of())
                            : writer.writeAsync(valid),
                    inserted -> {
                        for (int k = 0; k < inserted.size(); k++) {
                            validAnswers.get(k).setEnqueued(enqueued(inserted.get(k)));
                        }
                        return batchAnswer(answer, answers);
                    },
                    error -> {
                        validAnswers.forEach(result -> result.setError(error));
                        return batchAnswer(answer, answers);
                    });
        });
    }

    private static EnqueueJobBatchResult batchAnswer(EnqueueJobBatchResult.Builder answer,
                                                     List<EnqueueJobResult.Builder> results) {
        results.forEach(answer::addResults);
        return answer.build();
    }

    private static Caller caller() {
        return ApiKeyServerInterceptor.CALLER.get();
    }

    /** Messages fan out to any queue: a key limited to some queues may not publish them. */
    private static UUID publisher() {
        Caller caller = caller();
        if (!caller.reachesAllQueues()) {
            throw ApiException.accessDenied("this API key is limited to queues " + caller.queues()
                    + "; publishing messages needs a key for all queues");
        }
        return caller.organizationId();
    }

    private MessageFactory.Spec messageSpec(PublishMessageRequest request) {
        return new MessageFactory.Spec(request.getEventType(), payload(request.getPayloadJson()),
                emptyToNull(request.getIdempotencyKey()),
                request.getChannelsCount() == 0 ? null : request.getChannelsList());
    }

    private JobFactory.Spec jobSpec(EnqueueJobRequest request) {
        JsonNode tags = request.getTagsCount() == 0 ? null : json.valueToTree(request.getTagsMap());
        return new JobFactory.Spec(request.getQueueName(), checkedJson(request.getPayloadJson()), request.getPriority(),
                request.hasMaxRetries() ? request.getMaxRetries() : null,
                request.hasTimeoutSeconds() ? request.getTimeoutSeconds() : null, null,
                request.hasExpiresAt() ? instant(request.getExpiresAt()) : null, tags,
                emptyToNull(request.getIdempotencyKey()), emptyToNull(request.getEndpointId()));
    }

    private JsonNode payload(String text) {
        try {
            return json.readTree(checkedJson(text));
        } catch (JacksonException e) {
            throw invalidJson(e);
        }
    }

    /**
     * The text itself once a streaming read of it has found exactly one JSON value in it: a
     * job's payload is kept verbatim, so it need not be built into a tree and written out again.
     * Read as the text protobuf decoded (a string field): going back to its bytes, and from them
     * to text again, was a tenth of an ingest stream's time.
     */
    private String checkedJson(String text) {
        if (text.isEmpty()) {
            throw ApiException.validation("payload_json is required", Map.of("field", "payload_json"));
        }
        try (JsonParser parser = json.createParser(text)) {
            if (parser.nextToken() == null) {
                throw ApiException.validation("payload_json is required", Map.of("field", "payload_json"));
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw ApiException.validation("payload_json holds more than one JSON value",
                        Map.of("field", "payload_json"));
            }
            return text;
        } catch (JacksonException e) {
            throw invalidJson(e);
        }
    }

    private static ApiException invalidJson(JacksonException e) {
        return ApiException.validation("payload_json is not valid JSON: " + e.getOriginalMessage(),
                Map.of("field", "payload_json"));
    }

    private static Instant instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static String emptyToNull(String text) {
        return text.isEmpty() ? null : text;
    }

    private static MessagePublished published(PublishedMessage message) {
        return MessagePublished.newBuilder().setMessageId(message.messageId().toString())
                .addAllJobIds(message.jobIds().stream().map(UUID::toString).toList())
                .setCreated(message.created()).build();
    }

    private static JobEnqueued enqueued(InsertedJob job) {
        return JobEnqueued.newBuilder().setJobId(job.id().toString()).setCreated(job.created()).build();
    }

    /** A unary call: its answer, or its error as the call's status. */
    private static <R> void answer(StreamObserver<R> response, Supplier<R> work) {
        try {
            response.onNext(work.get());
            response.onCompleted();
        } catch (ApiException e) {
            response.onError(GrpcStatuses.of(e).asRuntimeException());
        } catch (RuntimeException e) {
            log.error("A gRPC ingest call failed", e);
            response.onError(Status.INTERNAL.withDescription("could not write; retry with the same idempotency key")
                    .asRuntimeException());
        }
    }

    /** One stream item: checked and handed to the writer; its result once written, or its error. */
    private static <T, R> CompletableFuture<R> outcome(Supplier<CompletableFuture<T>> work,
                                                       Function<T, R> success,
                                                       Function<ItemError, R> failure) {
        CompletableFuture<T> written;
        try {
            written = work.get();
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        return written.handle((value, error) -> error == null ? success.apply(value) : failure.apply(itemError(error)));
    }

    private static ItemError itemError(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ApiException api) {
            return ItemError.newBuilder().setCode(api.code()).setMessage(api.getMessage()).build();
        }
        log.error("A gRPC ingest item failed", cause);
        return ItemError.newBuilder().setCode("INTERNAL_ERROR")
                .setMessage("could not write; retry with the same idempotency key").build();
    }
}
