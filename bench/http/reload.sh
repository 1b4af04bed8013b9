#!/usr/bin/env bash
# Hot reload under load: 20 saves of a rule file while wrk sends routing requests. Prints the time
# from each save to the new version being active (median, max), and the routing meanwhile: its
# errors (answers neither 201 nor 200, socket errors, timeouts) must be 0.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-7091} SAVES=${SAVES:-20} CONNECTIONS=${CONNECTIONS:-16}
export ROUTER_ADMIN_TOKEN=bench BENCH_INBOXES=5
./run --help > /dev/null # builds the jar when it is missing or older than the sources
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
WORK=$(mktemp -d /tmp/router-reload.XXXXXX)
cp -r rules "$WORK/rules"
BASE=http://127.0.0.1:$PORT
JAVA_OPTS=-XX:CompileThresholdScaling=8 ./run serve --port "$PORT" --data "$WORK/data" --rules "$WORK/rules" > "$WORK/service.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
until curl -sf "$BASE/health" >/dev/null; do sleep 0.05; done
python3 bench/http/seed.py --base "$BASE" --users 200 --teams 10 --inboxes 5 --teams-per-channel 5 >/dev/null
wrk -t2 -c"$CONNECTIONS" -d600s --timeout 10s -s bench/http/route.lua "$BASE" > "$WORK/wrk.out" &
WRK=$!
sleep 3
python3 - "$BASE" "$WORK/rules/strategy.drl" "$SAVES" <<'PY'
import json, statistics, sys, time, urllib.request
base, path, saves = sys.argv[1], sys.argv[2], int(sys.argv[3])
def version():
    req = urllib.request.Request(base + "/api/v1/rules", headers={"Authorization": "Bearer bench"})
    with urllib.request.urlopen(req) as r:
        return json.load(r)["version"]
times = []
for i in range(saves):
    before = version()
    with open(path, "a") as f:
        f.write(f"\n// benchmark save {i}\n")
    saved = time.monotonic()
    while version() == before:
        time.sleep(0.005)
    times.append((time.monotonic() - saved) * 1000)
    time.sleep(0.3)
print(f"save -> active version over {saves} saves: median {statistics.median(times):.0f} ms, "
      f"min {min(times):.0f} ms, max {max(times):.0f} ms")
PY
kill -INT $WRK; wait $WRK 2>/dev/null || true
grep RESULT "$WORK/wrk.out" | tr ' =' '\n\n' | awk 'NR % 2 == 0 {k = $0} NR % 2 == 1 && NR > 1 {v[k] = $0}
  END {printf "routing during the reloads: decisions/s %.0f, p99 %.1f ms, errors %d\n", v["routed"] / v["seconds"], v["p99_ms"], v["failed"] + v["socket"]}'
