#!/usr/bin/env bash
# A support desk under load, against the real jar started with the JVM flags of ./run: 200-agent
# chat channels, routing requests mixed with closes, measured with wrk on the same machine.
# Prints start-up time, decisions/s (201s; closes counted apart), p50/p99, errors, resident memory,
# and on PostgreSQL two references measured in the same run: pgbench TPC-B, and pgbench sending the
# desk's own statements (desk.pgbench). Knobs (defaults in brackets):
#   STORE [h2]          h2: the embedded database; pg: a fresh database on 127.0.0.1:5432 (user postgres), dropped after
#   INSTANCES [1]       2: two services on the one PostgreSQL database, one wrk each with half the connections
#   CONNECTIONS [64]    wrk connections for the throughput phase
#   LATENCY_CONNECTIONS [8]  connections for the latency phase that follows it (0: skip it)
#   LATENCY_RATE [0]    N > 0: the latency phase's connections together send about N requests/s, each
#                       pausing before its next request; 0: each sends its next as soon as it is answered
#   WARMUP [90]         seconds of routing before measuring (the JIT is still busy after 40 s on 2 cores)
#   DURATION [30]       seconds per measured phase
#   USERS [1000]        directory size (teams of 20; 20 inboxes, each a chat and an email channel over 10 teams)
#   PRELOAD [0]         N > 0: measure, then stop, bulk-load N closed conversations, start again, measure
#                       again and print the ratio (the growth test)
#   XMX [512m]          the heap limit (-Xmx), as ./run sets it
#   CLOSES [1]          0: routing requests only, no closes mixed in
#   PGBENCH [1]         0: skip the pgbench references      PORT [7090] (the second instance uses PORT+1)
set -euo pipefail
cd "$(dirname "$0")/../.."
STORE=${STORE:-h2} INSTANCES=${INSTANCES:-1} CONNECTIONS=${CONNECTIONS:-64} LATENCY_CONNECTIONS=${LATENCY_CONNECTIONS:-8}
WARMUP=${WARMUP:-90} DURATION=${DURATION:-30} USERS=${USERS:-1000} PRELOAD=${PRELOAD:-0} XMX=${XMX:-512m}
PGBENCH=${PGBENCH:-1} PORT=${PORT:-7090} LATENCY_RATE=${LATENCY_RATE:-0}
INBOXES=20
PG="-h 127.0.0.1 -p 5432 -U postgres"
export PGOPTIONS="-c client_min_messages=warning" # dropdb --if-exists: no notice for a database never made
export ROUTER_ADMIN_TOKEN=bench BENCH_INBOXES=$INBOXES BENCH_CLOSES=${CLOSES:-1}
case "$STORE/$INSTANCES" in
  h2/1 | pg/1 | pg/2) ;;
  h2/2) echo "the embedded database serves one instance: INSTANCES=2 needs STORE=pg" >&2; exit 2 ;;
  *) echo "STORE must be h2 or pg, INSTANCES 1 or 2" >&2; exit 2 ;;
esac
JAR=target/conversation-router.jar
# ./run builds the jar when it is missing or older than the sources: here, so that no timed start-up includes a build.
./run --help > /dev/null
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ "$STORE" = pg ]; then
  command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client; }
