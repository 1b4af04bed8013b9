#!/usr/bin/env bash
# Compares two builds' routing under load, side by side, on the embedded database: both services run
# at once (each with its own database, seeded alike), and 10 s routing phases alternate between them,
# so a change in the machine's speed weighs on both alike. Prints each pair of phases, then the
# medians of B/A decisions/s and of B/A service CPU per decision (from /proc, user + system).
#   bench/http/compare.sh OLD.jar NEW.jar            # e.g. a jar copied aside before a change
#   PAIRS [7]  WARMUP [90] (s of routing per side before measuring)  JAVA_OPTS_A / JAVA_OPTS_B (extra flags per side)
#   GC_A / GC_B [UseG1GC]  CONNECTIONS [64]  XMX [512m]
#   (the same jar twice with different flags compares settings: GC_B=UseShenandoahGC compare.sh x.jar x.jar)
#   RULES_A / RULES_B [rules]  each side's rules folder (an older build may not compile today's rules)
# A single pair swings by up to +-30% on a 2-core machine shared with wrk: trust the medians only,
# and only for differences larger than the spread they print.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -eq 2 ] || { echo "usage: $0 A.jar B.jar" >&2; exit 2; }
JAR_A=$1 JAR_B=$2
PAIRS=${PAIRS:-7} CONNECTIONS=${CONNECTIONS:-64} XMX=${XMX:-512m}
export ROUTER_ADMIN_TOKEN=bench BENCH_INBOXES=20
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
WORK=$(mktemp -d /tmp/router-compare.XXXXXX)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT

for port in 7090 7091; do # a service left running there would answer for the one started here
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && rc=0 || rc=$? # 7: nothing listens
  [ "$rc" -eq 7 ] || { echo "port $port is in use: stop what runs there first" >&2; exit 1; }
done
# No CDS archive: it belongs to one jar path, and start-up is not compared here. The heap and collector flags are
# ./run's (extra-opts come after it, so JAVA_OPTS_A/B can set another value).
serve() { # jar port name collector extra-opts rules
  java -Xmx"$XMX" -XX:+"$4" -XX:MaxGCPauseMillis=10 $5 -jar "$1" serve --port "$2" --data "$WORK/$3" --rules "$6" > "$WORK/$3.log" 2>&1 &
  PIDS+=($!)
}
start_both() {
  PIDS=()
  serve "$JAR_A" 7090 a "${GC_A:-UseG1GC}" "${JAVA_OPTS_A:-}" "${RULES_A:-rules}"
  serve "$JAR_B" 7091 b "${GC_B:-UseG1GC}" "${JAVA_OPTS_B:-}" "${RULES_B:-rules}"
  for port in 7090 7091; do
    until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
  done
}
start_both
for port in 7090 7091; do
  python3 bench/http/seed.py --base "http://127.0.0.1:$port" --users 1000 --teams 50 --inboxes 20 --teams-per-channel 10 >/dev/null
done
# Warm-up (WARMUP s of routing each, 90 by default), in turns: on 2 cores the JIT can still be
# compiling after 40 s, and a side warmed in one stretch would be favoured over the other.
for port in 7090 7091 7090 7091; do
  wrk -t2 -c"$CONNECTIONS" -d$(( ${WARMUP:-90} / 2 ))s -s bench/http/route.lua "http://127.0.0.1:$port" > /dev/null
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
phase() { # port pid -> "decisions/s cpu-ms-per-decision p99-ms failures"
  local before after result
  before=$(cpu_ticks "$2")
  result=$(wrk -t2 -c"$CONNECTIONS" -d10s --timeout 10s -s bench/http/route.lua "http://127.0.0.1:$1" | grep RESULT)
  after=$(cpu_ticks "$2")
  python3 -c "import os, sys
d = {k: float(v) for k, v in (kv.split('=') for kv in sys.argv[1].split()[1:])}
cpu_ms = (int(sys.argv[3]) - int(sys.argv[2])) * 1000 / os.sysconf('SC_CLK_TCK')
print(f\"{d['routed'] / d['seconds']:.0f} {cpu_ms / d['routed']:.4f} {d['p99_ms']} {d['failed'] + d['socket']:.0f}\")" \
    "$result" "$before" "$after"
}
A=() B=()
for i in $(seq 1 "$PAIRS"); do
  a=$(phase 7090 "${PIDS[0]}"); b=$(phase 7091 "${PIDS[1]}")
  echo "pair $i  A: $a   B: $b   (decisions/s, service CPU ms per decision, p99 ms, failures)"
  A+=("$a") B+=("$b")
done
python3 - "${A[@]}" -- "${B[@]}" <<'PY'
import statistics, sys
args = sys.argv[1:]; cut = args.index("--")
A = [list(map(float, x.split())) for x in args[:cut]]; B = [list(map(float, x.split())) for x in args[cut + 1:]]
def show(name, values): print(f"B/A {name}: median {statistics.median(values):.3f} ({', '.join(f'{v:.2f}' for v in values)})")
show("decisions/s", [b[0] / a[0] for a, b in zip(A, B)])
show("CPU per decision", [b[1] / a[1] for a, b in zip(A, B)])
print(f"p99 medians: A {statistics.median(a[2] for a in A):.1f} ms, B {statistics.median(b[2] for b in B):.1f} ms; "
      f"failures: A {sum(a[3] for a in A):.0f}, B {sum(b[3] for b in B):.0f}")
PY
