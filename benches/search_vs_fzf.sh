#!/usr/bin/env bash
# One-shot `opsbook search` against `fzf --filter` over a file of the same
# links (text, URL, headings per line), side by side in one hyperfine run.
# Usage: benches/search_vs_fzf.sh [LINKS] ; needs fzf and hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
links=${1:-1000000}
dir=/tmp/opsbook-synth-$links
cargo build --release --quiet --example measure
cargo build --release --quiet
[ -d "$dir" ] || ./target/release/examples/measure "$links" "$dir" >/dev/null
./target/release/opsbook --notebook "$dir" links --format tsv | tail -n +2 | cut -f2,3,8 > "$dir.links"
for q in "kubernetes outage" grafana zzzzqqq; do
  hyperfine --warmup 1 --runs 5 -i \
    "./target/release/opsbook --notebook $dir search '$q' > /dev/null" \
    "fzf --filter '$q' < $dir.links > /dev/null"
done
