#!/usr/bin/env bash
# The whole UI's memory while searching: opens opsbook in tmux (120x36)
# on the synthetic notebook, waits for the search index, types `/` and
# `kubernetes outage` a key every 0.3 s, and reads /proc/PID/status:
# resident at rest, and the peak (VmHWM) after typing, against the
# notebook's bytes. Runs RUNS times (3). A temporary HOME keeps the real
# one untouched.
# Usage: benches/ui_typing_memory.sh [LINKS] ; needs tmux.
set -euo pipefail
cd "$(dirname "$0")/.."
links=${1:-1000000}
dir=/tmp/opsbook-synth-$links
cargo build --release --quiet --example measure
cargo build --release --quiet
[ -d "$dir" ] || SKIP_ONE_SHOT=1 ./target/release/examples/measure "$links" "$dir" >/dev/null
bytes=$(find "$dir" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
bin=$PWD/target/release/opsbook
for run in $(seq 1 "${RUNS:-3}"); do
  home=$(mktemp -d)
  tmux kill-session -t opsbook-mem 2>/dev/null || true
  tmux new -d -s opsbook-mem -x 120 -y 36 \
    "HOME=$home XDG_CONFIG_HOME=$home/c XDG_DATA_HOME=$home/d $bin --notebook $dir"
  sleep 10
  pid=$(pgrep -n -f "opsbook --notebook $dir")
  rest=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
  tmux send-keys -t opsbook-mem /
  for c in k u b e r n e t e s Space o u t a g e; do
    tmux send-keys -t opsbook-mem "$c"
    sleep 0.3
  done
  sleep 3
  peak=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
  tmux send-keys -t opsbook-mem Escape
  sleep 0.5
  tmux send-keys -t opsbook-mem q
  sleep 0.5
  tmux kill-session -t opsbook-mem 2>/dev/null || true
  rm -rf "$home"
  awk -v r="$rest" -v p="$peak" -v b="$bytes" -v n="$run" 'BEGIN {
    printf "run %d: resident at rest %.1f MB = %.2fx, peak after typing %.1f MB = %.2fx the notebook (%.1f MB)\n",
      n, r * 1024 / 1e6, r * 1024 / b, p * 1024 / 1e6, p * 1024 / b, b / 1e6 }'
done
