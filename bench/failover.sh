#!/usr/bin/env bash
# Node loss → resource active elsewhere, for Tandem on the embedded cluster
# (scripts/tandem: an operator and three sidecars in network namespaces,
# token 300 ms, token_coefficient 0, a fence command that powers namespace
# nodes off). Run by hand, as root; not a test.
#
#   bench/failover.sh [TRIALS]       (default 20)
#
# Each trial brings a fresh cluster up, waits for the web server, and kills
# the node that runs it (kill -9 of everything in its namespace, link
# down). Timed: from the wall clock read just before the kill to the
# operator's status first showing the web server started on another node
# (polled every 20 ms, so figures are up to ~20 ms late), and the
# operator's own figure (from detecting the loss to the start's outcome).
# Prints every trial, then p50 and p99 of both.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
trials=${1:-20}
export TANDEM_LAB=/run/tandem-bench-failover
export TANDEM_LAB_PREFIX=tandem-bf
export TANDEM_LAB_SUBNET=10.214.0
tandem="$root/scripts/tandem"
results=$(mktemp)
trap '"$tandem" down >/dev/null 2>&1 || true; rm -f "$results"' EXIT

now_ms() { date +%s%3N; }
for trial in $(seq 1 "$trials"); do
  "$tandem" up >/dev/null
  first=$("$tandem" wait-running web "" 30000)
  sleep 1
  start=$(now_ms)
  "$tandem" kill "$first"
  second=$("$tandem" wait-running web "$first" 30000)
  seen=$(($(now_ms) - start))
  operator=$(grep -h "failover: web runs on" "$TANDEM_LAB/operator.log" | tail -1 |
    sed -n 's/.* again, \([0-9.]*\)s after.*/\1/p')
  operator_ms=$(python3 -c "print(round(float('${operator:-0}') * 1000))")
  echo "trial $trial: $first -> $second: $seen ms after the kill (operator: $operator_ms ms from detection)"
  echo "$seen $operator_ms" >>"$results"
  "$tandem" down >/dev/null
done
python3 - "$results" <<'PY'
import sys
rows = [tuple(map(int, line.split())) for line in open(sys.argv[1])]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
for i, name in ((0, "kill → running elsewhere"), (1, "operator: detected → running")):
    v = [r[i] for r in rows]
    print(f"{name}: p50 {pct(v, 50)} ms, p99 {pct(v, 99)} ms, min {min(v)} ms, max {max(v)} ms ({len(v)} trials)")
PY
