#!/usr/bin/env bash
# End-to-end checks of the `userstream` command as a user runs it: the main job, transform, users,
# a multi-process pipeline on a standalone embedded broker, and error reporting.
# Prints one line per check and closes with "e2e: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${USERSTREAM_BIN:-.build/debug/userstream}
# Many processes run at once here: none serves HTTP unless a check asks for it (--http).
export USERSTREAM_HTTP=off
[ -x "$BIN" ] || swift build --product userstream >&2
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
passed=0; failed=0
check() { # name, then a command that must succeed; E2E_ONLY=text runs only the checks whose name contains it
  local name=$1; shift
  [ -n "${E2E_DEBUG:-}" ] && set -x
  [ -n "${E2E_ONLY:-}" ] && [[ "$name" != *"$E2E_ONLY"* ]] && return 0
  if "$@" >"$WORK/check.out" 2>&1; then
    passed=$((passed + 1)); echo "ok   $name"
  else
    failed=$((failed + 1)); echo "FAIL $name"; sed 's/^/     /' "$WORK/check.out" | tail -20
  fi
}
# GET URL [TOKEN]: prints "STATUS BODY" (python3's urllib: no curl needed).
http_get() {
  python3 - "$@" <<'PY'
import sys, urllib.request, urllib.error
request = urllib.request.Request(sys.argv[1])
if len(sys.argv) > 2: request.add_header("Authorization", "Bearer " + sys.argv[2])
try:
    with urllib.request.urlopen(request, timeout=10) as answer: print(answer.status, answer.read().decode())
except urllib.error.HTTPError as error: print(error.code, error.read().decode())
except Exception as error: print(0, error)
PY
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() { # PORT: until something accepts connections on 127.0.0.1:PORT, at most 30 s
  python3 - "$1" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 30
while True:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
        break
    except OSError:
        if time.monotonic() > deadline: sys.exit("nothing listens on port " + sys.argv[1])
        time.sleep(0.05)
PY
}
wait_http() { # URL: until it answers, at most 30 s
  for _ in $(seq 300); do [ "$(http_get "$1" | cut -d' ' -f1)" = 200 ] && return 0; sleep 0.1; done; return 1
}

fixtures=../shared/fixtures/randomuser
[ -d "$fixtures" ] || fixtures=${USERSTREAM_SHARED:-../shared}/fixtures/randomuser

run_main_job() {
  "$BIN" run --count 3000 --store "sqlite:$WORK/run.sqlite" --progress-interval 1s >"$WORK/run.txt" 2>"$WORK/run.err" || return 1
  grep -q "rows in store  3000" "$WORK/run.txt" || { cat "$WORK/run.txt" "$WORK/run.err"; return 1; }
  [ "$("$BIN" users count --store "sqlite:$WORK/run.sqlite")" = 3000 ]
}
check "run --count 3000 stores 3000 users and prints the summary" run_main_job

graceful_stop() {
  "$BIN" run --store "sqlite:$WORK/sig.sqlite" --progress-interval 1s >"$WORK/sig.txt" 2>"$WORK/sig.err" &
  local pid=$!
  for _ in $(seq 1 100); do grep -qE "stored [1-9]" "$WORK/sig.err" && break; sleep 0.2; done
  kill -TERM "$pid"; wait "$pid" || return 1
  local produced handled
  produced=$(sed -nE 's/^  produced +([0-9]+).*/\1/p' "$WORK/sig.txt")
  handled=$(sed -nE 's/^  handled +([0-9]+).*/\1/p' "$WORK/sig.txt")
  [ -n "$produced" ] && [ "$produced" -gt 0 ] && [ "$produced" = "$handled" ] || { cat "$WORK/sig.txt"; return 1; }
  [ "$("$BIN" users count --store "sqlite:$WORK/sig.sqlite")" = "$handled" ] || return 1
  # The services close in reverse order of their start: ingester, processor, consumer, producer, store, broker.
  local order
  order=$(grep -oE "ingester stopped|processor stopped|consumer closed|producer closed|store closed|embedded broker stopped" "$WORK/sig.err" | tr '\n' ',')
  [ "$order" = "ingester stopped,processor stopped,consumer closed,producer closed,store closed,embedded broker stopped," ] \
    || { echo "close order: $order"; return 1; }
}
check "SIGTERM: run drains what it produced, commits, closes every service in reverse order, exits 0" graceful_stop

users_commands() {
  local id
  id=$("$BIN" users latest 1 --store "sqlite:$WORK/run.sqlite" | sed -E 's/.*"user_id":"([^"]+)".*/\1/')
  [ -n "$id" ] || return 1
  "$BIN" users get "$id" --store "sqlite:$WORK/run.sqlite" | grep -q "\"user_id\":\"$id\"" || return 1
  "$BIN" users delete "$id" --store "sqlite:$WORK/run.sqlite" || return 1
  ! "$BIN" users get "$id" --store "sqlite:$WORK/run.sqlite" 2>/dev/null || return 1
  [ "$("$BIN" users count --store "sqlite:$WORK/run.sqlite")" = 2999 ]
}
check "users latest / get / delete / count" users_commands

transform_fixtures() {
  { tr -d '\n' <"$fixtures/api-v1.4-envelope-1-user.json"; echo
    tr -d '\n' <"$fixtures/single-result-2020.json"; echo
    cat "$fixtures/outage-empty-results.json"; echo
    echo 'not json at all "password":"hunter2"'; echo; } >"$WORK/in.jsonl"
  "$BIN" transform --input "$WORK/in.jsonl" --output "$WORK/rows.jsonl" 2>"$WORK/summary.txt" || return 1
  [ "$(wc -l <"$WORK/rows.jsonl")" -eq 2 ] || return 1
  [ "$(wc -l <"$WORK/rejects.jsonl")" -eq 1 ] || return 1
  grep -q '"reason":"not_json"' "$WORK/rejects.jsonl" || return 1
  ! grep -q hunter2 "$WORK/rejects.jsonl" "$WORK/rows.jsonl" || return 1
  grep -q '"user_id":"4bbbf423-b3dd-409f-b35b-53957fc1b362"' "$WORK/rows.jsonl"
}
check "transform: fixtures in, rows and rejects out, secrets gone" transform_fixtures

transform_stdin() {
  tr -d '\n' <"$fixtures/single-result-2020.json" | "$BIN" transform --rejects "$WORK/r2.jsonl" 2>/dev/null \
    | grep -q '"user_id":"7d73a1f5-d89d-4c14-bb9e-45763f72ca22"'
}
check "transform: stdin to stdout" transform_stdin

multi_process() {
  local port=$((20000 + RANDOM % 20000))
  "$BIN" broker --port "$port" --partitions 4 >"$WORK/broker.txt" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do grep -q "bootstrap" "$WORK/broker.txt" && break; sleep 0.2; done
  local brokers="127.0.0.1:$port"
  "$BIN" ingest --brokers "$brokers" --source synthetic --count 1500 --seed e2e >"$WORK/ingest.txt" 2>&1 || { cat "$WORK/ingest.txt"; return 1; }
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" process --brokers "$brokers" --store "sqlite:$WORK/mp.sqlite" --count 1500 \
    >"$WORK/process.txt" 2>&1 || { cat "$WORK/process.txt"; return 1; }
  [ "$("$BIN" users count --store "sqlite:$WORK/mp.sqlite")" = 1500 ] || return 1
  echo "$brokers" >"$WORK/mp.brokers"
}
check "broker + ingest + process in separate processes" multi_process

dead_letters() {
  local brokers
  brokers=$(cat "$WORK/mp.brokers") || return 1
  "$BIN" ingest --brokers "$brokers" --source synthetic --count 300 --seed e2e-bad --bad-fraction 0.1 --page 7 >/dev/null 2>&1 || return 1
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" process --brokers "$brokers" --store "sqlite:$WORK/mp.sqlite" --count 300 \
    >"$WORK/process2.txt" 2>&1 || { cat "$WORK/process2.txt"; return 1; }
  local rejected
  rejected=$(sed -nE 's/^  rejected +([0-9]+).*/\1/p' "$WORK/process2.txt")
  [ -n "$rejected" ] && [ "$rejected" -gt 0 ] || return 1
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" dlq list --brokers "$brokers" --idle 2s >"$WORK/dlq.txt" 2>/dev/null || return 1
  grep -q "^$rejected dead letters" "$WORK/dlq.txt" || { cat "$WORK/dlq.txt"; return 1; }
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" dlq replay --brokers "$brokers" --all --idle 2s 2>/dev/null \
    | grep -q "replayed $rejected of $rejected"
}
check "dead letters: process rejects, dlq list counts them, dlq replay sends them back" dead_letters

missing_topic() {
  local port=$((20000 + RANDOM % 20000))
  "$BIN" broker --port "$port" --topic other --dlq-topic other_dlq >"$WORK/broker2.txt" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do grep -q "bootstrap" "$WORK/broker2.txt" && break; sleep 0.2; done
  ! "$BIN" process --brokers "127.0.0.1:$port" --store "sqlite:$WORK/x.sqlite" --count 1 2>"$WORK/err.txt" || return 1
  grep -q "topics create" "$WORK/err.txt"
}
check "process says how to create a missing topic" missing_topic

bad_option() {
  ! "$BIN" transform --input /nonexistent/file.jsonl --output "$WORK/o.jsonl" 2>"$WORK/err2.txt" || return 1
  [ "$(wc -l <"$WORK/err2.txt")" -ge 1 ] && grep -qi "error" "$WORK/err2.txt"
}
check "a missing input file gives a non-zero exit and an error line" bad_option

kafka_options() {
  # A bad codec or property is refused before anything starts; a good one runs the job as usual.
  ! "$BIN" run --count 10 --store "sqlite:$WORK/ko.sqlite" --compression bogus 2>"$WORK/err3.txt" || return 1
  grep -q "compression" "$WORK/err3.txt" || return 1
  ! "$BIN" run --count 10 --store "sqlite:$WORK/ko.sqlite" --consumer-property novalue 2>"$WORK/err4.txt" || return 1
  grep -q "key=value" "$WORK/err4.txt" || return 1
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" run --count 500 --store "sqlite:$WORK/ko.sqlite" --compression lz4 \
    --consumer-property fetch.wait.max.ms=2 --progress-interval 1h >"$WORK/ko.txt" 2>/dev/null || return 1
  grep -qE "^  rows in store +500$" "$WORK/ko.txt"
}
check "run: --compression and --consumer-property are checked and used" kafka_options

pipeline_file() {
  # The shipped pipeline file holds the defaults: run --config deploy/userstream.yaml is plain run.
  "$BIN" run --config deploy/userstream.yaml --count 1000 --store "sqlite:$WORK/pf.sqlite" >"$WORK/pf.txt" 2>/dev/null || return 1
  grep -qE "^  rows in store +1000$" "$WORK/pf.txt" || return 1
  # A bad file and bad flags: one Error line per problem, exit 64, nothing started.
  printf 'kafka:\n  topik: x\nprocessing:\n  batch-size: ${NOT_SET_ANYWHERE}\n' >"$WORK/bad.yaml"
  "$BIN" run --config "$WORK/bad.yaml" --batch-linger soon --store "sqlite:$WORK/never.sqlite" 2>"$WORK/bad.err"
  [ $? -eq 64 ] || return 1
  [ "$(grep -c '^Error: ' "$WORK/bad.err")" -eq 3 ] || { cat "$WORK/bad.err"; return 1; }
  grep -q "kafka.topik in $WORK/bad.yaml: unknown key" "$WORK/bad.err" || return 1
  [ ! -e "$WORK/never.sqlite" ]
}
check "run --config deploy/userstream.yaml is plain run; a bad file lists every problem, exit 64" pipeline_file

check_command() {
  "$BIN" check --store "sqlite:$WORK/chk.sqlite" >"$WORK/check.txt" 2>/dev/null || { cat "$WORK/check.txt"; return 1; }
  [ "$(grep -c '^ok ' "$WORK/check.txt")" -eq 4 ] || return 1
  local started=$SECONDS
  ! "$BIN" check --part process --brokers 127.0.0.1:1 --timeout 5s --store "sqlite:$WORK/chk.sqlite" >"$WORK/check2.txt" 2>/dev/null || return 1
  [ $((SECONDS - started)) -lt 30 ] || return 1
  grep -q "^FAIL kafka 127.0.0.1:1: " "$WORK/check2.txt"
}
check "check: passes on the embedded defaults; an unreachable broker fails in time, named" check_command

dlq_usage_and_unreachable() {
  # An unreachable broker: one Error line naming it, exit 1, within the metadata wait (10s), no usage text.
  local started=$SECONDS
  "$BIN" dlq list --brokers 127.0.0.1:1 >"$WORK/dlq1.txt" 2>"$WORK/dlq1.err"
  [ $? -eq 1 ] || { cat "$WORK/dlq1.err"; return 1; }
  [ $((SECONDS - started)) -lt 30 ] || return 1
  grep -q "^Error: .*127\.0\.0\.1:1" "$WORK/dlq1.err" || { cat "$WORK/dlq1.err"; return 1; }
  [ "$(grep -c '^Error: ' "$WORK/dlq1.err")" -eq 1 ] && ! grep -q "^Usage:" "$WORK/dlq1.err" || return 1
  ! grep -q "dead letters" "$WORK/dlq1.txt" || return 1
  # An unknown reason is a usage error listing the known codes: exit 64, before any connection.
  "$BIN" dlq replay --brokers 127.0.0.1:1 --reason no_such_reason >/dev/null 2>"$WORK/dlq2.err"
  [ $? -eq 64 ] || { cat "$WORK/dlq2.err"; return 1; }
  grep -q "^Error: --reason: 'no_such_reason'.*invalid_email" "$WORK/dlq2.err"
}
check "dlq: an unreachable broker is exit 1 in time, named; an unknown reason is exit 64 with the codes" dlq_usage_and_unreachable

dlq_topic_and_choice() {
  local port=$((20000 + RANDOM % 20000))
  "$BIN" broker --port "$port" >"$WORK/broker3.txt" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do grep -q "bootstrap" "$WORK/broker3.txt" && break; sleep 0.2; done
  local brokers="127.0.0.1:$port"
  # A missing dead-letter topic: exit 1 naming it; asking again finds it still missing (it was not created).
  for _ in 1 2; do
    "$BIN" dlq list --brokers "$brokers" --dlq-topic absent_dlq >/dev/null 2>"$WORK/dlq3.err"
    [ $? -eq 1 ] && grep -q "^Error: .*absent_dlq does not exist" "$WORK/dlq3.err" || { cat "$WORK/dlq3.err"; return 1; }
  done
  # An empty topic is read at once; a known reason without letters says so, exit 0; an offset with no letter, exit 1.
  "$BIN" dlq list --brokers "$brokers" 2>/dev/null | grep -q "^0 dead letters in random_users_dlq" || return 1
  "$BIN" dlq replay --brokers "$brokers" --reason too_large 2>/dev/null \
    | grep -q "^no dead letter has reason too_large" || return 1
  "$BIN" dlq replay --brokers "$brokers" --offset 5 >/dev/null 2>"$WORK/dlq4.err"
  [ $? -eq 1 ] && grep -q "^Error: no dead letter at offset(s) 5" "$WORK/dlq4.err"
}
check "dlq: a missing topic is exit 1 and not created; a reason with no letter says so; an unknown offset is exit 1" \
  dlq_topic_and_choice

second_signal() {
  # A graceful stop that cannot finish soon (the producer flushing to a broker that is gone) ends at a second signal.
  local port=$((20000 + RANDOM % 20000))
  "$BIN" broker --port "$port" >"$WORK/broker3.txt" 2>&1 &
  local broker=$!
  PIDS+=($broker)
  for _ in $(seq 1 150); do grep -q "bootstrap" "$WORK/broker3.txt" && break; sleep 0.2; done
  "$BIN" ingest --brokers "127.0.0.1:$port" --count 100000000 --rate 200 --progress-interval 1s \
    >"$WORK/sig2.txt" 2>"$WORK/sig2.err" &
  local pid=$!
  for _ in $(seq 1 100); do grep -qE "produced [1-9]" "$WORK/sig2.err" && break; sleep 0.2; done
  kill -9 "$broker"
  sleep 1
  kill -TERM "$pid"
  for _ in $(seq 1 50); do grep -q "stopping gracefully" "$WORK/sig2.err" && break; sleep 0.1; done
  local started=$SECONDS
  kill -TERM "$pid"
  wait "$pid"
  local status=$?
  [ "$status" -eq 1 ] && [ $((SECONDS - started)) -le 15 ] || { echo "status $status after $((SECONDS - started))s"; tail -5 "$WORK/sig2.err"; return 1; }
}
check "a second SIGTERM exits at once (status 1) while the first one's graceful stop waits" second_signal

json_logs() {
  # With --log-format json every line on stderr is a JSON object, progress included.
  "$BIN" run --count 2000 --store "sqlite:$WORK/json.sqlite" --log-format json --progress-interval 1s \
    >/dev/null 2>"$WORK/json.err" || return 1
  grep -q '"label":"userstream.progress"' "$WORK/json.err" || return 1
  python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1]) if l.strip()]' "$WORK/json.err"
}
check "--log-format json: every stderr line is JSON, progress too" json_logs

