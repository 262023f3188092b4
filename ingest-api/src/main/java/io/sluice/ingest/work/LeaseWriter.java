package io.sluice.ingest.work;

import io.sluice.ingest.web.ApiException;
import io.sluice.store.LeaseCall;
import io.sluice.store.LeaseOutcome;
import io.sluice.store.LeaseStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Group commit of workers' calls (complete, fail, extend): calls arriving together from many
 * workers and streams share one transaction, so a completion costs a share of a commit rather
 * than a commit of its own. Each call is answered once its batch committed.
 */
@Component
public class LeaseWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseWriter.class);
    /**
     * Each writer keeps a PostgreSQL backend busy; one per two cores. On two cores one writer's
     * larger batches cost PostgreSQL about a sixth less per call than two writers' (workers bench).
     */
    private static final int WRITERS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private static final int MAX_BATCH = 1_000;
    private static final int CAPACITY = 20_000;
    private static final long ANSWER_TIMEOUT_SECONDS = 30;

    private record Pending(LeaseCall call, CompletableFuture<LeaseOutcome> outcome) {
    }

    private final LeaseStore leases;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    public LeaseWriter(LeaseStore leases) {
        this.leases = leases;
    }

    /** The call's outcome once its batch committed; fails with 503 when the writers are saturated or stopped. */
    public CompletableFuture<LeaseOutcome> submit(LeaseCall call) {
        Pending pending = new Pending(call, new CompletableFuture<>());
        if (!running || !queue.offer(pending)) {
            pending.outcome().completeExceptionally(ApiException.unavailable("too many worker calls at once; retry"));
        }
        return pending.outcome();
    }

    /** {@link #submit}, waiting for the outcome. */
    public LeaseOutcome apply(LeaseCall call) {
        try {
            return submit(call).get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw ApiException.unavailable("the call was not written in time; retry it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted; retry");
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<LeaseOutcome> outcomes = leases.apply(batch.stream().map(Pending::call).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (RuntimeException e) {
            log.warn("A batch of {} worker calls failed; each is answered with the failure", batch.size(), e);
            batch.forEach(p -> p.outcome().completeExceptionally(
                    ApiException.unavailable("the call could not be written; retry it")));
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < WRITERS; i++) {
            writers.add(Thread.ofPlatform().name("sluice-lease-writer-" + i).start(this::loop));
        }
    }

    /** Calls already queued are still written. */
    @Override
    public void stop() {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(ANSWER_TIMEOUT_SECONDS));
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
}
