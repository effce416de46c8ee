#!/usr/bin/env bash
# Crash harness (issue 11, "Tests that prove it"): `ingest` and `process` SIGKILLed at random moments and restarted,
# on standalone embedded brokers, then the end state checked exactly against an uninterrupted reference run.
#
#   1. reference  broker R: one ingest of N synthetic users (2% bad), one uninterrupted `process`: the valid set
#                 (ids and content of the rows) and the bad set (dead letters by reason) to expect.
#   2. ingest     broker A: the same ingest SIGKILLed at random moments and restarted from its last acknowledged
#                 page until one run completes; then one uninterrupted `process`: the store must hold exactly the
#                 reference's valid set (no acknowledged user lost; copies on the topic are allowed).
#   3. process    broker C: the same ingest once; `process` SIGKILLed >= 10 times while records remain (in turn: a
#                 random 0.3-3 s after its first commit, and as soon as its progress shows a new commit, with more
#                 writes in flight behind it), restarted each time, then drained with --idle-exit: some kills fell
#                 between a store write and its commit (users written again), the store holds exactly the valid
#                 set, the dead-letter topic exactly the bad set (unique), and the broker dropped nothing.
#
# Prints one line per check and closes with "crash-harness: N passed, M failed"; exits 1 on a failure.
# Settings (environment): USERSTREAM_BIN (binary, default .build/debug/userstream), CRASH_USERS (100000),
# CRASH_PARTITIONS (12), CRASH_PROCESS_KILLS (12 attempts, >= 10 must land while records remain),
# CRASH_INGEST_KILLS (5), CRASH_BATCH_SIZE (1), CRASH_RANDOM (seed of the kill timings), CRASH_TIME_LIMIT (330 s),
# CRASH_KEEP=1 (keep the temp folder). See docs/crash-harness.md.
set -uo pipefail
cd "$(dirname "$0")/.."
started_at=$SECONDS
BIN=${USERSTREAM_BIN:-.build/debug/userstream}
# Many processes run at once here: none serves HTTP unless a check asks for it (--http).
export USERSTREAM_HTTP=off
[ -x "$BIN" ] || swift build --product userstream >&2
[ -x "$BIN" ] || { echo "crash-harness: no binary at $BIN" >&2; exit 1; }
command -v python3 >/dev/null || { echo "crash-harness: python3 is needed to compare the stores" >&2; exit 1; }

N=${CRASH_USERS:-100000}
PARTITIONS=${CRASH_PARTITIONS:-12}
PROCESS_KILLS=${CRASH_PROCESS_KILLS:-12}
MIN_PROCESS_KILLS=10
INGEST_KILLS=${CRASH_INGEST_KILLS:-5}
BATCH_SIZE=${CRASH_BATCH_SIZE:-1}
TIME_LIMIT=${CRASH_TIME_LIMIT:-330}
CRASH_RANDOM=${CRASH_RANDOM:-$((RANDOM * 32768 + RANDOM))}
RANDOM=$CRASH_RANDOM
PAGE_SIZE=2000
# The ingester keeps up to two pages in flight, and they may be acknowledged out of order: a restart goes back
# this many pages from the last reported count (copies on the topic are harmless, a skipped page would not be).
RESUME_MARGIN_PAGES=2
SOURCE=(--source synthetic --seed crash --bad-fraction 0.02 --page-size "$PAGE_SIZE" --compression zstd)
GROUP_FLAGS=(--session-timeout 6s)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/crash-harness.XXXXXX")
# A private copy: a rebuild of .build/debug/userstream during the run must not change or remove the binary under test.
cp "$BIN" "$WORK/userstream" || exit 1
US="$WORK/userstream"
PIDS=()
WATCHDOG=
passed=0; failed=0

