#!/usr/bin/env bash
# A fixed set of queries run through `hindsight search --json`, to check that a change to the
# tantivy index leaves every answer (ids, order, scores, snippets, corrections) as it was.
# Usage: benches/search_queries.sh HINDSIGHT_BINARY LIBRARY_ROOT > answers.jsonl
#   then compare two runs with `diff`. Build the library first (the index is its cache).
set -euo pipefail
bin=$1
root=$2

queries=(
  "connection pool exhausted"
  '"the circuit"'
  "retry storm backoff"
  "ECONNRESET"
  "deployment/checkout-api"
  "queue.receive"
  "context.Context"
  "failover -dns"
  "heap OR memory"
  "service:svc-billing latency"
  "failure_mode:clock-skew"
  "severity:SEV1 rollback"
  "certifcate expird"
  "migratoin"
  "p99 latency"
  "5xx"
  "title:canary"
  "tag:cache flapping"
  "retries"
  "year:2019 pager"
  "payments-api timeout"
  "service:checkout-api retry"
  "tag:tls"
)
for query in "${queries[@]}"; do
  "$bin" --root "$root" search --json --limit 20 "$query"
done
# Filters alone (newest first), and filters with a date range.
"$bin" --root "$root" search --json --limit 20 "" --service svc-media --severity SEV2
"$bin" --root "$root" search --json --limit 20 "dns" --since 2020-01-01 --until 2021-12-31
"$bin" --root "$root" search --json --limit 20 "" --service checkout-api
