#!/usr/bin/env bash
# Starts Sluice with a real PostgreSQL and a real Kafka embedded (data in ./.sluice).
# Builds the jar first when it is missing or older than the sources it is made of (main
# sources, resources and poms; not tests, not the bench). Extra arguments go to
# Sluice, e.g. ./run.sh --server.port=9090
set -euo pipefail
cd "$(dirname "$0")"
source scripts/select-jdk.sh
source scripts/jvm-options.sh

jar=app/target/sluice.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./.git -prune -o -path '*/target' -prune -o -path ./bench -prune -o \
      \( -name pom.xml -o -path '*/src/main/*' -type f \) -newer "$jar" -print -quit)" ]; then
  echo "Building Sluice (first run takes a few minutes)..."
  ./mvnw -B -q -DskipTests package
  touch "$jar" # Maven leaves an up-to-date jar as it was
fi
# shellcheck disable=SC2086 # the options are meant to split into words
exec "$JAVA_HOME/bin/java" $SLUICE_JAVA_OPTS -jar "$jar" "$@"
