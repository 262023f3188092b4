#!/usr/bin/env bash
# Runs the Sluice delivery benchmark (the bench module) from the repository root and appends its
# figures to BENCHMARKS.md. Every published figure must come from this script, so it pins down how
# the benchmark is built and started: a JDK 21 or newer, the jars built by Maven, and the command
# line recorded verbatim in the results.
#
#   ./bench.sh [--build] [--jobs=50000] [--payload-bytes=1024] [--bulk-size=100] [--concurrency=8]
#              [--target=http://host:port] [--output=BENCHMARKS.md] [--label=text]
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
