#!/usr/bin/env bash
# The real-Airflow test of deploy/airflow/dags/stream_randomuser_to_kafka.py.
#
#   USERSTREAM_BIN=/abs/path/to/userstream scripts/airflow-test.sh
#
# Installs Apache Airflow 3.3.2 from PyPI into a virtualenv (reused when it already holds 3.3.2), starts the
# embedded broker on 127.0.0.1, runs `airflow dags test` of the DAG twice for the same logical date with the offline
# source, and reads the topic back: the first run must produce 50 distinct keys, the second 50 more messages with
# exactly the same keys (the logical time fixes the seed and pages); a third run, for the next hour, must bring 50
# new keys (the logical time, not a constant, chose them). Prints `airflow: PASS ...` or
# `airflow: FAIL <why>` (exit 1).
#
# Environment: USERSTREAM_BIN (required), AIRFLOW_VENV (default ~/.cache/userstream/airflow-3.3.2),
# AIRFLOW_PYTHON (default python3).
set -euo pipefail

AIRFLOW_VERSION=3.3.2
DAG_ID=stream_randomuser_to_kafka
LOGICAL_DATE=2026-12-06T00:00:00+00:00
NEXT_LOGICAL_DATE=2026-12-06T01:00:00+00:00  # the next interval: other users
COUNT=50
TOPIC=airflow_random_users

fail() { echo "airflow: FAIL $*" >&2; exit 1; }

