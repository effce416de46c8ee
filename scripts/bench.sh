#!/usr/bin/env bash
# Builds the release binary and runs every benchmark (`userstream bench all`), then prints a summary table
# with the machine, the issue's targets and the Spark-era anchors. Arguments go to `bench all`, e.g.
#   scripts/bench.sh                      # full sizes (about 3 minutes on 2 cores)
#   scripts/bench.sh --scale 0.1          # a quick look
#   CASSANDRA_HOST=127.0.0.1:9042 scripts/bench.sh   # also the Cassandra comparison (needs pip's cassandra-driver)
# BENCH_SCRATCH=.build-bench picks another build folder (default .build). See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scratch="${BENCH_SCRATCH:-.build}"
swift build -c release --scratch-path "$scratch" --product userstream >&2
if [ -n "${CASSANDRA_HOST:-}" ] && ! python3 -c 'import cassandra' 2>/dev/null; then
  echo "installing the Python cassandra-driver for the comparison" >&2
  python3 -m pip install --quiet cassandra-driver >&2 || echo "pip install cassandra-driver failed: the Python side will be skipped" >&2
fi
exec "$scratch/release/userstream" bench all "$@"