cleanup() {
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  wait 2>/dev/null
  if [ "${CRASH_KEEP:-0}" = 1 ]; then echo "crash-harness: kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
on_signal() {
  echo "FAIL $1 after $((SECONDS - started_at)) s"
  echo "crash-harness: $passed passed, $((failed + 1)) failed"
  exit 1
}
trap 'on_signal "time limit of $TIME_LIMIT s exceeded"' USR1
trap 'on_signal "interrupted"' INT TERM
# The watchdog's sleep is its own child, ended with it, and holds no output open (a pipe reader would wait for it).
( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM; sleep "$TIME_LIMIT" & sleeper=$!; wait "$sleeper" && kill -USR1 $$ ) \
  </dev/null >/dev/null 2>&1 &
WATCHDOG=$!

log() { echo "     $*"; }
ok() { passed=$((passed + 1)); echo "ok   $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
alive() { kill -0 "$1" 2>/dev/null; }
show_tail() { [ -f "$1" ] && tail -n "${2:-8}" "$1" | cut -c1-240 | sed 's/^/       | /'; }

# The last progress line's value of a counter (fetched, produced, stored, rejected), 0 before the first line.
progress() {
  local value
  value=$(grep -aE '^\[[0-9.]+s\] ' "$1" 2>/dev/null | tail -n 1 | sed -nE "s/.* $2 ([0-9]+).*/\1/p")
  echo "${value:-0}"
}

# Starts `userstream broker` on a free port; sets BROKERS. $1: a name for its output.
start_broker() {
  local name=$1 port attempt
  for attempt in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 40000))
    "$US" broker --port "$port" --partitions "$PARTITIONS" >"$WORK/$name.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    local deadline=$((SECONDS + 15))
    while [ $SECONDS -lt $deadline ] && alive "$pid" && ! grep -q "bootstrap" "$WORK/$name.log"; do sleep 0.1; done
    if grep -q "bootstrap" "$WORK/$name.log"; then
      BROKERS="127.0.0.1:$port"; eval "${name}_PID=$pid"
      return 0
    fi
    kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  done
  echo "crash-harness: the broker $name did not start" >&2; show_tail "$WORK/$name.log"
  return 1
}
stop_broker() { local pid; eval "pid=\${$1_PID:-}"; [ -n "$pid" ] && { kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }; }

# Waits for pid with a deadline in seconds; sets STATUS to its exit status (or "timeout" after killing it).
wait_bounded() {
  local pid=$1 deadline=$((SECONDS + $2))
  while alive "$pid" && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
  if alive "$pid"; then kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; STATUS=timeout; return; fi
  wait "$pid"; STATUS=$?
}

# One uninterrupted run of a command in the background, bounded: $1 name, $2 seconds, then the command; sets STATUS.
run_bounded() {
  local name=$1 limit=$2; shift 2
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  local pid=$!
  PIDS+=("$pid")
  wait_bounded "$pid" "$limit"
}

summary_value() { sed -nE "s/^  $2 +([0-9]+).*/\1/p" "$WORK/$1.out" | head -n 1; }

# Compares the users table of two SQLite stores: same user_ids, same content (every column but the ones that
# depend on when and where the record was read). Prints the figures; exits 0 when they are equal.
compare_stores() {
  python3 - "$1" "$2" <<'EOF'
import sqlite3, sys
volatile = {"fetched_at", "processed_at", "source_partition", "source_offset"}
ref = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
ref.execute("attach database ? as got", (f"file:{sys.argv[2]}?mode=ro",))
cols = [r[1] for r in ref.execute("pragma main.table_info(users)") if r[1] not in volatile]
one = lambda q: ref.execute(q).fetchone()[0]
n_ref, n_got = one("select count(*) from main.users"), one("select count(*) from got.users")
missing = one("select count(*) from main.users r where not exists (select 1 from got.users g where g.user_id = r.user_id)")
extra = one("select count(*) from got.users g where not exists (select 1 from main.users r where r.user_id = g.user_id)")
differ = " or ".join(f"r.{c} is not g.{c}" for c in cols)
changed = one(f"select count(*) from main.users r join got.users g using (user_id) where {differ}")
print(f"reference {n_ref} rows, got {n_got}: {missing} missing, {extra} extra, {changed} with other content "
      f"({len(cols)} columns compared)")
for (uid,) in ref.execute("select user_id from main.users r where not exists "
                          "(select 1 from got.users g where g.user_id = r.user_id) limit 3"):
    print(f"missing: {uid}")
sys.exit(0 if n_ref == n_got and missing == 0 and extra == 0 and changed == 0 else 1)
EOF
}

