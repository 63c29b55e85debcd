#!/usr/bin/env bash
# Builds and checks the same libraries with two hindsight binaries and diffs everything they
# wrote and printed, byte for byte: what a redesign must leave unchanged.
#
#   benches/compare_outputs.sh OLD_BINARY NEW_BINARY [RETROS]
#
# Libraries: the sample (the repository root), a generated one of RETROS retros (default 300,
# seed 7) and every fixture under tests/fixtures/, each with and without drafts and restricted
# retros, with --now pinned. Exits 1 and prints the differences when there are any.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); retros=${3:-300}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 "$repo/benches/generate.py" "$retros" "$work/generated" --seed 7 >/dev/null

run_all() {  # BINARY OUT
  local bin=$1 out=$2 name site
  mkdir -p "$out"
  for site in "$repo" "$work/generated" "$repo"/tests/fixtures/*/; do
    name=$(basename "$site")
    rm -rf "$work/site" && mkdir "$work/site"
    # The site's own files only (the repository root also holds the code and its build).
    for part in hindsight.yaml taxonomy.yaml content static themes templates; do
      if [ -e "$site/$part" ]; then cp -r "$site/$part" "$work/site/"; fi
    done
    for selection in "" "--drafts --include-restricted"; do
      tag="$name${selection:+-all}"
      (cd "$work" && "$bin" --root site build --now 2026-11-24 --output "$out/$tag" $selection \
        >"$out/$tag.stdout" 2>"$out/$tag.stderr") || true
      sed -i -E 's/in [0-9.]+ s ->.*/in X s/' "$out/$tag.stderr"
    done
    (cd "$work" && "$bin" --root site check --now 2026-11-24 --format json >"$out/$name.check.json" 2>&1) || true
    (cd "$work" && "$bin" --root site check --now 2026-11-24 >"$out/$name.check.txt" 2>&1) || true
  done
}

run_all "$old" "$work/old"
run_all "$new" "$work/new"
if diff -r "$work/old" "$work/new"; then
  echo "identical: every page, export, bundle file and message"
else
  exit 1
fi
