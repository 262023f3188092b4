package io.sluice.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.sluice.v1.EnqueueJobBatch;
import io.sluice.proto.sluice.v1.EnqueueJobBatchResult;
import io.sluice.proto.sluice.v1.EnqueueJobRequest;
import io.sluice.proto.sluice.v1.EnqueueJobResult;
import io.sluice.proto.sluice.v1.IngestServiceGrpc;
import io.sluice.proto.sluice.v1.MessagePublished;
import io.sluice.proto.sluice.v1.PublishMessageRequest;
import io.sluice.proto.sluice.v1.PublishMessageResult;
import io.sluice.testkit.TestReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;

/** {@code sluice.v1.IngestService}: streams answered item by item, with the REST API's rules. */
class GrpcIngestIT extends SluiceIntegrationTest {

    @Autowired
    GrpcServerLifecycle grpcServer;

    private final TestReceiver receiver = TestReceiver.start();
    private ManagedChannel channel;

    @BeforeEach
    void openChannel() {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        receiver.close();
    }

    @Test
    void aStreamOfTenThousandMessagesAcceptsTheValidOnesAndRefusesEachInvalidOneWithItsReason() throws Exception {
        // given: an endpoint for every event, and 10,000 messages of which four are invalid
        SluiceClient.Tenant tenant = client.newOrganization(unique("grpc-stream"));
        client.newEndpoint(tenant, receiver.url("/stream"));
        Map<Integer, String> invalid = Map.of(
                1_000, "not json",
                2_000, "",
                3_000, "bad event type",
                4_000, "long key");

        // when
        List<PublishMessageResult> results = stream(tenant, 10_000, i -> {
            PublishMessageRequest.Builder request = PublishMessageRequest.newBuilder().setRef("r" + i)
                    .setEventType("order.placed").setPayloadJson("{\"order\":" + i + "}");
            switch (invalid.getOrDefault(i, "")) {
                case "not json" -> request.setPayloadJson("{\"order\":");
                case "bad event type" -> request.setEventType("has spaces");
                case "long key" -> request.setIdempotencyKey("k".repeat(300));
                default -> {
                    if (invalid.containsKey(i)) {
                        request.setPayloadJson("");
                    }
                }
            }
            return request.build();
        });

        // then: one result per item, the invalid ones refused with their reasons
        assertThat(results).hasSize(10_000);
        Map<Long, PublishMessageResult> bySequence = results.stream()
                .collect(Collectors.toMap(PublishMessageResult::getSequence, r -> r));
        assertThat(bySequence).hasSize(10_000);
        List<PublishMessageResult> refused = results.stream().filter(PublishMessageResult::hasError).toList();
        assertThat(refused).extracting(PublishMessageResult::getRef)
                .containsExactlyInAnyOrder("r1000", "r2000", "r3000", "r4000");
        assertThat(refused).allSatisfy(r -> assertThat(r.getError().getCode()).isEqualTo("VALIDATION_ERROR"));
        assertThat(bySequence.get(1_000L).getError().getMessage()).contains("payload_json is not valid JSON");
        assertThat(bySequence.get(2_000L).getError().getMessage()).contains("payload_json is required");
        assertThat(bySequence.get(3_000L).getError().getMessage()).contains("event_type");
        assertThat(bySequence.get(4_000L).getError().getMessage()).contains("idempotency_key");
        assertThat(bySequence.get(7L).getRef()).isEqualTo("r7");

        // and every accepted message is delivered, once
        List<String> jobIds = results.stream().filter(PublishMessageResult::hasPublished)
                .flatMap(r -> r.getPublished().getJobIdsList().stream()).toList();
        assertThat(jobIds).hasSize(9_996).doesNotHaveDuplicates();
        await().atMost(Duration.ofMinutes(3)).until(() -> receiver.distinctCount() >= 9_996);
        assertThat(receiver.distinctCount()).isEqualTo(9_996);
        assertThat(receiver.deliveries().stream().map(TestReceiver.Delivery::webhookId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(jobIds);
    }

    @Test
    void aStreamOfJobsIsAnsweredItemByItemAndKeepsIdempotencyKeys() throws Exception {
        SluiceClient.Tenant tenant = client.newOrganization(unique("grpc-jobs"));
        IngestServiceGrpc.IngestServiceStub stub = IngestServiceGrpc.newStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(bearer(tenant.apiKey())));
        Function<Integer, EnqueueJobRequest> job = i -> EnqueueJobRequest.newBuilder().setRef("j" + i)
                .setQueueName(i == 50 ? "" : "grpc-jobs").setPayloadJson("{\"n\":" + i + "}")
                .setIdempotencyKey("job-" + (i % 100)).putTags("batch", "one").build();

        List<EnqueueJobResult> first = collect(stub::enqueueJobs, 100, job);
        List<EnqueueJobResult> again = collect(stub::enqueueJobs, 100, job);

        assertThat(first).hasSize(100);
        assertThat(first).filteredOn(EnqueueJobResult::hasError).extracting(EnqueueJobResult::getRef).containsExactly("j50");
        assertThat(first).filteredOn(EnqueueJobResult::hasEnqueued).allMatch(r -> r.getEnqueued().getCreated());
        assertThat(again).filteredOn(EnqueueJobResult::hasEnqueued).noneMatch(r -> r.getEnqueued().getCreated());
        Map<String, String> firstIds = first.stream().filter(EnqueueJobResult::hasEnqueued)
                .collect(Collectors.toMap(EnqueueJobResult::getRef, r -> r.getEnqueued().getJobId()));
        Map<String, String> againIds = again.stream().filter(EnqueueJobResult::hasEnqueued)
                .collect(Collectors.toMap(EnqueueJobResult::getRef, r -> r.getEnqueued().getJobId()));
        assertThat(againIds).isEqualTo(firstIds);
        JsonNode stored = client.get(tenant.apiKey(), "/api/v1/jobs/" + firstIds.get("j7")).body();
        assertThat(stored.get("queue_name").asString()).isEqualTo("grpc-jobs");
        assertThat(stored.get("payload").get("n").asInt()).isEqualTo(7);
        assertThat(stored.get("tags").get("batch").asString()).isEqualTo("one");
    }

    @Test
    void aStreamOfBatchesIsAnsweredJobByJobInEachBatchsOrder() throws Exception {
        // given: 20 batches of 50 jobs, one of them invalid, and one empty batch
        SluiceClient.Tenant tenant = client.newOrganization(unique("grpc-batches"));
        IngestServiceGrpc.IngestServiceStub stub = IngestServiceGrpc.newStub(channel).withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(apiKey(tenant.apiKey())));
        Function<Integer, EnqueueJobBatch> batch = b -> {
            EnqueueJobBatch.Builder jobs = EnqueueJobBatch.newBuilder();
            for (int i = 0; b < 20 && i < 50; i++) {
                int n = b * 50 + i;
                jobs.addJobs(EnqueueJobRequest.newBuilder().setRef("j" + n).setQueueName("grpc-batches")
                        .setPayloadJson(n == 123 ? "{broken" : "{\"n\":" + n + "}"));
            }
            return jobs.build();
        };

        // when
        List<EnqueueJobBatchResult> results = collect(stub::enqueueJobBatches, 21, batch);

        // then
        assertThat(results).hasSize(21);
        EnqueueJobBatchResult empty = results.stream().filter(r -> r.getSequence() == 20).findFirst().orElseThrow();
        assertThat(empty.getError().getCode()).isEqualTo("VALIDATION_ERROR");
        List<EnqueueJobResult> jobs = results.stream().filter(r -> r.getSequence() < 20)
                .sorted(java.util.Comparator.comparingLong(EnqueueJobBatchResult::getSequence))
                .flatMap(r -> r.getResultsList().stream()).toList();
        assertThat(jobs).extracting(EnqueueJobResult::getRef)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).mapToObj(n -> "j" + n).toList());
        assertThat(jobs).filteredOn(EnqueueJobResult::hasError).extracting(EnqueueJobResult::getRef)
                .containsExactly("j123");
        assertThat(jobs.get(123).getError().getMessage()).contains("payload_json");
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats?queue_name=grpc-batches").body()
                .get("total").asLong()).isEqualTo(999);
        String seventh = jobs.get(7).getEnqueued().getJobId();
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/" + seventh).body().get("payload").get("n").asInt())
                .isEqualTo(7);
    }

    @Test
    void unaryCallsAnswerWithTheResultOrAStatusNamingTheProblem() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("grpc-unary"));
        IngestServiceGrpc.IngestServiceBlockingStub stub = IngestServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey(tenant.apiKey())))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        PublishMessageRequest request = PublishMessageRequest.newBuilder().setEventType("user.created")
                .setPayloadJson("{\"id\":1}").setIdempotencyKey("user-1").build();

        MessagePublished first = stub.publishMessage(request);
        MessagePublished second = stub.publishMessage(request);

        assertThat(first.getCreated()).isTrue();
        assertThat(second.getCreated()).isFalse();
        assertThat(second.getMessageId()).isEqualTo(first.getMessageId());
        assertThatThrownBy(() -> stub.publishMessage(request.toBuilder().setPayloadJson("[").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("payload_json is not valid JSON");
                });
        assertThatThrownBy(() -> stub.enqueueJob(EnqueueJobRequest.newBuilder().setQueueName("q")
                .setPayloadJson("{}").setEndpointId("00000000-0000-0000-0000-000000000000").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void aCallWithoutAValidKeyIsRefusedBeforeAnythingIsRead() throws Exception {
        IngestServiceGrpc.IngestServiceStub anonymous = IngestServiceGrpc.newStub(channel);
        IngestServiceGrpc.IngestServiceStub wrongKey = anonymous.withInterceptors(
                MetadataUtils.newAttachHeadersInterceptor(apiKey("sk_live_not_a_real_key")));

        for (IngestServiceGrpc.IngestServiceStub stub : List.of(anonymous, wrongKey)) {
            CompletableFuture<Throwable> ended = new CompletableFuture<>();
            StreamObserver<PublishMessageRequest> requests = stub.publishMessages(new StreamObserver<>() {
                @Override
                public void onNext(PublishMessageResult value) {
                    ended.complete(new AssertionError("answered without a key: " + value));
                }

                @Override
                public void onError(Throwable t) {
                    ended.complete(t);
                }

                @Override
                public void onCompleted() {
                    ended.complete(new AssertionError("completed without a key"));
                }
            });
            requests.onNext(PublishMessageRequest.newBuilder().setEventType("x").setPayloadJson("{}").build());
            requests.onCompleted();
            assertThat(ended.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(e.getStatus().getDescription()).contains("Invalid");
            });
        }
    }

    @Test
    void aQueueScopedKeyEnqueuesOnlyToItsQueuesAndPublishesNoMessages() {
        SluiceClient.Tenant tenant = client.newOrganization(unique("grpc-scoped"));
        String scoped = client.post(tenant.apiKey(), "/api/v1/api-keys", "{\"name\":\"w\",\"queues\":[\"mine\"]}")
                .body().get("key").asString();
        IngestServiceGrpc.IngestServiceBlockingStub stub = IngestServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey(scoped)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);

        assertThat(stub.enqueueJob(EnqueueJobRequest.newBuilder().setQueueName("mine").setPayloadJson("{}").build())
                .getCreated()).isTrue();
        assertThatThrownBy(() -> stub.enqueueJob(EnqueueJobRequest.newBuilder().setQueueName("theirs")
                .setPayloadJson("{}").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> stub.publishMessage(PublishMessageRequest.newBuilder().setEventType("a.b")
                .setPayloadJson("{}").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void aRateLimitedKeyGetsItsLimitPerMinuteOverGrpcAndEachItemBeyondIsRefusedAndNotWritten() throws Exception {
        // given: a key allowed 5 requests a minute, which REST counts too
        SluiceClient.Tenant tenant = client.newOrganization(unique("grpc-limited"));
        String limited = client.post(tenant.apiKey(), "/api/v1/api-keys", "{\"name\":\"slow\",\"rate_limit\":5}")
                .body().get("key").asString();
        assertThat(client.get(limited, "/api/v1/jobs/stats").status()).isEqualTo(200);
        IngestServiceGrpc.IngestServiceBlockingStub unary = IngestServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey(limited)))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
        assertThat(unary.enqueueJob(EnqueueJobRequest.newBuilder().setQueueName("slow").setPayloadJson("{}").build())
                .getCreated()).isTrue();

        // when: a stream of 6 jobs
        IngestServiceGrpc.IngestServiceStub streaming = IngestServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey(limited)));
        List<EnqueueJobResult> results = collect(streaming::enqueueJobs, 6, i -> EnqueueJobRequest.newBuilder()
                .setRef("s" + i).setQueueName("slow").setPayloadJson("{}").build());

        // then: 3 more requests were left in the minute; the other 3 jobs are refused each, and
        // a unary call now ends with RESOURCE_EXHAUSTED
        assertThat(results).filteredOn(EnqueueJobResult::hasEnqueued).hasSize(3);
        assertThat(results).filteredOn(EnqueueJobResult::hasError).hasSize(3).allSatisfy(result -> {
            assertThat(result.getError().getCode()).isEqualTo("RATE_LIMIT_EXCEEDED");
            assertThat(result.getError().getMessage()).contains("5 requests a minute");
        });
        assertThatThrownBy(() -> unary.enqueueJob(EnqueueJobRequest.newBuilder().setQueueName("slow")
                .setPayloadJson("{}").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(client.get(tenant.apiKey(), "/api/v1/jobs/stats").body().get("total").asLong()).isEqualTo(4);
    }

    private List<PublishMessageResult> stream(SluiceClient.Tenant tenant, int count,
                                              Function<Integer, PublishMessageRequest> request) throws Exception {
        IngestServiceGrpc.IngestServiceStub stub = IngestServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey(tenant.apiKey())));
        return collect(stub::publishMessages, count, request);
    }

    /** Sends {@code count} items on one stream and returns every result once the server ends it. */
    private static <Q, R> List<R> collect(Function<StreamObserver<R>, StreamObserver<Q>> call, int count,
                                          Function<Integer, Q> item) throws Exception {
        ConcurrentLinkedQueue<R> results = new ConcurrentLinkedQueue<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        StreamObserver<Q> requests = call.apply(new StreamObserver<>() {
            @Override
            public void onNext(R value) {
                results.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(null);
            }
        });
        for (int i = 0; i < count; i++) {
            requests.onNext(item.apply(i));
        }
        requests.onCompleted();
        done.get(2, TimeUnit.MINUTES);
        return List.copyOf(results);
    }

    private static Metadata apiKey(String key) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        return metadata;
    }

    private static Metadata bearer(String key) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
        return metadata;
    }
}
