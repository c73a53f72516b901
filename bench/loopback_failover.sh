#!/usr/bin/env bash
# Node loss → web server active elsewhere, on scripts/tandem's loopback mode
# (no root: node N's sidecar on 127.0.253.N, examples/three-node-loopback),
# once for each way of keeping a node's processes together. Run by hand, as
# any user (as root it is loopback mode all the same); not a test.
#
#   bench/loopback_failover.sh [TRIALS]      (default 10 per isolation)
#
# Each trial brings a fresh cluster up, waits for the web server to run,
# lets it settle, and kills the node that runs it (scripts/tandem kill: kill
# -9 of its sidecar and of everything it started). Timed from the wall
# clock read just before the kill, as bench/failover.sh times its trials:
#   started  until a poll of the operator's status (bench/failover_wait.py,
#            every 20 ms) first shows the web server started elsewhere;
#   answers  until a client's connection to the service address
#            127.0.253.100:8080 is accepted (bench/failover_answers.py).
#
# Environment: ISOLATIONS ("pid-namespace process-tree"), SETTLE_SECONDS (2),
# FAILOVER_OUT (results and every trial's logs; default
# /tmp/tandem-loopback-failover-DATE). Everything it starts is stopped on
# exit, also on failure and ^C (scripts/tandem down).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
trials=${1:-${TRIALS:-10}}
isolations=${ISOLATIONS:-"pid-namespace process-tree"}
settle=${SETTLE_SECONDS:-2}
out=${FAILOVER_OUT:-/tmp/tandem-loopback-failover-$(date -u +%Y%m%dT%H%M%SZ)}
tandem="$root/scripts/tandem"
service=127.0.253.100

die() {
  echo "loopback_failover: $*" >&2
  exit 1
}
[[ $trials =~ ^[1-9][0-9]*$ ]] || die "TRIALS must be a positive number, got '$trials'"
mkdir -p "$out/logs" || die "cannot make $out"
results=$out/results.tsv
: >"$results"
work=$(mktemp -d /tmp/tandem-loopback-failover-work.XXXXXX)
export TANDEM_LAB=$work/lab TANDEM_LAB_MODE=loopback TANDEM_NO_BUILD=1
export TANDEM_BUILD=${TANDEM_BUILD:-$root/build}
probe=""
cleanup() {
  [ -z "$probe" ] || kill "$probe" 2>/dev/null
  "$tandem" down >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP
now_ms() { date +%s%3N; }
wait_web() {
  "$root/bench/failover_wait.py" tandem web "$1" "$2" -- "$tandem" status --output json
}

# trial ISOLATION N: one cluster, one kill; appends a row to the results.
trial() {
  local isolation=$1 n=$2 first victim second seen t0 answered
  TANDEM_LAB_ISOLATION=$isolation "$tandem" up >/dev/null || return 1
  first=$(wait_web "" 30000) || {
    echo "  $isolation trial $n: the web server did not start within 30 s" >&2
    return 1
  }
  sleep "$settle"
  first=$(wait_web "" 10000) || return 1
  read -r victim _ <<<"$first"
  "$root/bench/failover_answers.py" "$service" 8080 10000 >/dev/null || {
    echo "  $isolation trial $n: the web server does not answer on $service:8080" >&2
    return 1
  }
  t0=$(now_ms)
  "$tandem" kill "$victim" || return 1
  # Once the victim is dead, whoever accepts a connection is another node.
  "$root/bench/failover_answers.py" "$service" 8080 30000 >"$work/answered" &
  probe=$!
  second=$(wait_web "$victim" 30000) || {
    echo "  $isolation trial $n: the web server did not run elsewhere within 30 s" >&2
    kill "$probe" 2>/dev/null
    probe=""
    return 1
  }
  # Bounded by the probe's own limit.
  wait "$probe"
  probe=""
  answered=$(cat "$work/answered")
  read -r second seen _ <<<"$second"
  local total=$((seen - t0)) client_ms=-1
  [ -z "$answered" ] || client_ms=$((answered - t0))
  # The columns of bench/failover_summary.py; no membership time (-1).
  printf 'loopback %s\t300\t0\t%s\t%s\t-\t%s\t%s\t-1\t%s\n' "$isolation" "$n" "$victim" \
    "$second" "$total" "$client_ms" >>"$results"
  echo "  $isolation trial $n: $victim killed, web on $second after $total ms," \
    "answering on $service after $client_ms ms"
}

failures=0
for n in $(seq 1 "$trials"); do
  for isolation in $isolations; do
    trial "$isolation" "$n" || failures=$((failures + 1))
    mkdir -p "$out/logs/$isolation-$n"
    cp "$TANDEM_LAB"/*.log "$out/logs/$isolation-$n/" 2>/dev/null
    "$tandem" down >/dev/null 2>&1
  done
done
echo "loopback_failover: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/run.txt"
python3 "$root/bench/failover_summary.py" "$results" | tee "$out/summary.md"
[ "$failures" -eq 0 ] || die "$failures trial(s) failed (logs in $out/logs)"