# `dlq list` of a broker's dead-letter topic: sets DLQ_UNIQUE, DLQ_COPIES and DLQ_REASONS ("reason=count ...").
dlq_read() {
  local brokers=$1 name=$2 status
  run_bounded "$name" 60 "$US" dlq list --brokers "$brokers" --show 0 "${GROUP_FLAGS[@]}"; status=$STATUS
  DLQ_UNIQUE=$(sed -nE 's/^([0-9]+) dead letters in .*/\1/p' "$WORK/$name.out" | head -n 1)
  DLQ_COPIES=$(sed -nE 's/^[0-9]+ dead letters in .*\(([0-9]+) copies dropped\).*/\1/p' "$WORK/$name.out" | head -n 1)
  DLQ_COPIES=${DLQ_COPIES:-0}
  DLQ_REASONS=$(sed -nE 's/^  ([a-z_]+): ([0-9]+).*/\1=\2/p' "$WORK/$name.out" | sort | tr '\n' ' ')
  [ "$status" = 0 ] && [ -n "$DLQ_UNIQUE" ]
}

# Remembers when each stored user was first written (after each kill); at the end, users written again later were
# written before a kill and not committed: the kill fell between their write and their commit.
remember_written() {
  python3 - "$WORK/seen.sqlite" "$1" "$2" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("attach database ? as s", (f"file:{sys.argv[2]}?mode=ro",))
con.execute("create table if not exists seen (user_id text primary key, processed_at integer, kill integer)")
con.execute("insert or ignore into seen select user_id, processed_at, ? from s.users", (int(sys.argv[3]),))
con.commit()
EOF
}
written_again() {
  python3 - "$WORK/seen.sqlite" "$1" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
con.execute("attach database ? as s", (f"file:{sys.argv[2]}?mode=ro",))
rows, kills = con.execute("select count(*), count(distinct seen.kill) from seen join s.users u using (user_id) "
                          "where seen.processed_at is not u.processed_at").fetchone()
print(f"{rows} {kills}")
EOF
}

lost_lines() { cat "$@" 2>/dev/null | grep -c "records lost"; }

echo "crash-harness: $N users (2% bad), $PARTITIONS partitions, batch size $BATCH_SIZE, CRASH_RANDOM=$CRASH_RANDOM"

# ---------------------------------------------------------------------------------------------------------------
# 1. The reference: the same data through one ingest and one uninterrupted process.
start_broker R || { fail "reference broker started"; echo "crash-harness: $passed passed, $failed failed"; exit 1; }
REF_BROKERS=$BROKERS
VALID=; BAD=; REF_REASONS=
reference() {
  local status
  run_bounded ref-ingest 120 "$US" ingest --brokers "$REF_BROKERS" "${SOURCE[@]}" --count "$N"; status=$STATUS
  [ "$status" = 0 ] && grep -q "^produced $N users" "$WORK/ref-ingest.out" \
    || { log "reference ingest: status $status"; show_tail "$WORK/ref-ingest.err"; return 1; }
  run_bounded ref-process 180 "$US" process --brokers "$REF_BROKERS" --store "sqlite:$WORK/ref.sqlite" \
    --group reference "${GROUP_FLAGS[@]}" --idle-exit 5s --progress-interval 5s; status=$STATUS
  [ "$status" = 0 ] || { log "reference process: status $status"; show_tail "$WORK/ref-process.err"; return 1; }
  local handled stored rejected lost
  handled=$(summary_value ref-process handled); stored=$(summary_value ref-process stored)
  rejected=$(summary_value ref-process rejected)
  lost=$(lost_lines "$WORK/ref-process.err")
  VALID=$("$US" users count --store "sqlite:$WORK/ref.sqlite" 2>/dev/null)
  dlq_read "$REF_BROKERS" ref-dlq || { log "reference dlq list failed"; show_tail "$WORK/ref-dlq.err"; return 1; }
  BAD=$DLQ_UNIQUE; REF_REASONS=$DLQ_REASONS
  log "reference: handled $handled, stored $stored, rejected $rejected, rows in store $VALID, dead letters $BAD" \
    "($DLQ_REASONS), records lost $lost"
  [ "$lost" = 0 ] || log "the broker dropped records (\"records lost\" in the log): $N users do not fit in" \
    "$PARTITIONS partitions of ~5 MiB; use more partitions (CRASH_PARTITIONS) or fewer users (CRASH_USERS)"
  [ "$handled" = "$N" ] && [ "$lost" = 0 ] && [ "$VALID" = "$stored" ] && [ "$BAD" = "$rejected" ] \
    && [ $((VALID + BAD)) -eq "$N" ] && [ "$DLQ_COPIES" = 0 ] || return 1
  # 2% bad, give or take: a different count means the data is not what this harness expects.
  [ $((BAD * 100)) -ge "$N" ] && [ $((BAD * 100)) -le $((3 * N)) ]
}
if reference; then
  ok "reference: $N users, one ingest and one uninterrupted process: $VALID valid, $BAD bad, nothing lost"
