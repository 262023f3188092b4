package io.sluice.bench;

/**
 * Bulk bodies of the slow-endpoint scenario's mixed phase: positions in the order of a
 * {@link JobMix}, healthy jobs addressed by the request's {@code endpoint_id}, slow ones by an
 * {@code endpoint_id} of their own.
 */
final class MixedBodies implements BulkEnqueuer.Bodies {

    private final PayloadFactory payloads;
    private final JobMix mix;
    private final String slowEndpointId;

    /** @param payloads writes bodies addressed to the healthy endpoint */
    MixedBodies(PayloadFactory payloads, JobMix mix, String slowEndpointId) {
        this.payloads = payloads;
        this.mix = mix;
        this.slowEndpointId = slowEndpointId;
    }

    @Override
    public String body(int fromPosition, int toPosition, long sentAtNanos) {
        StringBuilder out = payloads.openBulk(toPosition - fromPosition);
        for (int position = fromPosition; position < toPosition; position++) {
            payloads.appendJob(out, mix.seq(position), sentAtNanos, mix.isSlow(position) ? slowEndpointId : null);
        }
        return payloads.closeBulk(out);
    }
}