missing_store() {
  # Reading never creates a store: exit 1, one line, no file left behind.
  ! "$BIN" users count --store "sqlite:$WORK/absent.sqlite" 2>"$WORK/absent.err" || return 1
  [ ! -e "$WORK/absent.sqlite" ] && grep -q "^Error: the store sqlite:$WORK/absent.sqlite does not exist" "$WORK/absent.err"
}
check "users on a missing store: exit 1 naming it, nothing created" missing_store

secrets_nowhere() {
  # Users whose password, salt, hashes and id.value all carry the marker S3CR3T, and credentials that carry it too,
  # go through run at trace level in both log formats, the dead letters, the users commands and two failing
  # commands: the marker appears in none of their output, nor in the store's file.
  python3 scripts/lib/secret-pages.py "$fixtures/api-v1.4-envelope-1-user.json" "$WORK/pages.port" &
  PIDS+=($!)
  local port format
  for _ in $(seq 100); do [ -s "$WORK/pages.port" ] && break; sleep 0.1; done
  port=$(cat "$WORK/pages.port") || return 1
  export USERSTREAM_CASSANDRA_USERNAME=cass-user USERSTREAM_CASSANDRA_PASSWORD=cass-S3CR3T
  export USERSTREAM_SASL_PASSWORD=sasl-S3CR3T
  for format in text json; do
    "$BIN" run --count 200 --source "http://127.0.0.1:$port/api/" --store "sqlite:$WORK/secret.sqlite" \
      --log-level trace --log-format "$format" --progress-interval 100ms \
      >"$WORK/secret-$format.out" 2>"$WORK/secret-$format.err" || { tail -5 "$WORK/secret-$format.err"; return 1; }
  done
  grep -q "rejected  *20" "$WORK/secret-text.out" || { cat "$WORK/secret-text.out"; return 1; }
  "$BIN" users latest --store "sqlite:$WORK/secret.sqlite" 200 >"$WORK/secret-users.out" 2>&1 || return 1
  # The dead letters, read back from a standalone broker: their payloads are shown, their secrets are not.
  local brokers="127.0.0.1:$((20000 + RANDOM % 20000))"
  "$BIN" broker --port "${brokers#*:}" >"$WORK/secret-broker.txt" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 150); do grep -q "bootstrap" "$WORK/secret-broker.txt" && break; sleep 0.2; done
  "$BIN" ingest --brokers "$brokers" --source "http://127.0.0.1:$port/api/" --seed secret-dlq --count 100 \
    --log-level trace >"$WORK/secret-ingest.out" 2>&1 || { tail -5 "$WORK/secret-ingest.out"; return 1; }
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" process --brokers "$brokers" --store "sqlite:$WORK/secret.sqlite" --count 100 \
    --log-level trace >"$WORK/secret-process.out" 2>&1 || { tail -5 "$WORK/secret-process.out"; return 1; }
  USERSTREAM_SESSION_TIMEOUT=6s "$BIN" dlq list --brokers "$brokers" --idle 2s --show 1000 --json \
    >"$WORK/secret-dlq.out" 2>&1 || return 1
  grep -q goldenpeacock430 "$WORK/secret-dlq.out" || { echo "the dead letters' payloads are not shown"; return 1; }
  # Failures that name credentials: a refused Cassandra login target and a refused Kafka property.
  "$BIN" users count --store "cassandra://127.0.0.1:1/ks" >"$WORK/secret-cass.out" 2>&1
  "$BIN" run --count 1 --producer-property sasl.password=prop-S3CR3T --producer-property no.such.property=1 \
    >"$WORK/secret-prop.out" 2>&1
  # The HTTP face over the same store, with a token that is a credential too: answers, metrics and its log.
  local hport; hport=$(free_port)
  USERSTREAM_HTTP_TOKEN=tok-S3CR3T "$BIN" serve --store "sqlite:$WORK/secret.sqlite" --http "0.0.0.0:$hport" \
    --log-level trace >"$WORK/secret-serve.out" 2>&1 &
  local serving=$!; PIDS+=("$serving")
  wait_http "http://127.0.0.1:$hport/health" || { cat "$WORK/secret-serve.out"; return 1; }
  local path id
  for path in "/api/users?limit=500" /api/stats /metrics /ready /; do
    http_get "http://127.0.0.1:$hport$path" tok-S3CR3T >>"$WORK/secret-http.out"
  done
  id=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1].split(" ", 1)[1])["users"][0]["user_id"])' \
    "$(http_get "http://127.0.0.1:$hport/api/users?limit=1" tok-S3CR3T)") || return 1
  http_get "http://127.0.0.1:$hport/api/users/$id" tok-S3CR3T >>"$WORK/secret-http.out"
  grep -q '"users":\[{' "$WORK/secret-http.out" || { echo "no users served"; head -c 300 "$WORK/secret-http.out"; return 1; }
  kill "$serving"; wait "$serving" 2>/dev/null
  unset USERSTREAM_CASSANDRA_USERNAME USERSTREAM_CASSANDRA_PASSWORD USERSTREAM_SASL_PASSWORD
  grep -q " trace " "$WORK/secret-text.err" && grep -q '"level":"trace"' "$WORK/secret-json.err" || { echo "no trace lines"; return 1; }
  if grep -l "S3CR3T" "$WORK"/secret-* 2>/dev/null; then echo "a secret leaked (files above)"; return 1; fi
  ! strings "$WORK/secret.sqlite"* | grep -q S3CR3T || { echo "a secret is in the store"; return 1; }
}
check "secrets: marker passwords, salts, hashes, ids and credentials appear in no output, log, letter, row, API answer or metric" secrets_nowhere

