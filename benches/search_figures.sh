#!/usr/bin/env bash
# Search figures: per-stage index build times (tantivy, static bundle, similar incidents) at
# each size, warm `hindsight search` latency, static bundle size, and the bytes a browser
# fetches for one query (needs chromium and tests/browser/node_modules, see .ci/test).
# Usage: benches/search_figures.sh [N...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=$PWD/target/release/hindsight
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

stage() { grep -E "^ *$1:" "$2" | awk -F': *' '{print $2}'; }

for n in "${@:-1000 10000}"; do
  lib="$work/lib-$n"
  python3 benches/generate.py "$n" "$lib" >/dev/null
  "$bin" --root "$lib" build --now 2026-11-24 --output "$work/www/site-$n" >/dev/null 2>&1 # warm the page cache
  "$bin" --root "$lib" build --now 2026-11-24 --output "$work/www/site-$n" --timings 2>"$work/timings-$n"
  echo "== $n retros"
  printf '  tantivy index:        %s\n  static bundle:        %s\n  similar incidents:    %s\n' \
    "$(stage 'tantivy index' "$work/timings-$n")" "$(stage 'static search bundle' "$work/timings-$n")" \
    "$(stage 'similar incidents' "$work/timings-$n")"
  printf '  bundle: %s files, %s KiB\n' "$(find "$work/www/site-$n/pagefind" -type f | wc -l)" \
    "$(du -sk "$work/www/site-$n/pagefind" | cut -f1)"
  # Warm search latency: the index is fresh, so each run opens it, checks it, and searches.
  times=()
  for query in "connection pool exhausted" "ECONNRESET" "certificate expired" "retry storm backoff" \
               "dns resolver cache" "p99 latency" "queue backlog consumer lag" "memory leak heap" \
               "failover primary election" "deadlock migration lock"; do
    for _ in 1 2 3; do
      start=$(date +%s%N)
      "$bin" --root "$lib" search "$query" --limit 10 >/dev/null
      times+=($(( ($(date +%s%N) - start) / 1000000 )))
    done
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "  hindsight search (warm, 30 runs): median ${sorted[15]} ms, max ${sorted[29]} ms"
done

if [ -x /usr/bin/chromium ] && [ -d tests/browser/node_modules/playwright-core ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/www" >/dev/null 2>&1 &
  server=$!
  sleep 1
  largest=$(ls -d "$work"/www/site-* | sort -t- -k2 -n | tail -1 | xargs basename)
  for query in "connection pool exhausted" "certificate expired" "retry"; do
    (cd tests/browser && node search.mjs "http://127.0.0.1:$port/$largest/" --measure "$query")
  done
fi
