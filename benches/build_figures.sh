#!/usr/bin/env bash
# Build time and peak memory of `hindsight build` (GNU time -v), on the sample library and on
# generated libraries. Usage: benches/build_figures.sh [N...]   (default: 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/hindsight"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # name root
  local out="$work/out-$1"
  "$bin" --root "$2" build --now 2026-11-24 --output "$out" >/dev/null 2>&1 # warm the page cache
  /usr/bin/time -v "$bin" --root "$2" build --now 2026-11-24 --output "$out" 2>"$work/time-$1" >/dev/null
  local wall rss cpu summary
  wall=$(grep 'Elapsed (wall clock)' "$work/time-$1" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$work/time-$1" | awk '{print $NF}')
  cpu=$(awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.2f", u+s}' "$work/time-$1")
  summary=$(grep '^Built' "$work/time-$1")
  printf '%-14s wall %-8s cpu %6s s  peak RSS %6d MiB   %s\n' "$1" "$wall" "$cpu" $((rss / 1024)) "$summary"
}

measure sample .
for n in "${@:-1000}"; do
  python3 benches/generate.py "$n" "$work/lib-$n" >/dev/null
  measure "generated-$n" "$work/lib-$n"
done
