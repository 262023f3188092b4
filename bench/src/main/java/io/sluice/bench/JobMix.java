package io.sluice.bench;

/**
 * The order of the slow-endpoint scenario's mixed workload: {@code healthy} jobs and {@code slow}
 * jobs spread evenly through one sequence of positions {@code 0..total-1}, so every bulk request
 * carries its share of slow jobs (at 10 %, one in ten) instead of a block of them at one end.
 *
 * <p>Healthy jobs keep the numbering the receiver expects ({@code seq} 0 to {@code healthy-1} in
 * order); slow jobs are numbered after them, so one that reached the healthy receiver by mistake
 * would be counted there as unrecognised rather than pass for a healthy job.
 *
 * @param healthy jobs for the healthy endpoint
 * @param slow    jobs for the slow endpoint
 */
public record JobMix(int healthy, int slow) {

    public JobMix {
        if (healthy < 0 || slow < 0) {
            throw new IllegalArgumentException("job counts must not be negative");
        }
    }

    /** All jobs. */
    public int total() {
        return healthy + slow;
    }

    /** Whether the job at {@code position} goes to the slow endpoint. */
    public boolean isSlow(int position) {
        return slowBefore(position + 1) > slowBefore(position);
    }

    /** The {@code seq} of the job at {@code position}. */
    public long seq(int position) {
        long slowSoFar = slowBefore(position);
        return isSlow(position) ? healthy + slowSoFar : position - slowSoFar;
    }

    /** Slow jobs among positions {@code 0..position-1}: the slow share, rounded down (Bresenham's spacing). */
    long slowBefore(int position) {
        return total() == 0 ? 0 : (long) position * slow / total();
    }
}
