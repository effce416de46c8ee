#!/usr/bin/env bash
# Sets up (system packages, release build) and runs the main job on the embedded defaults:
# embedded Kafka-protocol broker, synthetic source, SQLite store. Arguments go to `userstream run`.
#   scripts/run.sh --count 10000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
swift build -c release --product userstream >&2
exec .build/release/userstream run "$@"
