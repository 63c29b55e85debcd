#!/usr/bin/env python3
"""Builds the same generated corpus with hindsight, with Hugo, and with Hugo then the pagefind
CLI, alternating, and prints wall time, CPU time and peak RSS of each and hindsight's ratios.

    python3 benches/hugo_compare.py [N ...] [--rounds R] [--keep DIR] [--binary BIN] [--no-warm]

Defaults: N = 1000 10000, R = 3. For each N, `benches/generate.py N --hugo` writes the library
and the matching Hugo site; both tools build once to warm the page cache (with --no-warm, each
tool's input files are read before each of its runs instead), then R timed rounds
run hindsight and Hugo one after the other, so a busy machine slows both alike. Every timed run
is a full, cold build: the output folder and hindsight's `.hindsight/` cache are moved aside
first (not timed) into a trash folder that is deleted only when every round is done. Deleting
them between runs made the next run's file creations slow on ext4 without a journal (the
inode allocator walks past every recently freed inode: `recently_deleted` in the kernel), by up
to 1.5 s of system time at 1,000 retros and unevenly between the tools; a build into a fresh
folder is what CI does. hindsight's build is the whole pipeline: pages, facet pages, dashboards, feeds,
similar incidents, the pagefind bundle and the tantivy index. Hugo (Debian's `hugo` package,
0.111) renders pages, taxonomy pages for services, failure modes and contributing factors,
related pages, RSS and a sitemap. The second peer is what a team bolts together for search:
Hugo, then the pagefind CLI over Hugo's output (`pagefind --site OUT`), from the npm registry's
`@pagefind/linux-x64` (PAGEFIND_VERSION), which the script installs with npm into
~/.cache/hindsight-bench/ on first use; its wall and CPU are the sum of both runs and its peak
RSS the larger. Figures are medians over the rounds (peak RSS: the largest).
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
# The release hindsight vendors (vendor/pagefind), so both run the same pagefind.
PAGEFIND_VERSION = "1.6.0"
# Where outputs and caches are moved aside between runs: a folder in the work folder, deleted at
# the end (set in `main`).
trash_dir = None
PAGEFIND_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "hindsight-bench", f"pagefind-{PAGEFIND_VERSION}")


def timed(command, cwd=None):
    """Runs `command` under GNU time; returns (wall s, cpu s, peak RSS KiB)."""
    fmt = "%e %U %S %M"
    result = subprocess.run(["/usr/bin/time", "-f", fmt, "-o", "/dev/stderr", *command], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed:\n{result.stderr[-2000:]}")
    wall, user, system, rss = result.stderr.strip().splitlines()[-1].split()
    return float(wall), float(user) + float(system), int(rss)


def set_aside(path):
    """Moves `path`, if it exists, into the trash folder (see the module comment), which is in
    the work folder and so on the same file system."""
    if os.path.lexists(path):
        os.makedirs(trash_dir, exist_ok=True)
        os.rename(path, os.path.join(tempfile.mkdtemp(dir=trash_dir), "set-aside"))


def hindsight_run(binary, library, out):
    set_aside(out)
    set_aside(os.path.join(library, ".hindsight"))
    return timed([binary, "--root", library, "build", "--now", "2026-11-24", "--output", out])


def hugo_run(site, out):
    set_aside(out)
    return timed(["hugo", "--quiet", "--source", site, "--destination", out])


def pagefind_binary():
    """The pagefind CLI from npm's @pagefind/linux-x64, installed into PAGEFIND_CACHE once."""
    binary = os.path.join(PAGEFIND_CACHE, "node_modules", "@pagefind", "linux-x64", "bin", "pagefind_extended")
    if not os.path.exists(binary):
        if not shutil.which("npm"):
            sys.exit("npm is needed to install the pagefind CLI (@pagefind/linux-x64): apt-get install npm")
        os.makedirs(PAGEFIND_CACHE, exist_ok=True)
        subprocess.run(["npm", "install", "--no-save", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error",
                        "--prefix", PAGEFIND_CACHE, f"@pagefind/linux-x64@{PAGEFIND_VERSION}"], check=True)
    return binary


