#!/usr/bin/env bash
# One-shot `opsbook search` against `fzf --filter` over a file of the same
# links, one per line with what opsbook searches (title, item text, URL,
# headings), side by side in one hyperfine run.
# Usage: benches/search_vs_fzf.sh [LINKS] ; needs fzf and hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
links=${1:-1000000}
dir=/tmp/opsbook-synth-$links
cargo build --release --quiet --example measure
cargo build --release --quiet
[ -d "$dir" ] || ./target/release/examples/measure "$links" "$dir" >/dev/null
./target/release/opsbook --notebook "$dir" links --format tsv | tail -n +2 | cut -f9,10,3,8 > "$dir.links"
for q in "kubernetes outage" grafana zzzzqqq; do
  # opsbook must succeed on its own first: a failure stops the script.
  ./target/release/opsbook --notebook "$dir" search "$q" > /dev/null
  # fzf exits 1 when nothing matches; only its exit code is forgiven.
  hyperfine --warmup 1 --runs 5 \
    "./target/release/opsbook --notebook $dir search '$q' > /dev/null" \
    "fzf --filter '$q' < $dir.links > /dev/null || [ \$? = 1 ]"
done
