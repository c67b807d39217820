#!/bin/sh
# A/B runs of a benchmark on a shared machine: another checkout (A, e.g. main) and this one (B), alternated, with
# `uptime` before and after each run, so each pair is taken in the same minutes under the load written beside it.
#
#   bench/ab.sh /path/to/main-checkout bench:webhook 3            # 3 pairs, A then B each time
#   BENCH_MODES=intake BENCH_ROUNDS=1 bench/ab.sh ../main bench:webhook
#   BENCH_MIX=campaign BENCH_MODES=drain BENCH_ROUNDS=1 BENCH_DRAIN_EVENTS=8000 bench/ab.sh ../main bench:webhook
#   BENCH_ROUNDS=1 BENCH_SECONDS=10 bench/ab.sh ../main bench:redirect
#
# The other checkout needs its node_modules; the benchmark's driver is this checkout's, the measured API and worker
# processes (and the migrations) are A's or B's (BENCH_APP_ROOT). Every other BENCH_* variable is passed through.
set -eu
other=$(cd "$1" && pwd)
script=$2
pairs=${3:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
i=1
while [ "$i" -le "$pairs" ]; do
  for side in A B; do
    if [ "$side" = A ]; then root=$other; else root=$here; fi
    echo "=== pair $i, $side ($root), $(date -u +%H:%M:%S) UTC, uptime:$(uptime | sed 's/.*load average/ load average/')"
    # A run that misses its goal exits 1: the other side is still measured.
    BENCH_APP_ROOT=$root npm run --silent "$script" || echo "=== pair $i, $side exited $?"
    echo "=== pair $i, $side done, uptime:$(uptime | sed 's/.*load average/ load average/')"
  done
  i=$((i + 1))
done
