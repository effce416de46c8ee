#!/usr/bin/env bash
# Runs every kind of test: unit, contract, codec, integration (embedded broker, local HTTP server, SQLite),
# then the command-line end-to-end checks, then the crash harness (SIGKILLs over 100,000 users,
# docs/crash-harness.md), then the Airflow DAG in a real Airflow 3.3.2 installed from PyPI into a cached virtualenv
# (docs/airflow.md). Tests that need outside servers run only when CASSANDRA_HOST / KAFKA_BROKERS are set, and say
# why they skip otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build --build-tests
swift test --skip-build
scripts/e2e.sh
scripts/crash-harness.sh
USERSTREAM_BIN="$(swift build --show-bin-path)/userstream" scripts/airflow-test.sh
