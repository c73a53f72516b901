#!/usr/bin/env bash
# 64 tandem-sidecar processes on one machine, each in its own network
# namespace (test/integration/membership/cluster.sh), with corosync's
# default timers: does the ring form, does it stay stable at idle (no
# configuration change after forming), and what does each process cost?
# A benchmark run by hand (as root), not a test.
#
#   bench/ring64.sh [TANDEM_SIDECAR]
#
# Environment: NODES (64), IDLE_SECONDS (180), RING_OUT (where the logs
# and the summary are kept; default /tmp/tandem-ring64-DATE).
#
# Every namespace and process it makes is removed on exit, also on failure
# and ^C.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sidecar=${1:-$root/build/sidecar/tandem-sidecar}
nodes=${NODES:-64}
idle_seconds=${IDLE_SECONDS:-180}
out=${RING_OUT:-/tmp/tandem-ring64-$(date -u +%Y%m%dT%H%M%SZ)}

# shellcheck source=../test/integration/membership/cluster.sh
. "$root/test/integration/membership/cluster.sh"
keep_logs() {
  [ -n "${CLUSTER_WORK:-}" ] && cp "$CLUSTER_WORK"/n*.log "$out/" 2>/dev/null
  cluster_cleanup
}
trap keep_logs EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP

die() {
  echo "ring64: $*" >&2
  exit 1
}
[ -x "$sidecar" ] || die "$sidecar is not an executable; build tandem-sidecar first"
mkdir -p "$out" || die "cannot make $out"

cluster_init "$sidecar" r64 "$nodes"
# Corosync's defaults: token 3000, token_coefficient 650.
cluster_write_conf default default
all=$(seq -s ' ' 1 "$nodes")
{
  echo "ring64: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, $nodes nodes ($CLUSTER_MODE), $sidecar"
  echo "ring64: effective token $CLUSTER_EFFECTIVE_TOKEN ms, consensus $CLUSTER_CONSENSUS ms"
  echo "ring64: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/summary.txt"

# UDP reports a datagram the kernel could not queue (no neighbour entry,
# say) as sent; only these counters show it.
udp_errors() {
  [ "$CLUSTER_MODE" = netns ] || return 0
  local i
  for i in $(seq 1 "$nodes"); do
    ip netns exec "tandem-$CLUSTER_TAG-$$-n$i" awk '/^Udp: [0-9]/ { print $6, $7 }' /proc/net/snmp
  done | awk '{ r += $1; s += $2 } END {
    printf "ring64: UDP RcvbufErrors %d, SndbufErrors %d (summed over the namespaces)\n", r, s }'
}

start=$(now_ms)
cluster_start_all
limit=$((4 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) + 60000))
if ! cluster_wait_agree "$all" yes "$limit"; then
  cluster_dump | tail -40
  udp_errors | tee -a "$out/summary.txt"
  die "the $nodes nodes did not form one quorate ring within $limit ms"
fi
echo "ring64: one quorate ring of $nodes formed $(($(now_ms) - start)) ms after the first start" |
  tee -a "$out/summary.txt"
ring_before=$(cluster_views "$all" | awk '{ print $2 }' | sort -u)

# Configuration changes are counted from each node's log: one line per ring.
rings_logged() { grep -c ' membership: ring .* formed with members' "$CLUSTER_WORK/n$1.log"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

declare -a rings0 ticks0
for i in $(seq 1 "$nodes"); do
  rings0[$i]=$(rings_logged "$i")
  ticks0[$i]=$(cpu_ticks "${CLUSTER_PID[$i]}")
done
sleep "$idle_seconds"
hz=$(getconf CLK_TCK)
changes=0
: >"$out/per-node.tsv"
for i in $(seq 1 "$nodes"); do
  pid=${CLUSTER_PID[$i]}
  [ -d "/proc/$pid" ] || die "node $i (pid $pid) is no longer running"
  n=$(($(rings_logged "$i") - rings0[i]))
  changes=$((changes + n))
  ticks=$(($(cpu_ticks "$pid") - ticks0[i]))
  rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
  anon=$(awk '/^RssAnon:/ { print $2 }' "/proc/$pid/status")
  pss=$(awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup")
  # node, configuration changes, CPU in hundredths of a percent, VmRSS,
  # RssAnon (private) and Pss (shared pages divided among the processes
  # that map them), all KiB
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$n" $((ticks * 10000 / (hz * idle_seconds))) \
    "$rss" "$anon" "$pss" >>"$out/per-node.tsv"
done
ring_after=$(cluster_views "$all" | awk '{ print $2 }' | sort -u)
cluster_agree "$all" yes && agreed=yes || agreed=no

{
  echo "ring64: over $idle_seconds s of idle: $changes configuration changes in all (summed over the nodes' logs)"
  echo "ring64: ring before $ring_before, after $ring_after; all $nodes still agree and quorate: $agreed"
  sort -t$'\t' -k3 -n "$out/per-node.tsv" | awk -F'\t' '
    { cpu[NR] = $3; total += $3
      if ($4 > maxrss) maxrss = $4; if ($5 > maxanon) maxanon = $5; if ($6 > maxpss) maxpss = $6 }
    END {
      printf "ring64: CPU per process (%% of one core): min %.2f, median %.2f, max %.2f; all %d: %.2f\n",
        cpu[1] / 100, cpu[int((NR + 1) / 2)] / 100, cpu[NR] / 100, NR, total / 100
      printf "ring64: VmRSS per process: max %.1f MiB (private, RssAnon: max %.1f MiB; Pss: max %.1f MiB)\n",
        maxrss / 1024, maxanon / 1024, maxpss / 1024
    }'
  udp_errors
  echo "ring64: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$out/summary.txt"
[ "$changes" -eq 0 ] && [ "$agreed" = yes ]