else
  fail "reference: one ingest and one uninterrupted process account for all $N users"
  echo "crash-harness: $passed passed, $failed failed"
  exit 1
fi
stop_broker R

# ---------------------------------------------------------------------------------------------------------------
# 2. ingest SIGKILLed at random moments, restarted from its last acknowledged page until one run completes.
start_broker A || { fail "ingest broker started"; echo "crash-harness: $passed passed, $failed failed"; exit 1; }
ING_BROKERS=$BROKERS
ingest_kills=0; ingest_runs=0; ingest_done=0
ingest_with_kills() {
  local page=1 left=$N deadline=$((SECONDS + 150))
  while [ $SECONDS -lt $deadline ]; do
    ingest_runs=$((ingest_runs + 1))
    local name="ingest-$ingest_runs"
    "$US" ingest --brokers "$ING_BROKERS" "${SOURCE[@]}" --page "$page" --count "$left" --progress-interval 100ms \
      >"$WORK/$name.out" 2>"$WORK/$name.err" &
    local pid=$!
    PIDS+=("$pid")
    local status
    if [ $ingest_kills -lt "$INGEST_KILLS" ]; then
      # Kill once the run reports a random share (up to half) of its users produced, or at once (a kill before any
      # is acknowledged); at most half, so that the later runs still have work to be killed in.
      local target=$((RANDOM % 8 == 0 ? 0 : (RANDOM * 32768 + RANDOM) % (left / 2 + 1)))
      local until=$((SECONDS + 60))
      while alive "$pid" && [ "$(progress "$WORK/$name.err" produced)" -lt "$target" ] && [ $SECONDS -lt $until ]; do
        sleep 0.02
      done
      if alive "$pid"; then
        kill -KILL "$pid"; wait "$pid" 2>/dev/null
        local produced pages
        produced=$(progress "$WORK/$name.err" produced)
        pages=$((produced / PAGE_SIZE - RESUME_MARGIN_PAGES)); [ $pages -lt 0 ] && pages=0
        ingest_kills=$((ingest_kills + 1))
        log "ingest run $ingest_runs (page $page, $left users) SIGKILLed at produced $produced; next from page $((page + pages))"
        page=$((page + pages)); left=$((left - pages * PAGE_SIZE))
        continue
      fi
      wait "$pid"; status=$?
    else
      wait_bounded "$pid" 120; status=$STATUS
    fi
    if [ "$status" = 0 ] && grep -q "^produced $left users" "$WORK/$name.out"; then
      log "ingest run $ingest_runs (page $page, $left users) completed"
      ingest_done=1
      return 0
    fi
    log "ingest run $ingest_runs: status $status"; show_tail "$WORK/$name.err"
    return 1
  done
  return 1
}
ingest_checked() {
  ingest_with_kills || return 1
  local status
  run_bounded ingest-process 180 "$US" process --brokers "$ING_BROKERS" --store "sqlite:$WORK/ingest.sqlite" \
    --group after-ingest "${GROUP_FLAGS[@]}" --idle-exit 5s --progress-interval 5s; status=$STATUS
  [ "$status" = 0 ] || { log "process after the ingest kills: status $status"; show_tail "$WORK/ingest-process.err"; return 1; }
  local handled lost
  handled=$(summary_value ingest-process handled)
  lost=$(lost_lines "$WORK/ingest-process.err")
  log "topic after $ingest_kills ingest kills: $handled messages for $N users ($((handled - N)) copies), records lost $lost"
  local comparison comparison_status
  comparison=$(compare_stores "$WORK/ref.sqlite" "$WORK/ingest.sqlite" 2>&1); comparison_status=$?
  log "$comparison"
  [ "$lost" = 0 ] && [ $comparison_status = 0 ]
}
if ingest_checked && [ $ingest_kills -ge 3 ]; then
  ok "ingest SIGKILLed $ingest_kills times and restarted: every user on the topic, the store holds exactly the valid set"
