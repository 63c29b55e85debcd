#!/usr/bin/env bash
# Wall time, CPU time and peak memory of `hindsight check` (GNU time -v) in each output format,
# on the sample library and on generated ones. Each figure is the median of RUNS runs (default
# 5) after one warm-up run. Usage: benches/check_figures.sh [N...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/hindsight"
runs="${RUNS:-5}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{v[NR]=$1} END{print v[int((NR+1)/2)]}'; }

measure() { # name root format
  local args=(--root "$2" check --now 2026-11-24 --format "$3")
  "$bin" "${args[@]}" >/dev/null 2>&1 || true # warm the page cache
  for i in $(seq "$runs"); do
    /usr/bin/time -v -o "$work/time-$i" "$bin" "${args[@]}" >/dev/null 2>"$work/stderr" || true
    awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,t,":"); s=t[n]+(n>1?t[n-1]*60:0); print s > "'"$work/wall-$i"'"}
                /User time/{u=$2} /System time/{s=$2} /Maximum resident/{m=$2}
                END{print u+s > "'"$work/cpu-$i"'"; print m > "'"$work/rss-$i"'"}' "$work/time-$i"
  done
  local wall cpu rss summary
  wall=$(cat "$work"/wall-* | median)
  cpu=$(cat "$work"/cpu-* | median)
  rss=$(cat "$work"/rss-* | median)
  summary=$(tail -1 "$work/stderr")
  printf '%-15s %-6s wall %5.2f s  cpu %5.2f s  peak RSS %4d MiB   %s\n' "$1" "$3" "$wall" "$cpu" $((rss / 1024)) "$summary"
  rm -f "$work"/wall-* "$work"/cpu-* "$work"/rss-*
}

for format in human json github; do measure sample . "$format"; done
[ $# -gt 0 ] || set -- 1000 10000
for n in "$@"; do
  python3 benches/generate.py "$n" "$work/lib-$n" >/dev/null
  for format in human json github; do measure "generated-$n" "$work/lib-$n" "$format"; done
done
