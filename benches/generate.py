#!/usr/bin/env python3
"""Generates a realistic hindsight library of N retros for benchmarks.

    python3 benches/generate.py N OUT_DIR [--seed S] [--hugo HUGO_DIR]

Writes OUT_DIR/hindsight.yaml, OUT_DIR/taxonomy.yaml (30 services, 25 failure modes,
25 contributing factors, 10 teams, 10 triggers) and OUT_DIR/content/<year>/INC-<year>-<n>.md
with full front matter (timelines, action items, related ids) and varied bodies (tables, lists,
code blocks in several languages, footnotes). Deterministic for a given seed. Standard library only.

With --hugo, also writes the same corpus as a Hugo site in HUGO_DIR: the same front matter and
bodies, taxonomies for services, failure modes and contributing factors, and small layouts that
show what a retro page shows (summary, facets, timeline, action items, body), so both tools
render comparable pages.
"""
import argparse
import datetime as dt
import os
import random

TEAMS = ["payments", "storefront", "identity", "platform", "search", "messaging", "data", "mobile", "growth", "security"]
WORDS = ("connection pool exhausted after deploy retry storm backoff jitter timeout circuit breaker queue backlog "
         "consumer lag certificate expired handshake dns resolver cache stale config push canary rollout rollback "
         "memory leak heap garbage collector pause latency p99 error rate 5xx ECONNRESET throttled quota disk full "
         "replica lag failover primary election split brain clock skew ntp drift token validation load balancer "
         "health check flapping alert fatigue runbook pager escalation customer impact checkout payment search "
         "index rebuild migration lock contention deadlock thread pool saturation autoscaling cold start").split()
# Function words lead a Zipf-distributed vocabulary, domain words sit in the middle and a long
# tail of rarer made-up words follows, so word frequencies look like real prose rather than a
# few hundred words repeated in every retro.
FUNCTION_WORDS = ("the of and to a in was we for on that is it with as by at from our this were be not after "
                  "when which had all but so no an one two more than then they their into out up about could "
                  "would there been have has did also only some its over before while during because until").split()