[[ -n "${USERSTREAM_BIN:-}" ]] || fail "USERSTREAM_BIN is not set: give the absolute path of the built userstream binary"
[[ "$USERSTREAM_BIN" == /* && -x "$USERSTREAM_BIN" ]] || fail "USERSTREAM_BIN=$USERSTREAM_BIN is not an absolute path to an executable"

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${AIRFLOW_VENV:-$HOME/.cache/userstream/airflow-$AIRFLOW_VERSION}
started=$SECONDS

# A hermetic run: only the settings below configure userstream and the DAG.
while read -r name; do
    [[ "$name" == USERSTREAM_BIN ]] || unset "$name"
done < <(compgen -e | grep -E '^(USERSTREAM_|AIRFLOW_VAR_USERSTREAM_)' || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/userstream-airflow.XXXXXX")
broker_pid=
cleanup() {
    if [[ -n "$broker_pid" ]]; then
        kill "$broker_pid" 2>/dev/null || true
        wait "$broker_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# Airflow's home is throwaway; nothing listens but the embedded broker, on 127.0.0.1.
export AIRFLOW_HOME=$work/airflow
export AIRFLOW__CORE__DAGS_FOLDER=$repo/deploy/airflow/dags
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__API__HOST=127.0.0.1
mkdir -p "$AIRFLOW_HOME"

# --- install (or reuse) Airflow -------------------------------------------------------------------------------
install_started=$SECONDS
if [[ "$("$venv/bin/airflow" version 2>/dev/null | tail -n 1)" == "$AIRFLOW_VERSION" ]] \
    && "$venv/bin/python" -c 'import confluent_kafka' 2>/dev/null; then
    echo "airflow: reusing $venv (Airflow $AIRFLOW_VERSION)"
else
    echo "airflow: installing apache-airflow==$AIRFLOW_VERSION and confluent-kafka into $venv"
    "${AIRFLOW_PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip > "$work/pip.log" 2>&1 \
        && "$venv/bin/python" -m pip install --quiet "apache-airflow==$AIRFLOW_VERSION" confluent-kafka \
            >> "$work/pip.log" 2>&1 \
        || { tail -n 30 "$work/pip.log" >&2; fail "pip install of apache-airflow==$AIRFLOW_VERSION failed"; }
    [[ "$("$venv/bin/airflow" version 2>/dev/null | tail -n 1)" == "$AIRFLOW_VERSION" ]] \
        || fail "the installed airflow does not report version $AIRFLOW_VERSION"
fi
echo "airflow: install took $((SECONDS - install_started)) s"
airflow=$venv/bin/airflow
python=$venv/bin/python

tests_started=$SECONDS
"$airflow" db migrate > "$work/db-migrate.log" 2>&1 \
    || { tail -n 30 "$work/db-migrate.log" >&2; fail "airflow db migrate failed"; }

# --- the embedded broker ---------------------------------------------------------------------------------------
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# stdbuf: the ready line is printed to a file, which stdio would otherwise hold in its buffer.
stdbuf -oL "$USERSTREAM_BIN" broker --port "$port" --topic "$TOPIC" > "$work/broker.log" 2>&1 &
broker_pid=$!
deadline=$((SECONDS + 30))
until grep -q "embedded broker ready: bootstrap 127.0.0.1:$port" "$work/broker.log"; do
    kill -0 "$broker_pid" 2>/dev/null || { cat "$work/broker.log" >&2; fail "the embedded broker exited"; }
    ((SECONDS < deadline)) || { cat "$work/broker.log" >&2; fail "the embedded broker was not ready within 30 s"; }
    sleep 0.1
done

export USERSTREAM_BIN
export USERSTREAM_BROKERS=127.0.0.1:$port
export USERSTREAM_SOURCE=synthetic  # the built-in offline generator: no network
export USERSTREAM_TOPIC=$TOPIC
export USERSTREAM_COUNT=$COUNT
export USERSTREAM_AIRFLOW_RETRIES=0  # a failure fails the test now, not after backed-off retries

# Runs the DAG for logical date $2; run number $1.
dags_test() {
    local log=$work/dags-test-$1.log
    if ! timeout 600 "$airflow" dags test "$DAG_ID" "$2" > "$log" 2>&1 \
        || ! grep -q "DagRun Finished: dag_id=$DAG_ID.*state=success" "$log"; then
        tail -n 40 "$log" >&2
        fail "run $1: airflow dags test $DAG_ID $2 did not succeed (log above)"
    fi
}

# Reads the whole topic (every partition up to its high watermark, 60 s deadline) and writes the sorted
# distinct keys to file $1; prints "<messages> <distinct keys>".
read_topic() {
    "$python" - "$USERSTREAM_BROKERS" "$TOPIC" "$1" <<'PY'
import sys, time, uuid
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING

brokers, topic, out = sys.argv[1:]
consumer = Consumer({"bootstrap.servers": brokers, "group.id": f"airflow-test-{uuid.uuid4()}",
                     "enable.auto.commit": False, "auto.offset.reset": "earliest"})
deadline = time.monotonic() + 60
partitions = consumer.list_topics(topic, timeout=30).topics[topic].partitions
high = {p: consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1] for p in partitions}
pending = {p for p, h in high.items() if h > 0}
consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in pending])
messages, keys = 0, set()
while pending:
    if time.monotonic() > deadline:
        sys.exit(f"topic {topic} not read to its high watermarks {high} within 60 s")
    message = consumer.poll(1.0)
    if message is None:
        continue
    if message.error():
        sys.exit(f"consumer error: {message.error()}")
    if message.offset() >= high[message.partition()]:
        continue
    messages += 1
    keys.add(message.key().decode() if message.key() is not None else "<no key>")
    if message.offset() + 1 >= high[message.partition()]:
        pending.discard(message.partition())
consumer.close()
with open(out, "w") as f:
    f.write("".join(f"{k}\n" for k in sorted(keys)))
print(messages, len(keys))
PY
}

# --- run 1 -----------------------------------------------------------------------------------------------------
dags_test 1 "$LOGICAL_DATE"
read -r messages1 distinct1 < <(read_topic "$work/keys-1") || fail "run 1: could not read topic $TOPIC back"
((messages1 == COUNT && distinct1 == COUNT)) \
    || fail "run 1: expected $COUNT messages with $COUNT distinct keys, topic holds $messages1 messages, $distinct1 keys"
echo "airflow: PASS run 1: dags test $DAG_ID $LOGICAL_DATE succeeded; topic $TOPIC holds $messages1 messages, $distinct1 distinct keys"

# --- run 2: the same logical date again (a retry or a backfill) -------------------------------------------------
dags_test 2 "$LOGICAL_DATE"
read -r messages2 distinct2 < <(read_topic "$work/keys-2") || fail "run 2: could not read topic $TOPIC back"
((messages2 == 2 * COUNT)) || fail "run 2: expected $((2 * COUNT)) messages in the topic, found $messages2"
cmp -s "$work/keys-1" "$work/keys-2" \
    || fail "run 2: the key set changed ($distinct1 keys after run 1, $distinct2 after run 2, $(comm -13 "$work/keys-1" "$work/keys-2" | wc -l) new)"
echo "airflow: PASS run 2: same logical date again; topic holds $messages2 messages, whose keys are exactly the same $distinct2 keys"

# --- run 3: the next interval must bring other users (the logical time, not a fixed seed, chose them) ---------
dags_test 3 "$NEXT_LOGICAL_DATE"
read -r messages3 distinct3 < <(read_topic "$work/keys-3") || fail "run 3: could not read topic $TOPIC back"
((messages3 == 3 * COUNT)) || fail "run 3: expected $((3 * COUNT)) messages in the topic, found $messages3"
((distinct3 == 2 * COUNT)) \
    || fail "run 3: logical date $NEXT_LOGICAL_DATE should add $COUNT new keys, it added $((distinct3 - distinct2))"
echo "airflow: PASS run 3: next logical date $NEXT_LOGICAL_DATE; topic holds $messages3 messages, $distinct3 distinct keys ($((distinct3 - distinct2)) new)"

echo "airflow: PASS re-running an interval is idempotent (Airflow $AIRFLOW_VERSION, $COUNT users per run)"
echo "airflow: tests took $((SECONDS - tests_started)) s, total $((SECONDS - started)) s"
