#!/usr/bin/env python3
"""Search relevance (issue 15's benchmark), for `hindsight search` and the static search page.

    python3 benches/relevance.py labels BINARY LIBRARY     part 1: label-name queries
    python3 benches/relevance.py judged BINARY [LIBRARY]   part 2: hand-judged queries
    python3 benches/relevance.py similar BINARY [LIBRARY]  static "find similar" against `similar -`

Part 1: for every failure mode of LIBRARY (a library from benches/generate.py, say), searches its
name as written (`retry-storm`) and as words (`retry storm`), n being how many published retros
carry it, and prints the recall of those retros in the first n results (goal: 1.0).
Part 2: about 30 symptom queries on the sample library (LIBRARY defaults to the repository
root), each with the retros a reader needs it to find, judged by hand from their text: recall@10
and mean reciprocal rank (goal: recall@10 >= 0.9).
`similar`: ten pasted texts (alerts, chat, a draft) through the static page's similar mode and
`BINARY similar -`: how many of the CLI's top 5 the page also lists in its top 5.
Part 3 (a public postmortem corpus) lives in benches/relevance_public.py;
`relevance.py public ARGS…` runs it with ARGS.

Each part measures the CLI and the static page: LIBRARY is built with BINARY into a temporary
folder, served by a static server on loopback (this script, standard library) and driven in
Debian's chromium through playwright-core (tests/browser/relevance.mjs; run `npm ci` there).
Run by hand, not in CI.
"""
import collections
import functools
import http.server
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import threading

REPO = pathlib.Path(__file__).resolve().parent.parent
BROWSER = REPO / "tests" / "browser"

# Part 2: query -> the published sample retros it must find (read from their text and labels).
JUDGED = {
    "retry storm": ["INC-2023-001", "INC-2023-006", "INC-2024-008", "INC-2025-003"],
    "pool exhausted": ["INC-2023-004", "INC-2024-004"],
    "connection pool exhausted": ["INC-2023-004", "INC-2024-004"],
    "cert expired": ["INC-2023-002", "INC-2025-004"],
    "x509": ["INC-2023-002", "INC-2025-004"],
    "black friday": ["INC-2023-006", "INC-2024-008"],
    "duplicate texts": ["INC-2025-003"],
    # No retro says ECONNRESET; the one whose clients saw their connections refused is closest.
    "ECONNRESET": ["INC-2024-005"],
    "OOMKilled": ["INC-2024-001", "INC-2025-005"],
    "heap growth": ["INC-2025-005"],
    "NXDOMAIN": ["INC-2024-006"],
    "dns records missing": ["INC-2024-006"],
    "clock skew": ["INC-2024-003"],
    "ntp drift": ["INC-2024-003"],
    "jwt validation failures": ["INC-2024-003"],
    "circuit breaker": ["INC-2023-001", "INC-2023-006", "INC-2024-008", "INC-2025-002"],
    "processor throttled": ["INC-2024-002", "INC-2024-008"],
    "429": ["INC-2023-005", "INC-2024-002", "INC-2024-008"],
    "rabbitmq backlog": ["INC-2025-002"],
    "feature flag": ["INC-2025-006"],
    "3-D Secure": ["INC-2025-006"],
    "mtls": ["INC-2025-004"],
    "long running migration": ["INC-2024-004"],
    "availability zone": ["INC-2024-005"],
    "tokenizer zero results": ["INC-2024-007"],
    "stale search results": ["INC-2023-003"],
    "emails delayed": ["INC-2024-001", "INC-2025-002"],
    "sms provider": ["INC-2025-003"],
    # Symptoms described in the reader's words, which no retro uses all of.
    "payment processor slow retries timeout": ["INC-2023-001", "INC-2024-008"],
    "database connections exhausted during deploy": ["INC-2023-004", "INC-2024-004"],
    "customers got the same sms twice": ["INC-2025-003"],
    "hostnames not resolving after config push": ["INC-2024-006"],
    "tokens rejected clock drift": ["INC-2024-003"],
    "pods restarted memory growing": ["INC-2024-001", "INC-2025-005"],
}

