#!/usr/bin/env python3
"""How well `hindsight import` reads free-form postmortems: run by hand, not in CI.

Imports the evaluation set (tests/fixtures/import-eval/sources, 31 invented postmortems in
several house styles, HTML exports and plain text) into a copy of the import fixture library
and compares each written retro with tests/fixtures/import-eval/expected.json: the share of
titles, dates, summaries (expected opening words), severities, timelines (all five moments
equal) and action items (the same titles, in order) read correctly.

    cargo build --release
    python3 benches/import_accuracy.py [--bin target/release/hindsight] [--verbose]
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent.parent
FIELDS = ["title", "date", "summary", "severity", "timeline", "actions"]
MOMENTS = ["started", "detected", "acknowledged", "mitigated", "resolved"]


def read_front_matter(path):
    text = path.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    source = next(line for line in front.splitlines() if line.startswith("# imported from "))
    return source.removeprefix("# imported from ").strip(), yaml.safe_load(front) or {}


def actual_values(fm):
    timeline = fm.get("timeline") or {}
    return {
        "title": fm.get("title"),
        "date": str(fm["date"]) if fm.get("date") else None,
        "summary": " ".join((fm.get("summary") or "").split()) or None,
        "severity": fm.get("severity"),
        "timeline": {m: (str(timeline.get(m)) if timeline.get(m) else None) for m in MOMENTS},
        "actions": [item.get("title") for item in fm.get("action_items") or []],
    }


def correct(field, expected, actual):
    if field == "summary":
        if expected is None:
            return actual is None
        return actual is not None and actual.startswith(expected)
    return expected == actual


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", default=str(HERE / "target/release/hindsight"))
    parser.add_argument("--eval", default=str(HERE / "tests/fixtures/import-eval"))
    parser.add_argument("--site", default=str(HERE / "tests/fixtures/import/site"))
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args()
    expected = json.loads((Path(args.eval) / "expected.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        shutil.copytree(args.site, site)
        sources = Path(tmp) / "sources"
        shutil.copytree(Path(args.eval) / "sources", sources)
        into = site / "content" / "imported"
        run = subprocess.run(
            [args.bin, "--root", str(site), "import", str(sources), "--into", str(into), "--now", "2026-11-24"],
            capture_output=True, text=True, check=False,
        )
        if run.returncode not in (0, 1):
            sys.exit(f"import failed ({run.returncode}):\n{run.stderr}")
        actual = {}
        for path in sorted(into.glob("*.md")):
            source, fm = read_front_matter(path)
            actual[Path(source).name] = actual_values(fm)
    scores = {field: 0 for field in FIELDS}
    misses = []
    for name, want in sorted(expected.items()):
        got = actual.get(name)
        for field in FIELDS:
            value = None if got is None else got[field]
            if got is not None and correct(field, want[field], value):
                scores[field] += 1
            else:
                misses.append(f"{name}: {field}: expected {want[field]!r}, got {value!r}")
    total = len(expected)
    print(f"{total} postmortems, {len(actual)} imported")
    for field in FIELDS:
        print(f"{field:>9}: {scores[field]:2}/{total} = {scores[field] / total:.0%}")
    if args.verbose:
        print("\n".join(["", "Misses:"] + misses))


if __name__ == "__main__":
    main()
