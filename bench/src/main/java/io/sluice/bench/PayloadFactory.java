package io.sluice.bench;

/**
 * Writes the bodies of bulk enqueue requests: {@code {"queue_name":..,"endpoint_id":..,"jobs":[
 * {"payload":{"seq":i,"sent_at_nanos":t,"pad":"xxx.."}}, ..]}}.
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
    private final String pad;

    public PayloadFactory(String queueName, String endpointId, int payloadBytes) {
        this.queueName = queueName;
        this.endpointId = endpointId;
        this.payloadBytes = payloadBytes;
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
        StringBuilder out = new StringBuilder((toSeq - fromSeq) * (payloadBytes + 80) + 128);
        out.append("{\"queue_name\":\"").append(queueName)
                .append("\",\"endpoint_id\":\"").append(endpointId)
                .append("\",\"jobs\":[");
        for (int seq = fromSeq; seq < toSeq; seq++) {
            if (seq > fromSeq) {
                out.append(',');
            }
            out.append("{\"payload\":");
            appendPayload(out, seq, sentAtNanos);
            out.append('}');
        }
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
