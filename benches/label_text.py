#!/usr/bin/env python3
"""Copies a library from benches/generate.py and makes its text depend on its labels.

    python3 benches/label_text.py IN_DIR OUT_DIR [--seed S] [--mention P] [--sentences S]

generate.py draws titles, summaries and bodies at random, independently of the failure modes and
contributing factors, so no text method can tell a retro's labels from its words there. This
gives every failure mode and contributing factor a signature of eight words (its own words and
six drawn from the generator's domain words and its rarer made-up words), and adds to a retro's
body, for each of its labels with probability P (default 0.8: retros do not always say what
they are labelled with), S sentences (default 3) each of five words from the label's signature
among ten common ones. Everything
else is kept. Used to measure H111 (`examples/missing_labels.rs`). Standard library only.
"""
import argparse
import pathlib
import random
import re
import shutil
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from generate import VOCABULARY, WORDS  # noqa: E402


def signature(label, rng):
    pool = WORDS + VOCABULARY[3000:6000]
    return label.split("-") + rng.sample(pool, 6)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=pathlib.Path)
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mention", type=float, default=0.8)
    parser.add_argument("--sentences", type=int, default=3)
    args = parser.parse_args()
    if args.out.exists():
        sys.exit(f"{args.out} exists")
    shutil.copytree(args.source, args.out)
    rng = random.Random(args.seed)
    signatures = {}
    for path in sorted(args.out.glob("content/**/*.md")):
        text = path.read_text(encoding="utf-8")
        front = text.split("---")[1]
        labels = []
        for key in ("failure_modes", "contributing_factors"):
            listed = re.search(rf"^{key}:\s*\[(.*?)\]", front, re.M)
            labels += [v.strip() for v in listed.group(1).split(",") if v.strip()] if listed else []
        sentences = []
        for label in labels:
            if label not in signatures:
                signatures[label] = signature(label, random.Random(f"{args.seed}-{label}"))
            if rng.random() >= args.mention:
                continue
            for _ in range(args.sentences):
                words = rng.choices(signatures[label], k=5) + rng.choices(VOCABULARY[:400], k=10)
                rng.shuffle(words)
                sentences.append(" ".join(words).capitalize() + ".")
        if sentences:
            path.write_text(text.rstrip("\n") + "\n\n## What we saw\n\n" + " ".join(sentences) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