# `similar`: text an engineer might paste, as written in the heat of an incident.
PASTED = [
    "PagerDuty ALERT checkout-api p99 latency > 2s. Payment processor responding slowly, "
    "clients retrying, request rate tripled. Is this the retry storm again?",
    "orders-db: FATAL remaining connection slots are reserved; connection pool exhausted after "
    "deploy, checkout requests timing out waiting for a connection",
    "x509: certificate has expired or is not yet valid. Logins failing at the edge gateway "
    "since 00:00 UTC, TLS handshake errors on auth-service",
    "notification-worker pods OOMKilled every half hour, heap keeps growing, emails delayed",
    "SMS provider returning 500s; our worker retries and customers got the same text three "
    "times. Need idempotency keys?",
    "api hostnames stopped resolving: NXDOMAIN from internal DNS after a zone push",
    "token validation failing on new nodes, JWT not yet valid, looks like clock drift / NTP",
    "search results are hours old, indexer queue backlog growing after the bulk import",
    "draft: feature flag turned on 3-D Secure for all cards, mobile checkout conversion dropped",
    "Black Friday traffic spike, checkout brownout, autoscaling too slow, shed load at the edge",
]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class StaticPage:
    """LIBRARY built with BINARY, served on loopback, and its search page in chromium."""

    def __init__(self, binary, library):
        self.tmp = tempfile.TemporaryDirectory()
        out = pathlib.Path(self.tmp.name) / "site"
        subprocess.run([binary, "--root", str(library), "build", "-o", str(out)], check=True,
                       capture_output=True)
        handler = functools.partial(Quiet, directory=str(out))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.node = subprocess.Popen(["node", "relevance.mjs", url], cwd=BROWSER, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def ask(self, request):
        self.node.stdin.write(json.dumps(request) + "\n")
        self.node.stdin.flush()
        return json.loads(self.node.stdout.readline())["ids"]

    def search(self, query, n):
        return self.ask({"query": query, "n": n})

    def similar(self, text, n):
        return self.ask({"similar": text, "n": n})

    def close(self):
        self.node.stdin.close()
        self.node.wait()
        self.server.shutdown()
        self.tmp.cleanup()


def cli_search(binary, library, query, n):
    run = subprocess.run([binary, "--root", str(library), "search", query, "--limit", str(n), "--json"],
                         capture_output=True, text=True, check=True)
    return [hit["id"] for hit in json.loads(run.stdout)["results"]]


def cli_similar(binary, library, text, n):
    run = subprocess.run([binary, "--root", str(library), "similar", "-", "--limit", str(n), "--json"],
                         input=text, capture_output=True, text=True, check=True)
    return [hit["id"] for hit in json.loads(run.stdout)["results"]]


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


def labels(binary, library, page):
    """Part 1: recall of each failure mode's retros in the first n results of its name."""
    modes = labelled(library)
    for form, query_of in [("as written", lambda m: m), ("as words", lambda m: m.replace("-", " "))]:
        for name, search in [("CLI", functools.partial(cli_search, binary, library)), ("static", page.search)]:
            scores = [len(set(search(query_of(mode), len(ids))) & ids) / len(ids)
                      for mode, ids in sorted(modes.items())]
            print(f"{name:>6} {form:>10}: {len(scores)} failure modes, mean recall "
                  f"{sum(scores) / len(scores):.3f}, min {min(scores):.2f}")


def judged(binary, library, page):
    """Part 2: recall@10 and MRR of the hand-judged queries."""
    for name, search in [("CLI", functools.partial(cli_search, binary, library)), ("static", page.search)]:
        recalls, ranks, misses = [], [], []
        for query, expected in JUDGED.items():
            found = search(query, 10)
            recalls.append(len(set(found) & set(expected)) / len(expected))
            first = next((i + 1 for i, id in enumerate(found) if id in expected), None)
            ranks.append(1 / first if first else 0.0)
            misses += [f"{query!r}: {id}" for id in expected if id not in found]
        print(f"{name:>6}: {len(JUDGED)} queries, recall@10 {sum(recalls) / len(recalls):.3f}, "
              f"MRR {sum(ranks) / len(ranks):.3f}")
        for miss in misses:
            print(f"        missed {miss}")


def similar(binary, library, page):
    """The static similar mode's top 5 beside `BINARY similar -`'s, text by text."""
    shared = listed = same = 0
    for text in PASTED:
        cli, static = cli_similar(binary, library, text, 5), page.similar(text, 5)
        shared, listed, same = shared + len(set(cli) & set(static)), listed + len(cli), same + (cli == static)
        print(f"{len(set(cli) & set(static))} of the CLI's {len(cli)} (page lists {len(static)}"
              f"{', same order' if cli == static else ''}): {text[:60]!r}")
    print(f"top-5 overlap: the page lists {shared} of the CLI's {listed} ({shared / max(listed, 1):.2f}); "
          f"identical lists for {same} of {len(PASTED)} texts")


def main():
    if sys.argv[1:2] == ["public"]:
        sys.exit(subprocess.run([sys.executable, str(REPO / "benches" / "relevance_public.py"), *sys.argv[2:]]).returncode)
    if len(sys.argv) < 3 or sys.argv[1] not in ("labels", "judged", "similar"):
        sys.exit(__doc__)
    part, binary = sys.argv[1], str(pathlib.Path(sys.argv[2]).resolve())
    library = pathlib.Path(sys.argv[3] if len(sys.argv) > 3 else REPO).resolve()
    page = StaticPage(binary, library)
    try:
        {"labels": labels, "judged": judged, "similar": similar}[part](binary, library, page)
    finally:
        page.close()


if __name__ == "__main__":
    main()
