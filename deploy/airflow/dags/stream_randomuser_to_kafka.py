"""Airflow 3 DAG: every interval, `userstream ingest` streams one batch of users into Kafka.

The run's logical date is passed as `--logical-time`: userstream derives the source seed and pages from it, so a
retry or a backfill of the same interval produces exactly the same users (same Kafka keys) and the store's upsert
leaves them unchanged. See docs/airflow.md.

Configuration:
- userstream itself: `USERSTREAM_*` environment variables of the Airflow worker (passed through), or its pipeline
  file (`USERSTREAM_CONFIG`). The program is `$USERSTREAM_BIN`, else `userstream` on PATH.
- Flags, read at run time and added only when set: Airflow Variables `userstream_count` (--count),
  `userstream_brokers` (--brokers), `userstream_topic` (--topic), `userstream_source` (--source),
  `userstream_extra_args` (appended, split on whitespace).
- The DAG's shape, read at parse time: `USERSTREAM_AIRFLOW_<NAME>` environment variable, else Airflow Variable
  `userstream_<name>`, else the default: schedule ("0 * * * *"), retries (3), retry_delay (60 s, doubling up to
  max_retry_delay, 1800 s), timeout (1800 s), catchup (false).
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Variable


def setting(name: str, default: str) -> str:
    """A parse-time setting: env USERSTREAM_AIRFLOW_<NAME>, else Variable userstream_<name>, else the default."""
    value = os.environ.get(f"USERSTREAM_AIRFLOW_{name.upper()}", "").strip()
    if value:
        return value
    try:
        return str(Variable.get(f"userstream_{name}", default=default)).strip() or default
    except Exception:  # no Variable access where this file is parsed: the defaults stand
        return default


def rfc3339(moment: datetime) -> str:
    """The logical date as userstream's --logical-time wants it: RFC 3339, UTC, whole seconds."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# Run time: Variables become flags only when set (an empty string leaves userstream's own env/defaults in force).
# Values travel as environment variables and are expanded as quoted words, so no value is ever parsed as shell.
INGEST = r"""
set -euo pipefail
args=(ingest --logical-time "$INGEST_LOGICAL_TIME")
[[ -n "$INGEST_COUNT" ]] && args+=(--count "$INGEST_COUNT")
[[ -n "$INGEST_BROKERS" ]] && args+=(--brokers "$INGEST_BROKERS")
[[ -n "$INGEST_TOPIC" ]] && args+=(--topic "$INGEST_TOPIC")
[[ -n "$INGEST_SOURCE" ]] && args+=(--source "$INGEST_SOURCE")
read -r -a extra <<< "$INGEST_EXTRA_ARGS"
set -x
exec "${USERSTREAM_BIN:-userstream}" "${args[@]}" "${extra[@]}"
"""

with DAG(
    dag_id="stream_randomuser_to_kafka",
    description="Stream a batch of RandomUser users into Kafka with userstream ingest, once per interval.",
    schedule=setting("schedule", "0 * * * *"),
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=setting("catchup", "false").lower() in ("1", "true", "yes"),
    max_active_runs=1,
    user_defined_macros={"rfc3339": rfc3339},
    default_args={
        "owner": "userstream",
        "retries": int(setting("retries", "3")),
        "retry_delay": timedelta(seconds=int(setting("retry_delay", "60"))),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(seconds=int(setting("max_retry_delay", "1800"))),
        "execution_timeout": timedelta(seconds=int(setting("timeout", "1800"))),
    },
    tags=["userstream", "kafka"],
    doc_md=__doc__,
):
    BashOperator(
        task_id="ingest",
        bash_command=INGEST,
        # Templated at run time. A run without a logical date (an asset-triggered one) uses its run_after.
        env={
            "INGEST_LOGICAL_TIME": "{{ rfc3339(logical_date or dag_run.run_after) }}",
            "INGEST_COUNT": "{{ var.value.get('userstream_count', '') }}",
            "INGEST_BROKERS": "{{ var.value.get('userstream_brokers', '') }}",
            "INGEST_TOPIC": "{{ var.value.get('userstream_topic', '') }}",
            "INGEST_SOURCE": "{{ var.value.get('userstream_source', '') }}",
            "INGEST_EXTRA_ARGS": "{{ var.value.get('userstream_extra_args', '') }}",
        },
        append_env=True,  # keep the worker's environment: USERSTREAM_*, PATH, USERSTREAM_BIN
        skip_on_exit_code=None,  # every non-zero exit is a failure (and so a retry), never a skip
    )