fi
WORK=$(mktemp -d /tmp/router-desk.XXXXXX)
DB=router_desk_$$ REFDB=router_pgbench_$$
PIDS=()
cleanup() {
  [ ${#PIDS[@]} -eq 0 ] || kill "${PIDS[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "$STORE" = pg ]; then dropdb $PG --if-exists "$DB"; dropdb $PG --if-exists "$REFDB"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
for i in $(seq 0 $((INSTANCES - 1))); do
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$((PORT + i))/" && rc=0 || rc=$? # 7: nothing listens
  [ "$rc" -eq 7 ] || { echo "port $((PORT + i)) is in use: stop what runs there first, or set PORT" >&2; exit 1; }
done
[ "$STORE" = h2 ] || createdb $PG "$DB"
DB_ARGS=()
[ "$STORE" = h2 ] || DB_ARGS=(--db-url "jdbc:postgresql://127.0.0.1:5432/$DB?user=postgres")

# One instance at a time, each timed from ./run to its first answered request (GET
# /health answers 503 until the first rule set is in force); the first start is on an empty database.
start() {
  PIDS=()
  for i in $(seq 0 $((INSTANCES - 1))); do
    local port=$((PORT + i)) t0
    t0=$(date +%s%N)
    JAVA_OPTS="-Xmx$XMX" ./run serve --port "$port" --data "$WORK/data$i" --rules rules "${DB_ARGS[@]}" >> "$WORK/service$i.log" 2>&1 &
    PIDS+=($!)
    until curl -sf -o /dev/null "http://127.0.0.1:$port/health"; do
      kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "instance $i stopped:" >&2; tail -20 "$WORK/service$i.log" >&2; exit 1; }
      sleep 0.02
    done
    echo "start-up of instance $i ($1): $(( ($(date +%s%N) - t0) / 1000000 )) ms to the first answered request"
  done
}
stop() { kill "${PIDS[@]}"; wait "${PIDS[@]}" 2>/dev/null || true; PIDS=(); }

# One wrk per loaded instance (the first $LOADED), at once, the connections split between them;
# prints their sum, and with a key, records "key decisions/s errors" in $WORK/rates.
load() { # phase connections seconds [key]
  local per=$(( $2 / LOADED )) files=() wrks=() before
  before="$(ticks "${PIDS[@]}") $(postgres_ticks) $(machine)"
  for i in $(seq 0 $((LOADED - 1))); do
    wrk -t2 -c"$per" -d"$3s" --timeout 10s -s bench/http/route.lua "http://127.0.0.1:$((PORT + i))" > "$WORK/wrk-$i.out" &
    wrks+=($!) files+=("$WORK/wrk-$i.out")
  done
  wait "${wrks[@]}"
  CPU="$before $(ticks "${PIDS[@]}") $(postgres_ticks) $(machine) $3 $(getconf CLK_TCK)" python3 - "$1" "$2" "${4:-}" "$WORK/rates" "${files[@]}" <<'PY'
import os, re, sys
name, connections, key, rates, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
runs = []
for path in files:
    text = open(path).read()
    line = next((l for l in text.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"{name}: wrk printed no result:\n{text}")
    run = {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
    # wrk's own count of answers outside 2xx/3xx, from its report, as a cross-check of the script's
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    run["wrk_non2xx"] = int(m.group(1)) if m else 0
    runs.append(run)
total = lambda k: sum(r[k] for r in runs)
rate = lambda k: sum(r[k] / r["seconds"] for r in runs)
errors = int(total("failed") + total("socket"))
each = "" if len(runs) == 1 else " (per instance: " + ", ".join(
    f"{r['routed'] / r['seconds']:.0f}/s p99 {r['p99_ms']:.1f} ms" for r in runs) + ")"
print(f"{name} at {connections} connections: decisions/s {rate('routed'):.0f}, closes/s {rate('closed'):.0f}, "
      f"p50 {max(r['p50_ms'] for r in runs):.1f} ms, p99 {max(r['p99_ms'] for r in runs):.1f} ms, "
      f"max {max(r['max_ms'] for r in runs):.0f} ms, errors {errors} (answers neither 201 nor 200: {int(total('failed'))}, "
      f"wrk's non-2xx: {int(total('wrk_non2xx'))}, socket errors and timeouts: {int(total('socket'))}){each}")
# Where the cores went over the phase: the services, PostgreSQL, the whole machine (wrk and the rest
# included), and the time a shared virtual machine lost to its neighbours.
s0, pg0, busy0, steal0, s1, pg1, busy1, steal1, seconds, hz = (float(v) for v in os.environ["CPU"].split())
cores = lambda a, b: (b - a) / hz / seconds
print(f"  cores used: services {cores(s0, s1):.2f}, PostgreSQL {cores(pg0, pg1):.2f}, the whole machine "
      f"{cores(busy0, busy1):.2f} busy and {cores(steal0, steal1):.2f} stolen, of {os.cpu_count()}")
with open(rates + ".errors", "a") as f:
    f.write(f"{errors}\n")
if key:
    with open(rates, "a") as f:
        f.write(f"{key} {rate('routed'):.1f} {errors}\n")
PY
}

# CPU ticks (user + system): of the services, of PostgreSQL's processes (0 on H2), and of the machine
# (busy, then stolen) from /proc/stat.
ticks() { # pids...
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}
postgres_ticks() { [ "$STORE" = h2 ] && echo 0 || ticks $(pgrep -u postgres); }
machine() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $9}' /proc/stat; }

rss() {
  for i in $(seq 0 $((INSTANCES - 1))); do
    awk -v i="$i" '/VmRSS/ {now = $2} /VmHWM/ {peak = $2}
      END {printf "resident memory of instance %d: %d MiB now, %d MiB at its peak\n", i, now / 1024, peak / 1024}' "/proc/${PIDS[$i]}/status"
  done
}

# Warm-up, then the throughput phase (with two instances: first the one alone, the other idle, then
# both), then the latency phase, then memory.
measure() { # phase key
  LOADED=$INSTANCES load "warm-up" "$CONNECTIONS" "$WARMUP"
  [ "$INSTANCES" -eq 1 ] || LOADED=1 load "$1, instance 0 alone" "$CONNECTIONS" "$DURATION" "$2-alone"
  LOADED=$INSTANCES load "$1" "$CONNECTIONS" "$DURATION" "$2"
  if [ "$LATENCY_CONNECTIONS" -gt 0 ]; then
    local pause=0 paced=""
    [ "$LATENCY_RATE" -eq 0 ] || pause=$((LATENCY_CONNECTIONS * 1000 / LATENCY_RATE)) paced=" paced to $LATENCY_RATE requests/s,"
    BENCH_PAUSE_MS=$pause LOADED=$INSTANCES load "$1$paced" "$LATENCY_CONNECTIONS" "$DURATION"
  fi
  rss
}
ratio() { # text numerator-key denominator-key
  awk -v text="$1" -v a="$2" -v b="$3" '$1 == a {x = $2} $1 == b {y = $2} END {if (y > 0) printf "%s = %.2f\n", text, x / y}' "$WORK/rates"
}

preload() {
  local t0; t0=$(date +%s)
  if [ "$STORE" = h2 ]; then
    sed -e "s/\${N}/$PRELOAD/g" -e "s/\${USERS}/$USERS/g" -e "s/\${INBOXES}/$INBOXES/g" bench/http/preload-h2.sql > "$WORK/preload.sql"
    java -cp "$JAR" org.h2.tools.RunScript -url "jdbc:h2:file:$WORK/data0/router;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
      -script "$WORK/preload.sql"
  else
    psql $PG -q -v ON_ERROR_STOP=1 -v N="$PRELOAD" -v USERS="$USERS" -v INBOXES="$INBOXES" -f bench/http/preload-pg.sql "$DB"
  fi
  echo "bulk-loaded $PRELOAD closed conversations in $(( $(date +%s) - t0 )) s"
}

echo "store $STORE, $INSTANCES instance(s), $USERS users, warm-up ${WARMUP}s, ${DURATION}s per phase; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# Other work on the machine shows in the load average before anything starts: near 0 on a quiet machine.
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
# The server's settings that weigh on the figures (autovacuum off: tables are never analysed during a run).
[ "$STORE" = h2 ] || echo "PostgreSQL: $(psql $PG -Atc "SELECT string_agg(name || ' ' || current_setting(name), ', ' ORDER BY name)
  FROM pg_settings WHERE name IN ('autovacuum', 'fsync', 'synchronous_commit', 'shared_buffers', 'server_version')" postgres)"
start "empty database"
python3 bench/http/seed.py --base "http://127.0.0.1:$PORT" --users "$USERS" --teams $(( USERS / 20 )) --inboxes $INBOXES --teams-per-channel 10
# Measured after a restart, as after the bulk load, so that both start from the same cold JIT.
stop
start "seeded"
measure "routing" empty
[ "$INSTANCES" -eq 1 ] || ratio "two instances: decisions/s of both / of one alone" empty empty-alone
if [ "$PRELOAD" -gt 0 ]; then
  stop
  preload
  start "$PRELOAD stored conversations"
  measure "routing with $PRELOAD stored" stored
  ratio "growth: decisions/s with $PRELOAD stored / empty" stored empty
fi
stop
awk '{n += $1} END {printf "errors over the whole run, warm-ups included: %d\n", n}' "$WORK/rates.errors"

if [ "$STORE" = pg ] && [ "$PGBENCH" -eq 1 ]; then
  # The database's own limit for a transaction of this size, on the same server, once the service is
  # stopped; and at one client, the rate when each transaction waits for the one before, as routing
  # decisions do when their channels share agents (they lock the same users rows until they commit).
  createdb $PG "$REFDB"
  pgbench $PG -i -s 10 -q "$REFDB" > "$WORK/pgbench-init.log" 2>&1
  tps() { pgbench $PG "$@" "$REFDB" 2> "$WORK/pgbench.err" | awk '/^tps = / {print $3; exit}'; }
  TPS=$(tps -c 16 -j 2 -T 15) SERIAL=$(tps -c 1 -T 15)
  [ -n "$TPS" ] && [ -n "$SERIAL" ] || { cat "$WORK/pgbench.err" >&2; exit 1; }
  printf 'pgbench TPC-B (-i -s 10; -c 16 -j 2 -T 15): %.0f tps; at one client (-c 1 -T 15): %.0f tps\n' "$TPS" "$SERIAL"
  echo "pgbench $TPS" >> "$WORK/rates"
  ratio "decisions/s (empty database, $INSTANCES instance(s)) / pgbench tps" empty pgbench
  [ "$INSTANCES" -eq 1 ] || ratio "decisions/s (one instance alone) / pgbench tps" empty-alone pgbench
  # The desk's own statements (desk.pgbench: a routing request, then a close unless CLOSES=0) sent
  # by pgbench over as many connections as the service's pool, on the desk's database: the rate
  # PostgreSQL itself allows this work on this machine, with no JVM beside it.
  DESK=$(pgbench $PG -n -M prepared -D closes="$BENCH_CLOSES" -f bench/http/desk.pgbench -c 16 -j 2 -T 15 "$DB" \
    2> "$WORK/pgbench.err" | awk '/^tps = / {print $3; exit}')
  [ -n "$DESK" ] || { cat "$WORK/pgbench.err" >&2; exit 1; }
  printf 'the desk'"'"'s own statements through pgbench (desk.pgbench, -c 16 -j 2 -T 15): %.0f routing requests/s%s\n' \
    "$DESK" "$([ "$BENCH_CLOSES" = 0 ] || echo ', each with a close')"
  echo "desk $DESK" >> "$WORK/rates"
  ratio "decisions/s (empty database, $INSTANCES instance(s)) / the desk's statements through pgbench" empty desk
  ratio "pgbench: the desk's statements / TPC-B" desk pgbench
fi
