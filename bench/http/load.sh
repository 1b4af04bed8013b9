#!/usr/bin/env bash
# HTTP load benchmark against the real jar with the embedded (durable) database.
# Prints: start-up time, the trivial endpoint's ceiling (GET /health/live), routing throughput with
# p50/p99, their ratio, two reference points (a 57 KB static answer; the same POST refused before any
# routing), and the resident memory. Environment knobs (defaults in brackets):
#   USERS [1000] TEAMS [50] INBOXES [20] TEAMS_PER_CHANNEL [10]  the seeded directory
#   PRELOAD [0]        stored (closed) conversations bulk-loaded before measuring (growth test)
#   DURATION [10]      seconds per measurement     CONNECTIONS [64]   wrk connections
#   ROUNDS [5]         ceiling-then-routing rounds; the ratio printed is their median
#   WARMUP [90]        seconds of routing before the first round
#   XMX [512m]         the service's heap limit    PORT [7090]
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-1000} TEAMS=${TEAMS:-50} INBOXES=${INBOXES:-20} TEAMS_PER_CHANNEL=${TEAMS_PER_CHANNEL:-10}
PRELOAD=${PRELOAD:-0} DURATION=${DURATION:-10} ROUNDS=${ROUNDS:-5} WARMUP=${WARMUP:-90} CONNECTIONS=${CONNECTIONS:-64} XMX=${XMX:-512m} PORT=${PORT:-7090}
GC=${GC:-UseG1GC}
export ROUTER_ADMIN_TOKEN=bench BENCH_INBOXES=$INBOXES
JAR=target/conversation-router.jar
[ -f "$JAR" ] || mvn -q -B package -DskipTests
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
DATA=$(mktemp -d /tmp/router-bench.XXXXXX)
BASE=http://127.0.0.1:$PORT
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT

start() {
  curl -s -o /dev/null --max-time 2 "$BASE/" && rc=0 || rc=$? # 7: nothing listens
  [ "$rc" -eq 7 ] || { echo "port $PORT is in use: stop what runs there first, or set PORT" >&2; exit 1; }
  local t0; t0=$(date +%s%N)
  java -Xmx"$XMX" -XX:SharedArchiveFile=target/conversation-router.jsa -XX:+"$GC" -XX:CompileThresholdScaling=8 ${JAVA_OPTS:-} -jar "$JAR" serve --port "$PORT" --data "$DATA" --rules rules > "$DATA/service.log" 2>&1 &
  PID=$!
  until curl -sf "$BASE/health" >/dev/null; do sleep 0.02; done
  echo "start-up to first answered request: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }

start
python3 bench/http/seed.py --base "$BASE" --users "$USERS" --teams "$TEAMS" --inboxes "$INBOXES" --teams-per-channel "$TEAMS_PER_CHANNEL"
if [ "$PRELOAD" -gt 0 ]; then
  stop
  bench/http/preload.sh "$JAR" "$DATA" "$PRELOAD"
  start
fi

# Warm-up of both sides, long enough for the JIT: after 10 s of routing, routing throughput still
# rose by 70% over the next 30 s (Drools' generated classes and H2 are compiled late on two busy
# cores), and on a slow day the compiler still took 0.4 of the 2 cores after 40-60 s (0.05 after
# 100 s), so the first rounds measured the compiler; the first ceiling round was measured while
# still being compiled.
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/http/route.lua "$BASE" > /dev/null
wrk -t2 -c"$CONNECTIONS" -d10s -s bench/http/ceiling.lua "$BASE/health/live" > /dev/null
# Ceiling and routing alternate, ROUNDS times, so that a change in the machine's speed during the
# run (seen here: up to 2x within a day) weighs on both sides of each ratio alike. The ceiling is
# GET /health/live: a constant 15-byte answer, no I/O, the cheapest request the server answers.
RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  CEILING=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/ceiling.lua "$BASE/health/live" | grep RESULT)
  ROUTING=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/route.lua "$BASE" | grep RESULT)
  echo "round $round ceiling (GET /health/live): ${CEILING#RESULT }"
  echo "round $round routing (POST conversations + closes): ${ROUTING#RESULT }"
  RESULTS+=("$CEILING|$ROUTING")
done
# Reference points, once each, to read the ratio against: a large static answer (the 57 KB OpenAPI
# document, which earlier sessions used as the ceiling: it is not the cheapest request), and the
# floor of a routing request without routing (the same POST, parsed, authenticated and refused with
# 422 for an unknown channel before any decision or write).
echo "reference GET /openapi.yaml (57 KB from memory): $(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/ceiling.lua "$BASE/openapi.yaml" | grep RESULT | cut -d' ' -f2-)"
echo "reference POST /api/v1/conversations refused with 422 (HTTP, JSON and auth only): $(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/http/refused.lua "$BASE" | grep RESULT | cut -d' ' -f2-)"
RSS_KB=$(ps -o rss= -p "$PID" | tr -d ' ')
python3 - "${RESULTS[@]}" <<'PY'
import statistics, sys
def parse(line): return {k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])}
rounds = [tuple(map(parse, arg.split("|"))) for arg in sys.argv[1:]]
ratios = [r["requests_per_s"] / c["requests_per_s"] for c, r in rounds]
median = lambda key: statistics.median(r[key] for _, r in rounds)
print(f"ratio: all routing-benchmark requests / ceiling = {statistics.median(ratios):.1%} (median of "
      f"{len(rounds)} rounds: {', '.join(f'{x:.1%}' for x in ratios)}); decisions/s = {median('routing_per_s'):.0f}; "
      f"p50 = {median('p50_ms'):.2f} ms; p99 = {median('p99_ms'):.2f} ms (medians); "
      f"failures = {int(sum(r['failures'] for _, r in rounds))}")
PY
echo "resident memory (RSS) after the run: $(( RSS_KB / 1024 )) MiB (-Xmx$XMX)"
