#!/usr/bin/env bash
# The hostile-input figures of docs/benchmarks.md: `opsbook links --format json` as a
# whole process on three of the audit's shapes (the same as benches/hostile.rs),
# time by hyperfine and peak memory by GNU time.
# Usage: benches/hostile_whole.sh ; needs hyperfine and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/cr" "$dir/para" "$dir/bare"
awk 'BEGIN { for (i = 0; i < 320000; i++) printf "- [l%d](http://x/%d)\r", i, i }' > "$dir/cr/n.md"
awk 'BEGIN { for (i = 0; i < 320000; i++) printf "[l%d](http://x/%d) ", i, i; print "" }' > "$dir/para/n.md"
awk 'BEGIN { printf "- "; for (i = 0; i < 100000; i++) printf "http://h%d.example/ ", i; print "" }' > "$dir/bare/n.md"
for shape in cr para bare; do
  ls -l "$dir/$shape/n.md" | awk '{ printf "%s: %.1f MB\n", "'$shape'", $5 / 1e6 }'
  cmd="./target/release/opsbook --notebook $dir/$shape links --format json > /dev/null"
  hyperfine --warmup 1 --runs 5 "$cmd"
  /usr/bin/time -f "peak memory: %M KB" sh -c "$cmd"
done
