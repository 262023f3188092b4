package io.sluice.core.event;

import java.util.UUID;

/** A record on {@code sluice.events}: one state change or attempt of one job, keyed by job id. */
public sealed interface JobEvent permits AttemptRecorded, DeliveryWithheld, DeliveryParked, JobStateChanged {

    /** Header that names the event type, so readers pick the record class without parsing. */
    String TYPE_HEADER = "sluice-event-type";

    String ATTEMPT_RECORDED = "attempt.recorded";
    String DELIVERY_WITHHELD = "delivery.withheld";
    String DELIVERY_PARKED = "delivery.parked";
    String JOB_STATE = "job.state";

    UUID jobId();

    String type();
}