else
  fail "ingest SIGKILLed $ingest_kills times (>= 3) and restarted: no acknowledged user lost"
fi
stop_broker A

# ---------------------------------------------------------------------------------------------------------------
# 3. process SIGKILLed >= 10 times while records remain, restarted each time, then drained.
start_broker C || { fail "process broker started"; echo "crash-harness: $passed passed, $failed failed"; exit 1; }
CRASH_BROKERS=$BROKERS
STORE="sqlite:$WORK/crash.sqlite"
PROCESS=(process --brokers "$CRASH_BROKERS" --store "$STORE" --group crash "${GROUP_FLAGS[@]}" --batch-size "$BATCH_SIZE")
process_kills=0; kills_with_records_left=0; process_runs=0; unexpected_exits=0
process_with_kills() {
  local status
  run_bounded crash-ingest 120 "$US" ingest --brokers "$CRASH_BROKERS" "${SOURCE[@]}" --count "$N"; status=$STATUS
  [ "$status" = 0 ] && grep -q "^produced $N users" "$WORK/crash-ingest.out" \
    || { log "ingest: status $status"; show_tail "$WORK/crash-ingest.err"; return 1; }
  local attempt
  for attempt in $(seq 1 "$PROCESS_KILLS"); do
    process_runs=$((process_runs + 1))
    local name="process-$process_runs"
    "$US" "${PROCESS[@]}" --progress-interval 100ms >"$WORK/$name.out" 2>"$WORK/$name.err" &
    local pid=$!
    PIDS+=("$pid")
    # Wait until this run has stored something (the group first waits for the killed member's session to end).
    local until=$((SECONDS + 60))
    while alive "$pid" && [ "$(progress "$WORK/$name.err" stored)" = 0 ] && [ $SECONDS -lt $until ]; do sleep 0.05; done
    if ! alive "$pid" || [ "$(progress "$WORK/$name.err" stored)" = 0 ]; then
      alive "$pid" && { kill -KILL "$pid"; wait "$pid" 2>/dev/null; }
      wait "$pid" 2>/dev/null
      unexpected_exits=$((unexpected_exits + 1))
      log "process run $process_runs stored nothing within 60 s, or exited by itself"; show_tail "$WORK/$name.err"
      return 1
    fi
    local kind before
    before=$("$US" users count --store "$STORE" 2>/dev/null || echo 0)
    if [ $((attempt % 2)) = 1 ] && [ $((before * 10)) -lt $((VALID * 6)) ]; then
      local delay=$((300 + RANDOM % 2701))
      kind="after $(ms $delay) s"
      sleep "$(ms $delay)"
    else
      # As soon as the progress shows a new store write committed: more writes are in flight behind it.
      local seen
      seen=$(progress "$WORK/$name.err" stored)
      until=$((SECONDS + 20))
      while alive "$pid" && [ "$(progress "$WORK/$name.err" stored)" = "$seen" ] && [ $SECONDS -lt $until ]; do
        sleep 0.01
      done
      kind="right after a write (stored $seen -> $(progress "$WORK/$name.err" stored))"
    fi
    if ! alive "$pid"; then
      wait "$pid"; status=$?
      unexpected_exits=$((unexpected_exits + 1))
      log "process run $process_runs exited by itself with status $status"; show_tail "$WORK/$name.err"
      return 1
    fi
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    process_kills=$((process_kills + 1))
    local after
    after=$("$US" users count --store "$STORE" 2>/dev/null || echo 0)
    if [ "$after" -lt "$VALID" ]; then kills_with_records_left=$((kills_with_records_left + 1)); fi
    remember_written "$WORK/crash.sqlite" "$process_kills" || log "could not read the store after the kill"
    log "process run $process_runs SIGKILLed $kind: $after of $VALID users in the store"
  done
  # The drain: --idle-exit counts only while partitions are assigned and caught up.
  process_runs=$((process_runs + 1))
  run_bounded drain 180 "$US" "${PROCESS[@]}" --idle-exit 5s --progress-interval 5s; status=$STATUS
  log "drain: status $status; $(grep -E '^  (handled|stored|rejected) ' "$WORK/drain.out" | tr -s ' ' | tr '\n' ';')"
  [ "$status" = 0 ] || { show_tail "$WORK/drain.err" 12; return 1; }
}
if process_with_kills && [ $kills_with_records_left -ge $MIN_PROCESS_KILLS ]; then
  ok "process SIGKILLed $process_kills times ($kills_with_records_left with records left), restarted, drained: exit 0"
