# Sourced by run.sh and bench.sh: the JVM options Sluice runs with, in SLUICE_JAVA_OPTS
# (set it yourself to override them all).
#
# On one or two CPUs the JIT runs C1 only. C2's compiler thread competes with the pipeline
# for the cores it has: measured on 2 cores, a cold 50,000-job burst ran at about 2,200
# deliveries/s with the full tiered JIT and 2,600-3,400/s with C1 only, and after a
# 20,000-job warm-up both reached ~3,200-3,700/s. With more cores C2 gets a core of its own
# and the JVM's default applies. C1 runs SHA-256 (webhook signatures) as plain Java, ~20 us
# per 1 KB HMAC against ~1.3 us with C2's intrinsic. Letting C2 compile SHA-256 alone
# (compiler directives excluding every other method from C2) cut fan-out's CPU per delivery
# by about a sixth, but raised ingest's per job by about as much (every method then runs
# profiled C1 code first), so C1 alone stays.
#
# There too the parallel collector replaces G1: G1's concurrent threads and write barriers
# cost more CPU than the work on two cores can spare. Measured on 2 cores (fan-out, 100,000
# deliveries): G1 used 0.55-0.68 ms of Sluice's CPU per delivery, the parallel collector
# 0.36-0.47 ms, and end-to-end went from 2,000-2,900 to 2,600-3,600 deliveries/s (the
# machine's pace varies from run to run); the realtime scenario's p99 went from 1.2 s to
# 0.6-1.1 s. Its pauses stop the world, but they are short: in a realtime run the longest
# young pause was 91 ms, and no full collection came while measuring.
if [ -z "${SLUICE_JAVA_OPTS:-}" ]; then
  SLUICE_JAVA_OPTS="-Xmx2g"
  if [ "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 4)" -le 2 ]; then
    SLUICE_JAVA_OPTS="$SLUICE_JAVA_OPTS -XX:TieredStopAtLevel=1 -XX:+UseParallelGC"
  fi
fi
export SLUICE_JAVA_OPTS