def pseudo_words(count):
    syllables = ["ka", "lo", "mi", "ren", "sto", "vak", "tor", "bel", "dun", "fis", "gar", "hep", "jol", "nor",
                 "pex", "quin", "rav", "sul", "tem", "ux", "vor", "wel", "yad", "zem"]
    words, i = [], 0
    while len(words) < count:
        a, b, c = syllables[i % 24], syllables[(i // 24) % 24], syllables[(i // 576) % 24]
        words.append(a + b + (c if i >= 576 else ""))
        i += 1
    return words


VOCABULARY = FUNCTION_WORDS + WORDS + pseudo_words(6000)
CUMULATIVE = []
_total = 0.0
for _rank in range(1, len(VOCABULARY) + 1):
    _total += 1.0 / _rank ** 1.07
    CUMULATIVE.append(_total)

LANGS = [("go", "func retry(ctx context.Context) error {\n\tfor i := 0; i < 3; i++ {\n\t\tif err := call(ctx); err == nil {\n\t\t\treturn nil\n\t\t}\n\t\ttime.Sleep(backoff(i))\n\t}\n\treturn errRetriesExhausted\n}\n"),
         ("python", "def drain(queue, limit=500):\n    for message in queue.receive(max_messages=limit):\n        handle(message)\n        message.ack()\n"),
         ("yaml", "spec:\n  replicas: 6\n  strategy:\n    rollingUpdate:\n      maxUnavailable: 1\n"),
         ("sql", "SELECT order_id, status FROM orders\nWHERE updated_at > now() - interval '1 hour'\nORDER BY updated_at DESC;\n"),
         ("rust", "fn backoff(attempt: u32) -> Duration {\n    Duration::from_millis(100 * 2u64.pow(attempt))\n}\n"),
         ("bash", "kubectl -n checkout rollout undo deployment/checkout-api\nkubectl -n checkout get pods -w\n"),
         ("text", "2024-03-05T14:02:11Z ERROR pool: timed out waiting for connection (waited 30000ms, active=50, idle=0)\n")]


def names(prefix, words, n):
    return [f"{w}-{prefix}" if i >= len(words) else words[i] for i, w in enumerate((words * 3)[:n])]


def build_taxonomy(rng):
    services = [f"svc-{w}" for w in ["checkout", "payments", "auth", "edge", "search", "indexer", "notify", "orders",
                                     "cart", "catalog", "pricing", "inventory", "shipping", "ledger", "fraud", "users",
                                     "sessions", "media", "reviews", "recs", "ads", "email", "sms", "push", "gateway",
                                     "billing", "tax", "returns", "loyalty", "analytics"]]
    failure_modes = ["retry-storm", "connection-pool-exhaustion", "certificate-expiry", "bad-config-push",
                     "capacity-exhaustion", "deploy-regression", "dependency-outage", "memory-leak", "queue-backlog",
                     "data-corruption", "dns-failure", "clock-skew", "thundering-herd", "split-brain", "disk-full",
                     "quota-exceeded", "cache-stampede", "deadlock", "gc-pause", "network-partition",
                     "schema-migration-lock", "rate-limit-misfire", "cert-chain-mismatch", "cron-overlap", "hot-shard"]
    factors = ["missing-circuit-breaker", "no-canary", "missing-timeout", "alert-fatigue", "stale-runbook",
               "insufficient-load-testing", "config-not-validated", "unmonitored-expiry", "single-point-of-failure",
               "unbounded-queue", "ownership-gap", "manual-toil", "missing-backpressure", "untested-failover",
               "shared-credentials", "noisy-neighbour", "unclear-escalation", "missing-dashboards", "slow-rollback",
               "feature-flag-debt", "hidden-dependency", "capacity-planning-gap", "missing-idempotency",
               "retry-without-jitter", "log-volume-spike"]
    triggers = ["deploy", "config-change", "traffic-spike", "certificate-rotation", "dependency-failure",
                "scheduled-job", "infrastructure-change", "game-day-exercise", "data-migration", "security-patch"]
    return services, failure_modes, factors, triggers


def write_taxonomy(out, services, failure_modes, factors, triggers, rng):
    lines = ["teams:"] + [f"  - name: {t}\n    description: \"The {t} team.\"" for t in TEAMS]
    lines += ["services:"] + [f"  - name: {s}\n    team: {TEAMS[i % len(TEAMS)]}\n    description: \"The {s[4:]} service.\"" for i, s in enumerate(services)]
    for key, values in [("failure_modes", failure_modes), ("contributing_factors", factors), ("triggers", triggers)]:
        lines += [f"{key}:"] + [f"  - name: {v}\n    description: \"{v.replace('-', ' ').capitalize()}.\"" for v in values]
    with open(os.path.join(out, "taxonomy.yaml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "hindsight.yaml"), "w") as f:
        f.write("title: Generated library\ntracker_url: \"https://tracker.example/browse/{key}\"\n"
                "action_item_sla_days: {SEV1: 15, SEV2: 30, SEV3: 60, SEV4: 90}\n")


def sentence(rng, n=14):
    words = rng.choices(VOCABULARY, cum_weights=CUMULATIVE, k=n)
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(rng.randint(3, 6)))


def body(rng, with_footnote):
    parts = ["## Impact", paragraph(rng), "## Monitoring and detection", paragraph(rng),
             "## Communication timeline", "| Time | Channel | Message |", "|---|---|---|"]
    parts += [f"| {10 + i}:{rng.randint(10, 59)} | status page | {sentence(rng, 6)} |" for i in range(rng.randint(3, 6))]
    parts += ["", "## Contributing factors"] + [f"- {sentence(rng, 9)}" for _ in range(rng.randint(3, 5))]
    lang, code = rng.choice(LANGS)
    parts += ["", "## Technical analysis", paragraph(rng), f"```{lang}\n{code}```", paragraph(rng)]
    parts += ["## What went well / What went wrong / Where we got lucky", "### What went well",
              f"- {sentence(rng, 8)}", f"- {sentence(rng, 8)}", "### What went wrong", f"1. {sentence(rng, 10)}",
              f"2. {sentence(rng, 10)}", "### Where we got lucky", f"- [x] {sentence(rng, 7)}",
              "## Follow-up actions", paragraph(rng), "## Narrative", paragraph(rng), paragraph(rng)]
    if with_footnote:
        parts += ["See the capacity review.[^1]", "", "[^1]: " + sentence(rng, 8)]
    return "\n\n".join(parts) + "\n"


def ts(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def retro(rng, n, index_in_year, date, ids_so_far, services, failure_modes, factors, triggers):
    rid = f"INC-{date.year}-{index_in_year:05d}"
    started = dt.datetime(date.year, date.month, date.day, rng.randint(0, 20), rng.randint(0, 59))
    detected = started + dt.timedelta(minutes=rng.randint(1, 60))
    acknowledged = detected + dt.timedelta(minutes=rng.randint(0, 15))
    mitigated = acknowledged + dt.timedelta(minutes=rng.randint(5, 240))
    resolved = mitigated + dt.timedelta(minutes=rng.randint(0, 2000))
    severity = rng.choices(["SEV1", "SEV2", "SEV3", "SEV4"], weights=[1, 4, 8, 4])[0]
    kind = rng.choices(["incident", "near-miss", "game-day"], weights=[20, 2, 1])[0]
    related = rng.sample(ids_so_far[-200:], k=min(len(ids_so_far), rng.randint(0, 2)))
    items = []
    for i in range(rng.randint(1, 5)):
        status = rng.choice(["open", "in-progress", "blocked", "done", "done", "wont-do"])
        due = date + dt.timedelta(days=rng.randint(7, 90))
        item = [f"  - id: AI-{i + 1}", f"    title: \"{sentence(rng, 7)[:-1]}\"", f"    owner: Owner {rng.randint(1, 60)}",
                f"    due: {due}", f"    status: {status}", f"    type: {rng.choice(['prevent', 'mitigate', 'detect', 'process', 'other'])}",
                f"    priority: p{rng.randint(0, 3)}", f"    tracking: OPS-{n * 10 + i}",
                f"    metric: \"{sentence(rng, 8)[:-1]}\""]
        if status == "done":
            item.append(f"    completed: {due - dt.timedelta(days=rng.randint(0, 6))}")
        if status == "wont-do":
            item.append("    note: \"Superseded by the platform migration.\"")
        items.append("\n".join(item))
    front = [
        "---", f"id: {rid}", f"title: \"{sentence(rng, rng.randint(5, 10))[:-1]}\"", f"date: {date}",
        f"severity: {severity}", f"kind: {kind}", f"summary: \"{sentence(rng, 25)} {sentence(rng, 15)}\"",
        f"services: [{', '.join(rng.sample(services, k=rng.randint(1, 3)))}]",
        f"failure_modes: [{', '.join(rng.sample(failure_modes, k=rng.randint(1, 2)))}]",
        f"contributing_factors: [{', '.join(rng.sample(factors, k=rng.randint(1, 4)))}]",
        f"trigger: {rng.choice(triggers)}", f"detection: {rng.choice(['monitoring', 'customer-report', 'employee-report', 'automated-test'])}",
        "impact:", f"  level: {rng.choice(['high', 'medium', 'low'])}", f"  customer_facing: {rng.choice(['true', 'false'])}",
        f"  users_affected: {rng.randint(0, 200000)}", f"  description: \"{sentence(rng, 12)}\"",
        "timeline:", f"  started: \"{ts(started)}\"", f"  detected: \"{ts(detected)}\"",
        f"  acknowledged: \"{ts(acknowledged)}\"", f"  mitigated: \"{ts(mitigated)}\"", f"  resolved: \"{ts(resolved)}\"",
        f"authors: [Author {rng.randint(1, 40)}, Author {rng.randint(41, 80)}]", f"incident_commander: IC {rng.randint(1, 20)}",
        f"related: [{', '.join(related)}]", f"tags: [{', '.join(rng.sample(WORDS, k=rng.randint(0, 3)))}]",
        "links:", "  - title: Dashboard", f"    url: \"https://dashboards.example/d/{n}\"",
        "action_items:", *items, "---", "",
    ]
    return rid, "\n".join(front) + body(rng, n % 3 == 0)


HUGO_CONFIG = """baseURL = "https://retros.example/"
title = "Generated library"
disableKinds = []
[taxonomies]
  service = "services"
  failure_mode = "failure_modes"
  contributing_factor = "contributing_factors"
[markup.highlight]
  noClasses = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
{{ range $name, $_ := .Site.Taxonomies }}<a href="{{ printf "/%s/" $name | relURL }}">{{ $name }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.id }} · {{ .Date.Format "2006-01-02" }} · {{ .Params.severity }}</p>
<p>{{ .Params.summary }}</p>
<dl>{{ range $taxonomy, $_ := .Site.Taxonomies }}<dt>{{ $taxonomy }}</dt>
<dd>{{ range $.GetTerms $taxonomy }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}</dl>
<table>{{ range $k, $v := .Params.timeline }}<tr><th>{{ $k }}</th><td>{{ $v }}</td></tr>{{ end }}</table>
<ul>{{ range .Params.action_items }}<li>{{ .id }} {{ .title }} ({{ .owner }}, {{ .status }}, due {{ .due }})</li>{{ end }}</ul>
{{ .Content }}
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">previous</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">next</a>{{ end }}
{{ $related := .Site.RegularPages.Related . | first 5 }}{{ with $related }}<ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }} {{ .Params.severity }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo_retro(hugo, year, rid, text):
    """The retro as a Hugo page: `kind` is Hugo's own front-matter key, so it is renamed."""
    folder = os.path.join(hugo, "content", "retros", str(year))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, rid + ".md"), "w") as f:
        f.write(text.replace("\nkind: ", "\nincident_kind: ", 1))


def write_hugo_site(hugo):
    with open(os.path.join(hugo, "config.toml"), "w") as f:
        f.write(HUGO_CONFIG)
    for name, template in HUGO_LAYOUTS.items():
        path = os.path.join(hugo, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(template)
    os.makedirs(os.path.join(hugo, "static"), exist_ok=True)
    with open(os.path.join(hugo, "static", "style.css"), "w") as f:
        f.write("body { font-family: sans-serif; max-width: 60rem; margin: auto; }\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--hugo", help="also write the corpus as a Hugo site here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    services, failure_modes, factors, triggers = build_taxonomy(rng)
    os.makedirs(os.path.join(args.out, "content"), exist_ok=True)
    write_taxonomy(args.out, services, failure_modes, factors, triggers, rng)
    start = dt.date(2015, 1, 1)
    span_days = 365 * 11
    dates = sorted(start + dt.timedelta(days=rng.randrange(span_days)) for _ in range(args.count))
    ids, per_year = [], {}
    for n, date in enumerate(dates):
        per_year[date.year] = per_year.get(date.year, 0) + 1
        rid, text = retro(rng, n, per_year[date.year], date, ids, services, failure_modes, factors, triggers)
        ids.append(rid)
        folder = os.path.join(args.out, "content", str(date.year))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, rid + ".md"), "w") as f:
            f.write(text)
        if args.hugo:
            write_hugo_retro(args.hugo, date.year, rid, text)
    if args.hugo:
        write_hugo_site(args.hugo)
    print(f"wrote {args.count} retros to {args.out}" + (f" and {args.hugo}" if args.hugo else ""))


if __name__ == "__main__":
    main()
