package io.sluice.ingest.write;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.core.metrics.LabelBudget;
import io.sluice.ingest.IngestProperties;
import io.sluice.ingest.relay.FifoReleaser;
import io.sluice.ingest.relay.OutboxRelay;
import io.sluice.ingest.web.ApiException;
import io.sluice.store.IngestStore;
import io.sluice.store.IngestStore.MessageToPublish;
import io.sluice.store.InsertedJob;
import io.sluice.store.NewJob;
import io.sluice.store.PublishedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit: concurrent requests hand their jobs (or a message to fan out) to a few writer
 * threads, which write everything that is waiting in one transaction. A request is answered
 * only after the commit that holds its jobs, so "accepted" always means durable, yet one fsync
 * serves hundreds of jobs instead of one.
 */
@Component
public class JobWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobWriter.class);

    /** What one request asks to write, and where its answer goes. */
    private sealed interface Request {
        /** Roughly how many job rows it writes, to bound a commit. */
        int weight();

        CompletableFuture<?> result();
    }

    private record JobsRequest(List<NewJob> jobs, CompletableFuture<List<InsertedJob>> result) implements Request {
        @Override
        public int weight() {
            return jobs.size();
        }
    }

    /** A message's fan-out is known only in the transaction; a typical one is counted. */
    private record MessageRequest(MessageToPublish message, CompletableFuture<PublishedMessage> result)
            implements Request {
        static final int TYPICAL_FAN_OUT = 20;

        @Override
        public int weight() {
            return TYPICAL_FAN_OUT;
        }
    }

    private final IngestStore store;
    private final OutboxRelay relay;
    private final FifoReleaser fifo;
    private final IngestProperties properties;
    private final Counter committedJobs;
    private final Counter committedMessages;
    private final Timer commits;
    private final MeterRegistry meters;
    private final LabelBudget queueLabels;
    private final Map<String, Counter> enqueued = new ConcurrentHashMap<>();
    private final BlockingQueue<Request> waiting;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    public JobWriter(IngestStore store, OutboxRelay relay, FifoReleaser fifo, IngestProperties properties,
                     MeterRegistry meters, @Value("${sluice.metrics.queue-series:100}") int queueSeries) {
        this.meters = meters;
        this.queueLabels = new LabelBudget(queueSeries);
        this.store = store;
        this.relay = relay;
        this.fifo = fifo;
        this.properties = properties;
        // Over REST and gRPC alike; jobs include repeats answered by their idempotency key.
        this.committedJobs = meters.counter("sluice.ingest.jobs");
        this.committedMessages = meters.counter("sluice.ingest.messages");
        this.commits = meters.timer("sluice.ingest.commits");
        this.waiting = new ArrayBlockingQueue<>(properties.groupCommit().queueCapacity());
    }

    /**
     * Writes the jobs durably (one transaction for all of them, shared with other requests).
     *
     * @throws ApiException 503 when the writers are saturated or the commit does not finish in time
     */
    public List<InsertedJob> write(List<NewJob> jobs) {
        return await(writeAsync(jobs));
    }

    /**
     * Writes the message and its delivery jobs durably (one transaction, shared with other requests).
     *
     * @throws ApiException 503 when the writers are saturated or the commit does not finish in time
     */
    public PublishedMessage publish(MessageToPublish message) {
        return await(publishAsync(message));
    }

    /**
     * As {@link #write}, answered by the future once the commit is done (or failed). The caller
     * waits only while the writers are saturated, which is how a stream of requests is slowed
     * to the pace of the commits.
     */
    public CompletableFuture<List<InsertedJob>> writeAsync(List<NewJob> jobs) {
        return submit(new JobsRequest(jobs, new CompletableFuture<>()));
    }

    /** As {@link #publish}, answered by the future once the commit is done (or failed). */
    public CompletableFuture<PublishedMessage> publishAsync(MessageToPublish message) {
        return submit(new MessageRequest(message, new CompletableFuture<>()));
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(Request request) {
        if (!running) {
            return CompletableFuture.failedFuture(ApiException.unavailable("Sluice is shutting down"));
        }
        try {
            if (!waiting.offer(request, properties.groupCommit().commitTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return CompletableFuture.failedFuture(
                        ApiException.unavailable("Too many jobs waiting to be written; retry shortly"));
            }
            return (CompletableFuture<T>) request.result();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(ApiException.unavailable("Interrupted while writing"));
        }
    }

    private <T> T await(CompletableFuture<T> result) {
        try {
            return result.get(properties.groupCommit().commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted while writing");
        } catch (TimeoutException e) {
            // The commit may still happen: a client retrying with its idempotency key is safe.
            throw ApiException.unavailable("Writing the jobs took too long; retry with the same idempotency key");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void runWriter() {
        int maxJobs = properties.groupCommit().maxBatchJobs();
        List<Request> batch = new ArrayList<>();
        while (running || !waiting.isEmpty()) {
            try {
                Request first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int jobs = first.weight();
                // Take whatever else is waiting, up to about maxJobs (one request may overshoot
                // it by at most its own size, which the bulk limit bounds).
                Request next;
                while (jobs < maxJobs && (next = waiting.poll()) != null) {
                    batch.add(next);
                    jobs += next.weight();
                }
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                log.error("Job writer failed a batch", t);
                batch.forEach(r -> r.result().completeExceptionally(t));
            } finally {
                batch.clear();
            }
        }
    }

    /**
     * {@code sluice.queue.enqueued{organization, queue}}: jobs accepted by the job routes (a
     * message's deliveries are counted as the message); the first {@code sluice.metrics.queue-series}
     * queues keep their labels, later ones are counted under {@code other}.
     */
    private void countPerQueue(List<NewJob> jobs) {
        // by runs of one queue: a batch is mostly of one, and its label is looked up once
        for (int start = 0, end; start < jobs.size(); start = end) {
            NewJob job = jobs.get(start);
            end = start + 1;
            while (end < jobs.size() && jobs.get(end).queueName().equals(job.queueName())
                    && jobs.get(end).organizationId().equals(job.organizationId())) {
                end++;
            }
            String key = queueLabels.label(job.organizationId() + "/" + job.queueName());
            enqueued.computeIfAbsent(key, k -> {
                boolean other = LabelBudget.OTHER.equals(k);
                return Counter.builder("sluice.queue.enqueued")
                        .tags("organization", other ? LabelBudget.OTHER : job.organizationId().toString(),
                                "queue", other ? LabelBudget.OTHER : job.queueName())
                        .register(meters);
            }).increment(end - start);
        }
    }

    private void commit(List<Request> batch) {
        List<NewJob> jobs = new ArrayList<>();
        List<MessageToPublish> messages = new ArrayList<>();
        for (Request request : batch) {
            switch (request) {
                case JobsRequest r -> jobs.addAll(r.jobs());
                case MessageRequest r -> messages.add(r.message());
            }
        }
        try {
            IngestStore.Written written = commits.record(
                    () -> store.write(jobs, messages, properties.idempotencyTtl()));
            committedJobs.increment(jobs.size());
            countPerQueue(jobs);
            committedMessages.increment(messages.size());
            relay.wake();
            if (written.fifoLaned()) {
                fifo.wake();
            }
            int nextJob = 0;
            int nextMessage = 0;
            for (Request request : batch) {
                switch (request) {
                    case JobsRequest r -> {
                        r.result().complete(written.jobs().subList(nextJob, nextJob + r.jobs().size()));
                        nextJob += r.jobs().size();
                    }
                    case MessageRequest r -> r.result().complete(written.messages().get(nextMessage++));
                }
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().result().completeExceptionally(e);
                return;
            }
            // One bad request must not fail the others that shared its commit: retry each alone.
            log.warn("A group commit of {} requests failed ({}); committing them one by one", batch.size(), e.toString());
            for (Request request : batch) {
                commit(List.of(request));
            }
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < properties.groupCommit().writers(); i++) {
            Thread writer = Thread.ofPlatform().name("sluice-job-writer-" + i).start(this::runWriter);
            writers.add(writer);
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop after the HTTP server stopped taking requests, start before it does. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
