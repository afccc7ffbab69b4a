#!/usr/bin/env bash
# Requests per second end to end on loopback: the same App with and without the middleware.
# usage: scripts/throughput.sh [seconds per run, default 10] [rounds, default 3]
# Needs wrk (apt-get install -y wrk). Servers listen on 127.0.0.1 only and are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
rounds=${2:-3}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk"; exit 1; }
cargo build --quiet --release --example load_server
bin=target/release/examples/load_server
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap stop EXIT

# With two or more CPUs, the server (one worker) and wrk (one thread) each get a CPU of their
# own, so that they do not take turns on one and the scheduler adds less noise.
server_cpu=(); client_cpu=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  server_cpu=(taskset -c 0); client_cpu=(taskset -c 1)
fi

run() { # $1 = port, $2 = bare|ours|actix-cors ; prints requests/s
  if [ "$2" = ours ]; then "${server_cpu[@]}" "$bin" "$1" & else "${server_cpu[@]}" "$bin" "$1" "$2" & fi
  pid=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/api/items" && break; sleep 0.05; done
  "${client_cpu[@]}" wrk -t1 -c16 -d2s -H 'Origin: https://app.example.com' "http://127.0.0.1:$1/api/items" >/dev/null
  "${client_cpu[@]}" wrk -t1 -c16 -d"${secs}s" -H 'Origin: https://app.example.com' "http://127.0.0.1:$1/api/items" \
    | awk '/Requests\/sec/ {print $2}'
  stop
}

bare=(); ours=(); theirs=(); bytes=()
for r in $(seq 1 "$rounds"); do
  bare+=("$(run 18091 bare)")
  bytes+=("$(run 18094 bare-headers)")
  ours+=("$(run 18092 ours)")
  theirs+=("$(run 18093 actix-cors)")
  echo "round $r: no middleware ${bare[-1]}, no middleware writing the same headers ${bytes[-1]}, actix-cross-origin ${ours[-1]}, actix-cors ${theirs[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Each round's servers run back to back, so a round's ratios cancel the machine's slow drift;
# their medians are the figures to quote.
ratios() { # $1 = name of the array to divide by the bare App's, round by round
  local -n num=$1
  for i in "${!bare[@]}"; do awk -v a="${num[$i]}" -v b="${bare[$i]}" 'BEGIN {printf "%.4f\n", a/b}'; done
}
mb=$(median "${bare[@]}"); mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}"); mh=$(median "${bytes[@]}")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a/b}'; }
echo "median req/s: no middleware $mb; no middleware writing the same headers $mh ($(ratio "$mh" "$mb")); actix-cross-origin $mo ($(ratio "$mo" "$mb") of the bare App, $(ratio "$mo" "$mh") of the one writing the headers); actix-cors $mt ($(ratio "$mt" "$mb"), $(ratio "$mt" "$mh"))"
echo "median of the per-round shares of the bare App: writing the headers $(median $(ratios bytes)); actix-cross-origin $(median $(ratios ours)); actix-cors $(median $(ratios theirs))"
