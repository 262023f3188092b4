#!/usr/bin/env bash
# Runs the Sluice delivery benchmark (the bench module) from the repository root and appends its
# figures to BENCHMARKS.md. Every published figure must come from this script, so it pins down how
# the benchmark is built and started: a JDK 21 or newer, the jars built by Maven, and the command
# line recorded verbatim in the results.
#
#   ./bench.sh [--build] [--scenario=burst|flaky|slow-endpoint|fan-out|ingest|workers|schedules|realtime] [--jobs=N] [--payload-bytes=1024]
#              [--bulk-size=100] [--concurrency=8] [--warmup-jobs=20000] [--target=http://host:port]
#              [--output=BENCHMARKS.md] [--label=text] [scenario options]
#
# Scenarios, each appending a section of its own:
#   burst (default)  every job at once to a receiver answering 204: enqueue and delivery rate,
#                    latency, CPU per job, duplicates, lost jobs (50,000 jobs)
#   flaky            a receiver answering 503 to a seeded share of attempts, Sluice started with a
#                    short retry schedule: time until every job got its 2xx, attempts, duplicates,
#                    retry lateness (10,000 jobs). Options: --failure-percent=30 --seed=1
#                    --retry-tiers=1s,2s,5s --retry-schedule=1s,2s,5s --max-retries=10
#   slow-endpoint    a healthy endpoint alone, then with a share of the jobs going to an endpoint
#                    that never answers: the healthy delivery rate kept (50,000 healthy jobs per
#                    phase). Options: --slow-percent=10 --slow-timeout-seconds=2
#   fan-out          messages published one per request, each delivered by Sluice to every one of
#                    --endpoints=20 endpoints: deliveries per second end to end, latency, duplicates
#                    (1,000 messages)
#
# --build rebuilds everything first (otherwise only when app/target/sluice.jar or
# bench/target/sluice-bench.jar is missing). Run with --help for all options.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

source scripts/select-jdk.sh
# Sluice is started with the options run.sh uses (SLUICE_JAVA_OPTS), so the figures are those
# of Sluice as it ships.
source scripts/jvm-options.sh

build=false
args=()
for arg in "$@"; do
  if [[ "$arg" == "--build" ]]; then
    build=true
  else
    args+=("$arg")
  fi
done

if $build || [[ ! -f app/target/sluice.jar || ! -f bench/target/sluice-bench.jar ]]; then
  echo "Building Sluice and the bench with $JAVA_HOME ..."
  ./mvnw -q -B -DskipTests package
fi

# The exact command, shell-quoted, for the results section.
command="./bench.sh"
if (($# > 0)); then command+=" $(printf '%q ' "$@")"; fi
export SLUICE_BENCH_COMMAND="${command% }"

# The load generator and the webhook receiver share the machine with Sluice: C1 only and the
# serial collector keep their own CPU (JIT and GC threads) out of the way of the system measured.
exec "$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar bench/target/sluice-bench.jar "${args[@]+"${args[@]}"}"
