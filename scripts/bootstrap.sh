#!/usr/bin/env bash
# Installs the system packages UserStream builds against (Debian): librdkafka, SQLite, jemalloc, pkg-config;
# python3-venv, for the test of the Airflow DAG; chromium, for the test of the dashboard.
# Safe to run again: it does nothing when they are already there.
set -euo pipefail
need=()
for pkg in librdkafka-dev libsqlite3-dev libjemalloc-dev pkg-config python3-venv chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi
