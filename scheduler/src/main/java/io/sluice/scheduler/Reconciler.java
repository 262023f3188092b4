package io.sluice.scheduler;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.store.ReconcilerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Repairs jobs whose record was lost between two stages (a Kafka record gone before it was
 * consumed, an event that never reached the projector): a job that sits pending well past the
 * time it should have moved is sent on again through the outbox, so a lost message delays a job
 * but never loses it. A job whose worker's lease ran out long ago and that nothing took back is
 * named to the lease reaper again. Every repair is logged and counted ({@code sluice.reconciler.repairs}).
 */
@Component
public class Reconciler extends PeriodicTask {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final ReconcilerStore store;
    private final ReconcilerProperties properties;
    private final Counter repairs;

    public Reconciler(ReconcilerStore store, ReconcilerProperties properties, MeterRegistry meters) {
        super("sluice-reconciler", properties.enabled(), properties.interval());
        this.store = store;
        this.properties = properties;
        this.repairs = meters.counter("sluice.reconciler.repairs");
    }

    /** @return jobs looked at: the new ones old enough now, then the watched ones due */
    @Override
    public int runOnce() {
        int examined = 0;
        while (examined < properties.maxPerPass()) {
            ReconcilerStore.Pass pass = store.examineNew(properties.stuckAfter(), properties.batchSize());
            examined += report(pass);
            if (pass.examined() < properties.batchSize()) {
                break;
            }
        }
        while (examined < properties.maxPerPass()) {
            ReconcilerStore.Pass pass = store.examineWatched(properties.stuckAfter(), properties.batchSize());
            examined += report(pass);
            if (pass.examined() < properties.batchSize()) {
                break;
            }
        }
        return examined;
    }

    private int report(ReconcilerStore.Pass pass) {
        for (ReconcilerStore.Repair repair : pass.repairs()) {
            log.warn("Reconciler repaired job {} (organization {}, queue {}): {}, as {}", repair.jobId(),
                    repair.organizationId(), repair.queueName(), repair.done(), repair.reason());
        }
        repairs.increment(pass.repairs().size());
        return pass.examined();
    }
}
