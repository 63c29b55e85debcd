#!/usr/bin/env python3
"""Search relevance, part 3 of issue 15's benchmark: similar incidents on real public postmortems.

    python3 benches/relevance_public.py BINARY POST_MORTEMS_README [--work DIR] [--limit 5]

POST_MORTEMS_README is the README.md of a local copy of the public danluu/post-mortems
repository (for a bare clone: `git --git-dir=REPO show HEAD:README.md > README.md`). It is read
from that path and never copied into this repository. The README lists about 190 postmortem
summaries, each a paragraph "[Company](url). What happened.", under category headings (Config
Errors, Hardware/Power Failures, Conflicts, Time, Database, Uncategorized).

Every summary becomes a retro of a temporary library: its first sentence as the title (a retro's
title says what happened), "Company." and the rest of the summary as the body, and no category
anywhere (its services and failure modes are placeholders unique to
the retro, so they make it like nothing). For each summary, that retro's file is moved out of
the library, its text ("Company. Summary") is piped to `BINARY similar - --json --limit 5`, and
the file is moved back: a strict leave-one-out with one library and no builds (`similar` only
validates and reads the library).

Printed: the share of the top 5 in the summary's own category, averaged over all summaries
(Uncategorized counts as a category) and over the categorised ones only, for hindsight and for
plain TF-IDF cosine computed here (standard library only: lowercase words, tf × smoothed idf,
unit length, no stop words, no cut-off), with the same leave-one-out. Goal: hindsight at least
TF-IDF + 0.02. Run by hand, not in CI.
"""
import argparse
import collections
import json
import math
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import time

ENTRY = re.compile(r"^\[([^\]]+)\]\([^)]*\)\.?\s*(.*)$")
STOP_SECTIONS = {"Table of Contents", "Other lists of postmortems", "Analysis", "Contributors"}


def summaries(readme):
    """(category, company, summary) for every summary of the README, in order."""
    found, category = [], None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            category = line[3:].strip()
            continue
        match = ENTRY.match(line.strip())
        if category and category not in STOP_SECTIONS and match and match.group(2).strip():
            company, text = match.group(1).strip(), match.group(2).strip()
            # Links inside the summary read as their words.
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
            found.append((category, company, text))
    return found


def yaml_string(text):
    return json.dumps(text, ensure_ascii=False)


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"


def write_library(root, items, tagged):
    """One retro per summary under root/content/, and where each is (to move it out and back);
    with `tagged`, each retro's tags name its company, as a team would tag the vendor."""
    (root / "content").mkdir(parents=True)
    (root / "hindsight.yaml").write_text("title: Public postmortems\n")
    paths = []
    for n, (_, company, text) in enumerate(items):
        rid = f"PM-{n:04d}"
        first = re.match(r"(.+?[.!?])(?:\s+|$)(.*)", text, re.S)
        title, rest = (first.group(1), first.group(2)) if first else (text, "")
        date = f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        front = [
            "---", f"id: {rid}", f"title: {yaml_string(title)}", f"date: {date}", "severity: SEV3",
            f"services: [svc-{n}]", f"failure_modes: [fm-{n}]", "status: published",
            *([f"tags: [{slug(company)}]"] if tagged else []),
            "action_items: [{title: none}]", "---", "", f"{company}. {rest}", "",
        ]
        path = root / "content" / f"{rid}.md"
        path.write_text("\n".join(front), encoding="utf-8")
        paths.append(path)
    return paths


def hindsight_top(binary, root, path, query, limit):
    """Ids of the top `limit` retros `similar -` gives for `query` (None: the retro file's own
    text, front matter and all, as a draft), with path's retro left out."""
    aside = root / "aside.md"
    shutil.move(path, aside)
    query = aside.read_text(encoding="utf-8") if query is None else query
    try:
        run = subprocess.run([binary, "--root", str(root), "similar", "-", "--json", "--limit", str(limit)],
                             input=query, capture_output=True, text=True, check=True)
    finally:
        shutil.move(aside, path)
    return [hit["id"] for hit in json.loads(run.stdout)["results"]]


def words(text):
    return re.findall(r"[a-z0-9]+", text.lower())


def tfidf_tops(texts, limit):
    """For each text, the indices of the `limit` others most like it by plain TF-IDF cosine, the
    document frequencies counted without it (the same leave-one-out as hindsight's)."""
    counts = [collections.Counter(words(t)) for t in texts]
    df = collections.Counter(w for c in counts for w in c)
    n = len(texts)
    tops = []
    for q, query in enumerate(counts):
        others = n - 1
        idf = lambda w: math.log((1 + others) / (1 + df[w] - (1 if w in query else 0))) + 1

        def vector(c):
            v = {w: tf * idf(w) for w, tf in c.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            return {w: x / norm for w, x in v.items()}

        qv = vector(query)
        scored = []
        for d, doc in enumerate(counts):
            if d == q:
                continue
            dv = vector(doc)
            scored.append((sum(x * dv.get(w, 0.0) for w, x in qv.items()), -d))
        scored.sort(reverse=True)
        tops.append([-d for score, d in scored[:limit] if score > 0])
    return tops


def shares(items, tops, limit, only_categorised):
    per_query = []
    for q, top in enumerate(tops):
        if only_categorised and items[q][0] == "Uncategorized":
            continue
        same = sum(1 for d in top if items[d][0] == items[q][0])
        per_query.append(same / limit)
    return sum(per_query) / len(per_query), len(per_query)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("binary")
    parser.add_argument("readme", type=pathlib.Path)
    parser.add_argument("--work", type=pathlib.Path, help="keep the temporary library here")
    parser.add_argument("--limit", type=int, default=5)
    args = parser.parse_args()
    items = summaries(args.readme)
    if not items:
        sys.exit(f"no summaries found in {args.readme}")
    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="relevance-public-"))
    if work.exists() and any(work.iterdir()):
        sys.exit(f"{work} is not empty")
    queries = [f"{company}. {text}" for _, company, text in items]
    tfidf = tfidf_tops(queries, args.limit)
    categories = collections.Counter(c for c, _, _ in items)
    print(f"{len(items)} summaries: " + ", ".join(f"{c} {k}" for c, k in categories.most_common()))
    modes = [("pasted text", False), ("draft, company as tag", True)]
    for mode, (name, as_draft) in enumerate(modes):
        root = work / f"library-{mode}"
        paths = write_library(root, items, as_draft)
        ids = {f"PM-{n:04d}": n for n in range(len(items))}
        started = time.perf_counter()
        hindsight = [[ids[i] for i in hindsight_top(args.binary, root, path, None if as_draft else query, args.limit)]
                     for path, query in zip(paths, queries)]
        elapsed = time.perf_counter() - started
        print(f"hindsight similar -, {name}: {elapsed / len(items) * 1000:.0f} ms per query")
        for label, only in [("all summaries", False), ("categorised only", True)]:
            ours, n = shares(items, hindsight, args.limit, only)
            theirs, _ = shares(items, tfidf, args.limit, only)
            print(f"  {label:>17} ({n}): hindsight {ours:.3f}, TF-IDF {theirs:.3f}, difference {ours - theirs:+.3f}")
    if not args.work:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
