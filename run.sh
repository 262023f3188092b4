#!/usr/bin/env bash
# Starts Sluice with a real PostgreSQL and a real Kafka embedded (data in ./.sluice).
# Builds the jar first when it is missing or older than the sources. Extra arguments go to
# Sluice, e.g. ./run.sh --server.port=9090
set -euo pipefail
cd "$(dirname "$0")"
source scripts/select-jdk.sh

jar=app/target/sluice.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path ./.git -prune -o -path '*/target' -prune -o \
      \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.yml' -o -name '*.proto' \) \
      -newer "$jar" -print -quit)" ]; then
  echo "Building Sluice (first run takes a few minutes)..."
  ./mvnw -B -q -DskipTests package
fi
exec "$JAVA_HOME/bin/java" -Xmx2g -jar "$jar" "$@"
