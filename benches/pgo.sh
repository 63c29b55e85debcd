#!/usr/bin/env bash
# Builds hindsight with profile-guided optimisation (PGO) and prints the binary's path.
#
#     benches/pgo.sh
#
# 1. a release build instrumented to count what runs (-Cprofile-generate);
# 2. that build runs `build`, `check`, `search` and `similar` on the sample library (content/),
#    writing its counts: only our own 21 retros, none of the generated corpus the benchmarks
#    time, so the profile is not tuned to them;
# 3. `llvm-profdata` merges the counts, and a second release build lays out and inlines code
#    by them (-Cprofile-use).
#
# The default build (`cargo build --release`, `cargo install`) does not do this; the script is
# for measuring what PGO gives (docs/benchmarks.md, "Against Hugo") and for teams that build
# their own binary. It needs the toolchain's `llvm-profdata` (`rustup component add
# llvm-tools`). Each release build takes six to ten minutes on two cores; everything it writes
# is under target/pgo/, and the sample library's index cache under .hindsight/ is rebuilt.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work="$repo/target/pgo"
host=$(rustc -vV | sed -n 's/^host: //p')
profdata="$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata"
if [ ! -x "$profdata" ]; then
  echo "pgo.sh: no llvm-profdata at $profdata; run: rustup component add llvm-tools" >&2
  exit 1
fi

rm -rf "$work/counts" "$work/out"
RUSTFLAGS="-Cprofile-generate=$work/counts" \
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --target-dir "$work/instrumented"

instrumented="$work/instrumented/release/hindsight"
"$instrumented" --root "$repo" build --now 2026-11-24 --output "$work/out" > /dev/null
# `check` warns about the sample's overdue action items, as it should: only a failure is news.
"$instrumented" --root "$repo" check --now 2026-11-24 > /dev/null 2>&1 ||
  { echo "pgo.sh: hindsight check failed on the sample library" >&2; exit 1; }
"$instrumented" --root "$repo" search "connection pool" > /dev/null
echo "Checkout latency rose after a config push; the connection pool ran out." |
  "$instrumented" --root "$repo" similar - > /dev/null
rm -rf "$work/out"
"$profdata" merge -o "$work/merged.profdata" "$work/counts"

RUSTFLAGS="-Cprofile-use=$work/merged.profdata" \
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --target-dir "$work/optimized"
echo "$work/optimized/release/hindsight"