else
  fail "process SIGKILLed >= $MIN_PROCESS_KILLS times with records left ($kills_with_records_left of $process_kills), restarted, drained: exit 0"
fi

# Users first seen in the store after kill k and written again later: kill k fell between their write and commit.
rewritten=?; rewritten_kills=?
[ -f "$WORK/seen.sqlite" ] && read -r rewritten rewritten_kills < <(written_again "$WORK/crash.sqlite" 2>/dev/null || echo "? ?")
if [ "$rewritten_kills" != "?" ] && [ "$rewritten_kills" -ge 1 ]; then
  ok "kills fell between a store write and its commit: $rewritten_kills of $process_kills kills ($rewritten users written again)"
else
  fail "kills fell between a store write and its commit: ${rewritten_kills:-?} of $process_kills kills"
fi

# The end state.
stored=$("$US" users count --store "$STORE" 2>/dev/null || echo "?")
echo "     store: $stored users (expected $VALID valid)"
comparison=$(compare_stores "$WORK/ref.sqlite" "$WORK/crash.sqlite" 2>&1); comparison_status=$?
log "$comparison"
if [ "$stored" = "$VALID" ] && [ $comparison_status = 0 ]; then
  ok "the store holds exactly the valid set: $stored users, same ids and content as the reference"
else
  fail "the store holds exactly the valid set: $stored users, expected $VALID"
fi

if dlq_read "$CRASH_BROKERS" crash-dlq; then
  echo "     dlq: $DLQ_UNIQUE unique dead letters (expected $BAD bad records), $DLQ_COPIES copies dropped"
  log "by reason: $DLQ_REASONS"
  if [ "$DLQ_UNIQUE" = "$BAD" ] && [ "$DLQ_REASONS" = "$REF_REASONS" ]; then
    ok "the dead-letter topic holds exactly the bad set, unique: $DLQ_UNIQUE letters, same reasons as the reference"
  else
    log "reference: $REF_REASONS"
    fail "the dead-letter topic holds exactly the bad set, unique: $DLQ_UNIQUE letters, expected $BAD"
  fi
else
  show_tail "$WORK/crash-dlq.err"
  fail "dlq list reads the dead-letter topic"
fi

lost=$(lost_lines "$WORK"/process-*.err "$WORK/drain.err")
if [ "$lost" = 0 ]; then
  ok "the broker dropped nothing: no \"records lost\" gap in $process_runs process runs"
else
  grep -h "records lost" "$WORK"/process-*.err "$WORK/drain.err" | head -n 3 | cut -c1-200 | sed 's/^/       | /'
  fail "the broker dropped nothing: $lost \"records lost\" lines (keep the data within ~5 MiB per partition)"
fi

echo "     kills: process $process_kills ($kills_with_records_left with records left, $rewritten_kills between a write" \
  "and its commit), ingest $ingest_kills; time $((SECONDS - started_at)) s"
echo "crash-harness: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
