#!/usr/bin/env python3
"""Search relevance, part 1 of issue 15's benchmark: label-name queries.

    python3 benches/relevance.py BINARY LIBRARY

For every failure mode of LIBRARY (a library from benches/generate.py, say), searches its name
as written (`retry-storm`) and as words (`retry storm`) with `BINARY search --json --limit n`,
n being how many published retros carry it, and prints the recall of those retros in the top n
(goal: 1.0). Run by hand, not in CI. The hand-judged queries on the sample and the comparison on
a public postmortem corpus (parts 2 and 3 of the issue) are not written yet.
"""
import collections
import json
import pathlib
import re
import subprocess
import sys


def labelled(library):
    """Failure mode -> ids of the published retros that carry it."""
    modes = collections.defaultdict(set)
    for path in sorted(library.glob("content/**/*.md")):
        front = path.read_text(encoding="utf-8").split("---")[1]
        field = lambda key: (re.search(rf"^{key}:\s*(\S+)", front, re.M) or [None, None])[1]
        if field("status") == "draft" or field("visibility") == "restricted":
            continue
        listed = re.search(r"^failure_modes:\s*\[(.*?)\]", front, re.M)
        for mode in (listed.group(1).split(",") if listed else []):
            modes[mode.strip().strip('"')].add(field("id") or path.stem)
    return modes


def recall(binary, library, query, ids):
    run = subprocess.run([binary, "--root", str(library), "search", query, "--limit", str(len(ids)), "--json"],
                         capture_output=True, text=True, check=True)
    found = {hit["id"] for hit in json.loads(run.stdout)["results"]}
    return len(found & ids) / len(ids)


def main():
    binary, library = sys.argv[1], pathlib.Path(sys.argv[2])
    modes = labelled(library)
    for form, query_of in [("as written", lambda m: m), ("as words", lambda m: m.replace("-", " "))]:
        scores = [recall(binary, library, query_of(mode), ids) for mode, ids in sorted(modes.items())]
        print(f"{form:>10}: {len(scores)} failure modes, mean recall {sum(scores) / len(scores):.3f}, "
              f"min {min(scores):.2f}")


if __name__ == "__main__":
    main()
