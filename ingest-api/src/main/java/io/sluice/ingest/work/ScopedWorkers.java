package io.sluice.ingest.work;

import io.sluice.ingest.auth.Caller;
import io.sluice.ingest.web.ApiException;
import io.sluice.ingest.web.Ids;
import io.sluice.store.Worker;
import io.sluice.store.WorkerStore;
import org.springframework.stereotype.Component;

/** The workers a caller may see: its organization's, of queues its key reaches. */
@Component
class ScopedWorkers {

    private final WorkerStore workers;

    ScopedWorkers(WorkerStore workers) {
        this.workers = workers;
    }

    /** The caller's worker of that id; another organization's, or one of a queue outside the key's scope, is not found. */
    Worker visible(Caller caller, String id) {
        return Ids.parse(id == null ? "" : id.strip()).flatMap(uuid -> workers.get(caller.organizationId(), uuid))
                .filter(w -> caller.reaches(w.queueName()))
                .orElseThrow(ScopedWorkers::notFound);
    }

    static ApiException notFound() {
        return ApiException.notFound("Worker not found");
    }
}
