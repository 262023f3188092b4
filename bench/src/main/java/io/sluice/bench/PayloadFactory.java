package io.sluice.bench;

/**
 * Writes the bodies of bulk enqueue requests: {@code {"queue_name":..,"endpoint_id":..,"jobs":[
 * {"payload":{"seq":i,"sent_at_nanos":t,"pad":"xxx.."}}, ..]}}, with {@code default_max_retries}
 * when one is given and an {@code endpoint_id} of its own on a job that goes elsewhere.
 *
 * <p>Why by hand rather than with Jackson: the shape is fixed, every value is a number or a plain
 * ASCII string, and at 50,000 jobs the load generator would otherwise spend a noticeable share of
 * the two shared cores serialising maps. The padding makes each payload about
 * {@code payloadBytes} long (as UTF-8, which equals the character count here) so the benchmark
 * moves realistic amounts of data through Kafka and PostgreSQL.
 */
public final class PayloadFactory {

    private final String queueName;
    private final String endpointId;
    private final int payloadBytes;
    private final Integer defaultMaxRetries;
    private final String pad;

    public PayloadFactory(String queueName, String endpointId, int payloadBytes) {
        this(queueName, endpointId, payloadBytes, null);
    }

    /** @param defaultMaxRetries the bulk requests' {@code default_max_retries}, null for Sluice's default */
    public PayloadFactory(String queueName, String endpointId, int payloadBytes, Integer defaultMaxRetries) {
        this.queueName = queueName;
        this.endpointId = endpointId;
        this.payloadBytes = payloadBytes;
        this.defaultMaxRetries = defaultMaxRetries;
        this.pad = "x".repeat(payloadBytes);
    }

    /** One job payload: exactly {@code payloadBytes} long unless the fixed fields alone exceed it. */
    public String payload(long seq, long sentAtNanos) {
        StringBuilder out = new StringBuilder(payloadBytes + 64);
        appendPayload(out, seq, sentAtNanos);
        return out.toString();
    }

    /** The body of one bulk request for jobs {@code fromSeq} (inclusive) to {@code toSeq} (exclusive). */
    public String bulkBody(int fromSeq, int toSeq, long sentAtNanos) {
        StringBuilder out = openBulk(toSeq - fromSeq);
        for (int seq = fromSeq; seq < toSeq; seq++) {
            appendJob(out, seq, sentAtNanos, null);
        }
        return closeBulk(out);
    }

    /** As {@link #bulkBody}, every job delayed to {@code scheduledAt}. */
    public String scheduledBulkBody(int fromSeq, int toSeq, long sentAtNanos, java.time.Instant scheduledAt) {
        StringBuilder out = openBulk(toSeq - fromSeq);
        for (int seq = fromSeq; seq < toSeq; seq++) {
            appendJob(out, seq, sentAtNanos, null);
            out.setLength(out.length() - 1);
            out.append(",\"scheduled_at\":\"").append(scheduledAt).append("\"}");
        }
        return closeBulk(out);
    }

    /** The body of one {@code POST /api/v1/jobs} for job {@code seq}. */
    public String singleBody(long seq, long sentAtNanos) {
        StringBuilder out = new StringBuilder(payloadBytes + 200);
        out.append("{\"queue_name\":\"").append(queueName).append('"');
        if (endpointId != null) {
            out.append(",\"endpoint_id\":\"").append(endpointId).append('"');
        }
        out.append(",\"payload\":");
        appendPayload(out, seq, sentAtNanos);
        return out.append('}').toString();
    }

    /** The start of a bulk body for {@code jobs} jobs, up to the opening of its job list. */
    StringBuilder openBulk(int jobs) {
        StringBuilder out = new StringBuilder(jobs * (payloadBytes + 140) + 160);
        out.append("{\"queue_name\":\"").append(queueName).append('"');
        if (endpointId != null) {
            // Without one, the jobs wait for external workers: nothing is delivered.
            out.append(",\"endpoint_id\":\"").append(endpointId).append('"');
        }
        if (defaultMaxRetries != null) {
            out.append(",\"default_max_retries\":").append(defaultMaxRetries);
        }
        return out.append(",\"jobs\":[");
    }

    /**
     * Appends one job to a body from {@link #openBulk}.
     *
     * @param otherEndpointId the job's own {@code endpoint_id}, or null for the request's
     */
    void appendJob(StringBuilder out, long seq, long sentAtNanos, String otherEndpointId) {
        if (out.charAt(out.length() - 1) != '[') {
            out.append(',');
        }
        out.append("{\"payload\":");
        appendPayload(out, seq, sentAtNanos);
        if (otherEndpointId != null) {
            out.append(",\"endpoint_id\":\"").append(otherEndpointId).append('"');
        }
        out.append('}');
    }

    /** Closes a body from {@link #openBulk}. */
    String closeBulk(StringBuilder out) {
        return out.append("]}").toString();
    }

    private void appendPayload(StringBuilder out, long seq, long sentAtNanos) {
        int start = out.length();
        out.append("{\"seq\":").append(seq)
                .append(",\"sent_at_nanos\":").append(sentAtNanos)
                .append(",\"pad\":\"");
        int fixed = out.length() - start + 2; // the closing "}
        out.append(pad, 0, Math.max(0, payloadBytes - fixed)).append("\"}");
    }
}
