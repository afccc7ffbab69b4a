#!/usr/bin/env bash
# Load and soak: mixed CORS traffic (allowed and refused preflights, actual requests, hostile
# header values) against examples/load_server on 127.0.0.1, then checks that no response was
# a 5xx, no connection was dropped, and resident memory after the run is within 10% of what it
# was after warm-up. Warm-up is three 5 s rounds; its figure is the highest resident size seen
# after them, since the allocator's footprint moves by several percent from round to round
# without growing.
# usage: scripts/soak.sh [seconds, default 60] [connections, default 32] [memory tolerance %, default 10]
# With RECONFIGURE_MS=<n> in the environment, the server changes its App-wide policy every n ms
# during the run (Cors::reconfigure), and the same checks apply.
# Needs wrk (apt-get install -y wrk). Every run is bounded by its duration; the server is
# stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
conns=${2:-32}
tolerance=${3:-10}
port=18095
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
cargo build --quiet --release --example load_server
WORKERS=1 target/release/examples/load_server "$port" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/api/items" && break; sleep 0.05; done

rss() { curl -s --max-time 5 "http://127.0.0.1:$port/__rss"; }
warm=0
samples=""
for _ in 1 2 3; do
  wrk -t1 -c"$conns" -d5s -s scripts/mixed.lua "http://127.0.0.1:$port" >/dev/null
  r=$(rss)
  samples="$samples $r"
  [ "$r" -gt "$warm" ] && warm=$r
done
out=$(wrk -t1 -c"$conns" -d"${secs}s" -s scripts/mixed.lua "http://127.0.0.1:$port")
after=$(rss)
line=$(echo "$out" | grep '^requests ')
rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
read -r _ total _ fivexx _ connect _ read_e _ write_e _ timeout _ non2xx <<<"$line"
dropped=$((connect + read_e + write_e + timeout))
growth=$(awk -v a="$after" -v w="$warm" 'BEGIN {printf "%.1f", (a - w) * 100 / w}')
echo "soak ${secs}s, $conns connections${RECONFIGURE_MS:+, policy changed every ${RECONFIGURE_MS} ms}: $total requests ($rate/s), 5xx $fivexx, dropped connections $dropped, non-2xx (refusals, 404s) $non2xx"
echo "resident memory: $warm kB after warm-up (rounds:$samples kB), $after kB after the run ($growth%)"
fail=0
[ "$fivexx" -eq 0 ] || { echo "FAIL: server errors"; fail=1; }
[ "$dropped" -eq 0 ] || { echo "FAIL: dropped connections"; fail=1; }
awk -v a="$after" -v w="$warm" -v t="$tolerance" 'BEGIN {exit !(a <= w * (1 + t / 100))}' || { echo "FAIL: memory grew more than $tolerance%"; fail=1; }
exit "$fail"