def hugo_pagefind_run(site, out, pagefind):
    """Hugo, then the pagefind CLI over its output: summed wall and CPU, the larger peak RSS."""
    hugo_wall, hugo_cpu, hugo_rss = hugo_run(site, out)
    wall, cpu, rss = timed([pagefind, "--site", out, "--silent"])
    return hugo_wall + wall, hugo_cpu + cpu, max(hugo_rss, rss)


def summarise(runs):
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", help="generate into this folder and keep it (default: a temp folder)")
    parser.add_argument("--binary", help="time this hindsight binary instead of building the release one")
    parser.add_argument("--no-pagefind", action="store_true",
                        help="leave out Hugo + the pagefind CLI (pagefind 1.6 runs out of memory past ~30,000 pages, #842)")
    parser.add_argument("--no-warm", action="store_true",
                        help="skip the warm-up builds (at 100,000 retros they take as long as a round); "
                             "each tool's input files are read once, untimed, before each of its runs instead")
    args = parser.parse_args()
    if not shutil.which("hugo"):
        sys.exit("hugo is not installed: apt-get install hugo (Debian's package is 0.111)")
    binary = args.binary
    if not binary:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
        binary = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "release", "hindsight")
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    pagefind = None if args.no_pagefind else pagefind_binary()
    work = args.keep or tempfile.mkdtemp(prefix="hugo-compare-")
    global trash_dir
    trash_dir = os.path.join(work, ".trash")
    rows = []
    try:
        for n in args.sizes:
            library, site = os.path.join(work, f"hindsight-{n}"), os.path.join(work, f"hugo-{n}")
            if not os.path.isdir(library):
                subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), library, "--hugo", site],
                               check=True, stdout=subprocess.DEVNULL)
            out_h, out_g = os.path.join(work, f"out-hindsight-{n}"), os.path.join(work, f"out-hugo-{n}")
            if not args.no_warm:
                hindsight_run(binary, library, out_h)  # warm-up
                if pagefind:
                    hugo_pagefind_run(site, out_g, pagefind)
            ours, theirs, bolted = [], [], []
            for round_ in range(args.rounds):
                if args.no_warm:
                    read_every_file(library)
                ours.append(hindsight_run(binary, library, out_h))
                print(f"  {n} round {round_ + 1}: hindsight {ours[-1]}", file=sys.stderr, flush=True)
                if args.no_warm:
                    read_every_file(site)
                theirs.append(hugo_run(site, out_g))
                print(f"  {n} round {round_ + 1}: hugo {theirs[-1]}", file=sys.stderr, flush=True)
                if pagefind:
                    bolted.append(hugo_pagefind_run(site, out_g, pagefind))
                    print(f"  {n} round {round_ + 1}: hugo + pagefind {bolted[-1]}", file=sys.stderr, flush=True)
            peers = [summarise(theirs)] + ([summarise(bolted)] if bolted else [])
            rows.append((n, summarise(ours), *peers))
    finally:
        shutil.rmtree(trash_dir, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"hindsight full build vs Hugo {version} and Hugo + pagefind {PAGEFIND_VERSION}, median of "
          f"{args.rounds} alternating rounds, {os.cpu_count()} cores; ratios are hindsight's to each")
    print("| retros | tool | wall | CPU | peak RSS | wall per retro | hindsight's wall ratio | hindsight's RSS ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for n, ours, *peers in rows:
        hw, hc, hr = ours
        print(f"| {n:,} | hindsight | {hw:.2f} s | {hc:.2f} s | {hr // 1024:,} MiB | {hw / n * 1000:.2f} ms | | |")
        for name, (pw, pc, pr) in zip(["Hugo", "Hugo + pagefind"], peers):
            print(f"| {n:,} | {name} | {pw:.2f} s | {pc:.2f} s | {pr // 1024:,} MiB | {pw / n * 1000:.2f} ms "
                  f"| {hw / pw:.2f} | {hr / pr:.2f} |")


def read_every_file(folder):
    """Reads every file under `folder` once, so a run without a warm-up build finds its input in
    the page cache, as a run after one does: on this machine's disk, reading 100,000 retros cold
    took 25 to 40 s, which timed the disk, not the tool."""
    for parent, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(parent, name), "rb") as file:
                while file.read(1 << 20):
                    pass


if __name__ == "__main__":
    main()
