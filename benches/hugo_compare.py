#!/usr/bin/env python3
"""Builds the same generated corpus with hindsight and with Hugo, alternating, and prints wall
time, CPU time and peak RSS of each and their ratio.

    python3 benches/hugo_compare.py [N ...] [--rounds R] [--keep DIR]

Defaults: N = 1000 10000, R = 3. For each N, `benches/generate.py N --hugo` writes the library
and the matching Hugo site; both tools build once to warm the page cache, then R timed rounds
run hindsight and Hugo one after the other, so a busy machine slows both alike. Every timed run
is a full, cold build: the output folder and hindsight's `.hindsight/` cache are removed first
(not timed). hindsight's build is the whole pipeline: pages, facet pages, dashboards, feeds,
similar incidents, the pagefind bundle and the tantivy index. Hugo (Debian's `hugo` package,
0.111) renders pages, taxonomy pages for services, failure modes and contributing factors,
related pages, RSS and a sitemap. Figures are medians over the rounds (peak RSS: the largest).
GNU time measures: wall, user + system CPU, and the peak RSS of the process.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def timed(command, cwd=None):
    """Runs `command` under GNU time; returns (wall s, cpu s, peak RSS KiB)."""
    fmt = "%e %U %S %M"
    result = subprocess.run(["/usr/bin/time", "-f", fmt, "-o", "/dev/stderr", *command], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed:\n{result.stderr[-2000:]}")
    wall, user, system, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss)


def hindsight_run(binary, library, out):
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(os.path.join(library, ".hindsight"), ignore_errors=True)
    return timed([binary, "--root", library, "build", "--now", "2026-11-24", "--output", out])


def hugo_run(site, out):
    shutil.rmtree(out, ignore_errors=True)
    return timed(["hugo", "--quiet", "--source", site, "--destination", out])


def summarise(runs):
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", help="generate into this folder and keep it (default: a temp folder)")
    args = parser.parse_args()
    if not shutil.which("hugo"):
        sys.exit("hugo is not installed: apt-get install hugo (Debian's package is 0.111)")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    binary = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "hindsight")
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    work = args.keep or tempfile.mkdtemp(prefix="hugo-compare-")
    rows = []
    try:
        for n in args.sizes:
            library, site = os.path.join(work, f"hindsight-{n}"), os.path.join(work, f"hugo-{n}")
            if not os.path.isdir(library):
                subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), library, "--hugo", site],
                               check=True, stdout=subprocess.DEVNULL)
            out_h, out_g = os.path.join(work, f"out-hindsight-{n}"), os.path.join(work, f"out-hugo-{n}")
            hindsight_run(binary, library, out_h)  # warm-up
            hugo_run(site, out_g)
            ours, theirs = [], []
            for round_ in range(args.rounds):
                ours.append(hindsight_run(binary, library, out_h))
                theirs.append(hugo_run(site, out_g))
                print(f"  {n} round {round_ + 1}: hindsight {ours[-1]}  hugo {theirs[-1]}", file=sys.stderr)
            rows.append((n, summarise(ours), summarise(theirs)))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"hindsight full build vs Hugo {version}, median of {args.rounds} alternating rounds, {os.cpu_count()} cores")
    print("| retros | tool | wall | CPU | peak RSS | wall per retro | wall ratio | RSS ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n, (hw, hc, hr), (gw, gc, gr) in rows:
        print(f"| {n:,} | hindsight | {hw:.2f} s | {hc:.2f} s | {hr // 1024:,} MiB | {hw / n * 1000:.2f} ms "
              f"| {hw / gw:.2f} | {hr / gr:.2f} |")
        print(f"| {n:,} | Hugo | {gw:.2f} s | {gc:.2f} s | {gr // 1024:,} MiB | {gw / n * 1000:.2f} ms | 1 | 1 |")


if __name__ == "__main__":
    main()