http_face() {
  [ -f "$WORK/run.sqlite" ] || "$BIN" run --count 3000 --store "sqlite:$WORK/run.sqlite" >/dev/null 2>&1
  local port; port=$(free_port)
  "$BIN" serve --store "sqlite:$WORK/run.sqlite" --http "127.0.0.1:$port" >"$WORK/serve.out" 2>"$WORK/serve.err" &
  local pid=$!; PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/health" || { cat "$WORK/serve.err"; return 1; }
  local page; page=$(http_get "http://127.0.0.1:$port/api/users?limit=2")
  [[ "$page" == "200 {\"users\":[{"* && "$page" == *'"next":"'* ]] || { echo "page: $page"; return 1; }
  local id; id=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1].split(" ", 1)[1])["users"][0]["user_id"])' "$page")
  [[ "$(http_get "http://127.0.0.1:$port/api/users/$id")" == "200 {"*"\"user_id\":\"$id\""* ]] || return 1
  [[ "$(http_get "http://127.0.0.1:$port/api/users/no-such-user")" == "404 "* ]] || return 1
  [[ "$(http_get "http://127.0.0.1:$port/api/users?limit=0")" == "400 "* ]] || return 1
  [[ "$(http_get "http://127.0.0.1:$port/ready")" == '200 {"checks":[{"detail":"answered","name":"store","ok":true}],"ready":true}' ]] || return 1
  [[ "$(http_get "http://127.0.0.1:$port/metrics")" == "200 "*"userstream_http_requests_total{route=\"/api/users/{id}\",method=\"GET\",status=\"404\"} 1"* ]] || return 1
  # The same port again: one line naming the setting, exit 1, before anything else starts.
  "$BIN" serve --store "sqlite:$WORK/run.sqlite" --http "127.0.0.1:$port" >"$WORK/serve2.out" 2>"$WORK/serve2.err"
  local status=$?
  [ "$status" = 1 ] && [ "$(wc -l <"$WORK/serve2.err")" = 1 ] && grep -q "^Error: http.address (--http) 127.0.0.1:$port: the port is in use" "$WORK/serve2.err" \
    || { echo "status $status"; cat "$WORK/serve2.err"; return 1; }
  kill "$pid"; wait "$pid"
}
check "serve: /health, /ready, /metrics, users by id and by page (404, 400); a port in use is one error line, exit 1" http_face

http_token() {
  local port; port=$(free_port)
  "$BIN" serve --store "sqlite:$WORK/run.sqlite" --http "0.0.0.0:$port" >"$WORK/tok.out" 2>"$WORK/tok.err"
  [ $? = 1 ] && grep -q "needs a token: set USERSTREAM_HTTP_TOKEN or --http-token-file" "$WORK/tok.err" || { cat "$WORK/tok.err"; return 1; }
  USERSTREAM_HTTP_TOKEN=e2e-token-b7 "$BIN" serve --store "sqlite:$WORK/run.sqlite" --http "0.0.0.0:$port" >"$WORK/tok.out" 2>"$WORK/tok.err" &
  local pid=$!; PIDS+=("$pid")
  wait_http "http://127.0.0.1:$port/health" || { cat "$WORK/tok.err"; return 1; }
  [[ "$(http_get "http://127.0.0.1:$port/api/stats")" == "401 "* ]] || return 1
  [[ "$(http_get "http://127.0.0.1:$port/api/stats" wrong-token)" == "401 "* ]] || return 1
  [[ "$(http_get "http://127.0.0.1:$port/api/stats" e2e-token-b7)" == "200 {"* ]] || return 1
  ! grep -q "e2e-token-b7" "$WORK/tok.out" "$WORK/tok.err" || { echo "the token was printed"; return 1; }
  kill "$pid"; wait "$pid"
}
check "serve beyond loopback: refused without a token; with one, every route but /health needs it, and it is never printed" http_token

traces() {
  local port; port=$(free_port)
  python3 scripts/lib/otlp-receiver.py "$port" "$WORK/spans.jsonl" & local receiver=$!; PIDS+=("$receiver")
  wait_port "$port" || return 1
  "$BIN" run --count 6000 --page-size 1000 --batch-size 1000 --store "sqlite:$WORK/traces.sqlite" \
    --otlp-endpoint "http://127.0.0.1:$port" --otlp-protocol http/json >"$WORK/traces.out" 2>"$WORK/traces.err" \
    || { cat "$WORK/traces.err"; return 1; }
  kill "$receiver"; wait "$receiver" 2>/dev/null
  python3 - "$WORK/spans.jsonl" <<'PY'
import collections, json, sys
spans = [json.loads(line) for line in open(sys.argv[1])]
by = collections.defaultdict(list)
for span in spans: by[span["name"]].append(span)
print({name: len(found) for name, found in by.items()})
ids = lambda name: {(s["trace"], s["span"]) for s in by[name]}
pages, produced, consumed = ids("source.page"), ids("kafka.produce"), ids("kafka.consume")
assert len(pages) == 6 and len(produced) == 6, "a page and a produced batch per 1,000 users"
assert all((s["trace"], s["parent"]) in pages for s in by["kafka.produce"]), "a produced batch is its page's child"
linked = {tuple(link) for s in by["kafka.consume"] for link in s["links"]}
assert linked == produced, f"consumed batches link to exactly the produced batches: {len(linked)} of {len(produced)}"
written = {tuple(link) for s in by["store.write"] for link in s["links"]}
assert by["store.write"] and written <= consumed and written, "store writes link to the consumed batches they wrote"
assert all(s["parent"] is None for s in by["kafka.consume"]), "a consumed batch starts its own trace, linked across the hop"
print("traces: page -> produce (child) -> consume (link) -> store.write (link)")
PY
}
check "traces: spans per page, produced batch, consumed batch and store write reach an OTLP receiver, linked across the Kafka hop" traces

schedule_and_runs() {
  local errors="$WORK/sched-errors.txt"; : >"$errors"
  bad_schedule() { # the arguments of one bad schedule: exit 64, one Error: line
    "$BIN" schedule "$@" >"$WORK/sched.out" 2>"$WORK/sched.err"
    local status=$?
    [ "$status" = 64 ] && [ "$(wc -l <"$WORK/sched.err")" = 1 ] && grep -q "^Error: " "$WORK/sched.err" \
      || { echo "schedule $*: status $status"; cat "$WORK/sched.err"; return 1; }
    cat "$WORK/sched.err" >>"$errors"
  }
  bad_schedule --every 0.5s || return 1
  bad_schedule --cron "61 * * * *" || return 1
  bad_schedule --cron "0 * * * *" --time-zone Mars/Base || return 1
  bad_schedule --every 1s --cron @daily || return 1
  bad_schedule || return 1
  bad_schedule --every 1s --runs 0 || return 1
  grep -q "minute 61 is out of range 0-59" "$errors" && grep -q "Mars/Base" "$errors" && grep -q "^Error: --runs: 0" "$errors" || { cat "$errors"; return 1; }
  local port; port=$(free_port)
  "$BIN" broker --port "$port" >"$WORK/sched-broker.txt" 2>&1 &
  PIDS+=($!)
  wait_port "$port" || return 1
  local state="$WORK/state.sqlite"
  "$BIN" schedule --brokers "127.0.0.1:$port" --every 1s --users-per-run 10 --runs 2 --duration 60s --state "$state" \
    >"$WORK/sched-run.out" 2>"$WORK/sched-run.err" || { tail -5 "$WORK/sched-run.err"; return 1; }
  grep -q "^runs in $state: success " "$WORK/sched-run.out" || { cat "$WORK/sched-run.out"; return 1; }
  "$BIN" runs list --state "$state" --json >"$WORK/runs.json" || return 1
  python3 - "$WORK/runs.json" <<'PY' || return 1
import json, sys
runs = [json.loads(line) for line in open(sys.argv[1])]
assert sum(run["state"] == "success" for run in runs) == 2, runs
assert all(run["state"] in ("success", "skipped") for run in runs), runs
assert all(run["users"] == 10 and run["seed"].startswith("userstream-") for run in runs if run["state"] == "success"), runs
PY
  local first; first=$(python3 -c 'import json, sys; print(min(json.loads(l)["id"] for l in open(sys.argv[1])))' "$WORK/runs.json")
  "$BIN" runs rerun "$first" --brokers "127.0.0.1:$port" --state "$state" >"$WORK/rerun.out" 2>&1 || { cat "$WORK/rerun.out"; return 1; }
  grep -q "^run $first success after 2 attempts: produced 10$" "$WORK/rerun.out" || { cat "$WORK/rerun.out"; return 1; }
  "$BIN" runs rerun 999 --brokers "127.0.0.1:$port" --state "$state" >"$WORK/rerun-missing.out" 2>&1
  [ $? = 1 ] && grep -q "^Error: no run 999 in the run history $state" "$WORK/rerun-missing.out" || { cat "$WORK/rerun-missing.out"; return 1; }
}
check "schedule: bad schedules are one line, exit 64; a schedule's runs in the history (runs list --json), a run re-run by id" schedule_and_runs

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
