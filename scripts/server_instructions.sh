#!/usr/bin/env bash
# Instructions the whole server spends per request, end to end (HTTP parsing, routing, the
# middleware, the handler, encoding), counted by callgrind: a throughput figure that does not
# depend on the machine's load. Each server runs twice under callgrind, once answering only
# the readiness check and once under wrk for a few seconds; the difference divided by the
# requests wrk sent is the cost of one request.
# usage: scripts/server_instructions.sh [seconds of load, default 5]
# Needs valgrind and wrk. Servers listen on 127.0.0.1 only and are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-5}
for tool in valgrind wrk curl; do
  command -v "$tool" >/dev/null || { echo "$tool is missing"; exit 1; }
done
cargo build --quiet --release --example load_server
bin=target/release/examples/load_server
work=$(mktemp -d)
pid=""
# A server under valgrind can miss a first SIGINT sent while it is still slow to start: ask
# again until it is gone (callgrind writes its count only on a clean exit), for at most 60 s.
stop() {
  if [ -n "$pid" ]; then
    for _ in $(seq 1 120); do
      kill -INT "$pid" 2>/dev/null || break
      sleep 0.5
    done
    wait "$pid" 2>/dev/null || true
    pid=""
  fi
}
trap 'stop; rm -rf "$work"' EXIT

# $1 = port, $2 = mode, $3 = seconds of load (0: none); prints "instructions requests"
count() {
  local args=("$1")
  [ "$2" = ours ] || args+=("$2")
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$bin" "${args[@]}" 2>"$work/log" &
  pid=$!
  local ready=""
  for _ in $(seq 1 300); do
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/api/items"; then ready=1; break; fi
    sleep 0.1
  done
  [ -n "$ready" ] || { echo "server $2 did not start" >&2; exit 1; }
  local requests=1
  if [ "$3" -gt 0 ]; then
    local sent
    sent=$(wrk -t1 -c4 -d"${3}s" -H 'Origin: https://app.example.com' "http://127.0.0.1:$1/api/items" \
      | awk '/requests in/ {print $1}')
    requests=$((requests + sent))
  fi
  stop
  local ir
  ir=$(awk '/Collected :/ {print $NF}' "$work/log")
  [ -n "$ir" ] || { echo "no instruction count for $2" >&2; cat "$work/log" >&2; exit 1; }
  echo "$ir $requests"
}

declare -A per_request
for mode in bare bare-headers ours actix-cors; do
  read -r idle_ir idle_n < <(count 18191 "$mode" 0)
  read -r busy_ir busy_n < <(count 18191 "$mode" "$secs")
  per_request[$mode]=$(awk -v a="$busy_ir" -v b="$idle_ir" -v n="$((busy_n - idle_n))" 'BEGIN {printf "%.0f", (a - b) / n}')
  echo "$mode: ${per_request[$mode]} instructions per request ($((busy_n - idle_n)) requests)"
done
share() { awk -v a="${per_request[bare]}" -v b="$1" 'BEGIN {printf "%.3f", a / b}'; }
echo "share of the bare App's requests per instruction: writing the headers $(share "${per_request[bare-headers]}"); actix-cross-origin $(share "${per_request[ours]}"); actix-cors $(share "${per_request[actix-cors]}")"
