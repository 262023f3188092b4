#!/usr/bin/env bash
# Runs every test: unit tests, then the integration, end-to-end and crash tests against a
# real PostgreSQL and a real Kafka (Testcontainers when Docker is available, embedded
# servers otherwise). Extra arguments go to Maven, e.g. ./test.sh -Dit.test=CrashRecoveryIT
set -euo pipefail
cd "$(dirname "$0")"
source scripts/select-jdk.sh
exec ./mvnw -B verify "$@"
