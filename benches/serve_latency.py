#!/usr/bin/env python3
"""Dev-server latency: time from writing a retro file until the served page shows the change.

    python3 benches/serve_latency.py N [--edits 7] [--binary target/release/hindsight]

Generates N retros (benches/generate.py), starts `hindsight serve` on them, then edits one retro's
body (and separately its front matter) repeatedly, polling the served page every 2 ms until the
change is there. Prints the median and max per kind, and the server's resident memory.
Standard library only; build the release binary first (cargo build --release).
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_until(url, needle, timeout=600):
    start = time.monotonic()
    while needle not in fetch(url):
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out waiting for {needle!r} at {url}")
        time.sleep(0.002)


def wait_idle(base):
    import json
    time.sleep(0.2)
    while json.loads(fetch(base + "/__hindsight/status") or '{"busy": true}').get("busy", True):
        time.sleep(0.05)


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["VmRSS"].split()[0]) // 1024, int(fields["VmHWM"].split()[0]) // 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--binary", default="target/release/hindsight")
    args = parser.parse_args()
    work = tempfile.mkdtemp()
    site = os.path.join(work, "site")
    subprocess.run([sys.executable, "benches/generate.py", str(args.count), site], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([args.binary, "--root", site, "serve", "--port", str(port), "--now", "2026-11-24"],
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        start = time.monotonic()
        wait_until(base + "/index.html", "</html>")
        wait_idle(base)
        print(f"{args.count} retros: first build served after {time.monotonic() - start:.1f} s")
        year = sorted(os.listdir(os.path.join(site, "content")))[-1]
        name = sorted(os.listdir(os.path.join(site, "content", year)))[-1]
        path = os.path.join(site, "content", year, name)
        page = f"{base}/retros/{name[:-3]}.html"
        original = open(path).read()
        results = {"body edit": [], "front-matter edit": []}
        # All body edits first, then all front-matter edits, each from the original text, so a
        # body edit never also reverts an earlier title change.
        for kind in results:
            for i in range(args.edits):
                marker = f"MARKER{i}{kind[0]}"
                if kind == "body edit":
                    text = original.replace("## Impact\n\n", f"## Impact\n\n{marker} ", 1)
                else:
                    text = re.sub(r'^title: "', f'title: "{marker} ', original, count=1, flags=re.M)
                t0 = time.monotonic()
                with open(path, "w") as f:
                    f.write(text)
                wait_until(page, marker)
                results[kind].append((time.monotonic() - t0) * 1000)
                wait_idle(base)
        for kind, times in results.items():
            print(f"  {kind}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms over {len(times)} edits")
        rss, peak = rss_mib(server.pid)
        print(f"  server memory: {rss} MiB resident, {peak} MiB peak")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
