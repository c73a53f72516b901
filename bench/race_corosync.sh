#!/usr/bin/env bash
# The race against the real thing: the same cluster run once with Debian's
# corosync 3.1.7 and once with tandem-sidecar, in the same network
# namespaces with the same corosync.conf, interleaved trial by trial so both
# see the same machine load. A benchmark run by hand (as root), not a test.
#
#   bench/race_corosync.sh [TANDEM_SIDECAR]
#
# Measures, for token 1000 and 300 ms, each with the default
# token_coefficient and with 0 (udpu, no crypto: corosync's udpu has none):
#   kill       three nodes; kill -9 of one (a different one each trial) until
#              every survivor has logged the new membership;
#   partition  five nodes; 2|3 partition until both sides have logged their
#              new membership (the two: not quorate; the three: quorate);
#   idle       CPU (utime + stime from /proc/PID/stat) and VmRSS of every
#              process of a formed three-node ring over IDLE_SECONDS;
#   layout     corosync-quorumtool -s against tandem-sidecar status on the
#              same node in the same situation, after masking the date and
#              the ring id (bench/status_layout_check.sh).
#
# Times come from the nodes' own log timestamps (millisecond resolution on
# both sides), taken against the wall clock read just before the kill or
# the partition; the 10 ms polling of the logs only decides when a trial
# is over and adds nothing to the figures.
#
# Environment: TRIALS (7), CONFIGS ("1000:default 1000:0 300:default 300:0",
# token:token_coefficient), SCENARIOS ("kill partition idle"), IDLE_SECONDS
# (30), SETTLE_SECONDS (2, idle time between forming and the event),
# RACE_OUT (where the results are kept; default /tmp/tandem-race-DATE),
# TANDEM_SCHED (rr: as it ships, its membership thread under SCHED_RR 99,
# the policy and priority corosync gives itself at start; other: at normal
# priority, with --no-realtime).
#
# Every namespace and process it makes is removed on exit, by name and PID,
# also on failure and ^C.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sidecar=${1:-$root/build/sidecar/tandem-sidecar}
trials=${TRIALS:-7}
configs=${CONFIGS:-"1000:default 1000:0 300:default 300:0"}
scenarios=${SCENARIOS:-"kill partition idle"}
idle_seconds=${IDLE_SECONDS:-30}
settle_seconds=${SETTLE_SECONDS:-2}
out=${RACE_OUT:-/tmp/tandem-race-$(date -u +%Y%m%dT%H%M%SZ)}

# shellcheck source=../test/integration/membership/cluster.sh
. "$root/test/integration/membership/cluster.sh"
# shellcheck source=status_layout_check.sh
. "$root/bench/status_layout_check.sh"

# Corosync's processes are tracked in cluster.sh's lists, so its cleanup
# removes them with the tandem ones.
trap cluster_cleanup EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP

die() {
  echo "race: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (network and mount namespaces)"
[ -x "$sidecar" ] || die "$sidecar is not an executable; build tandem-sidecar first"
for tool in corosync corosync-quorumtool nsenter unshare python3; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
corosync_version=$(corosync -v | sed -n "s/.*version '\(.*\)'.*/\1/p")
[ "$corosync_version" = 3.1.7 ] || echo "race: note: corosync is $corosync_version, not 3.1.7"

tandem_sched=${TANDEM_SCHED:-rr}
mkdir -p "$out/layout" "$out/logs" || die "cannot make $out"
results="$out/results.tsv"
: >"$results"

cluster_init "$sidecar" race 5
if [ "$tandem_sched" = other ]; then
  # exec keeps the PID, so cluster.sh still kills the sidecar itself. The
  # first argument is the subcommand; the flag goes after it.
  printf '#!/bin/sh\nsub=$1; shift\nexec %q "$sub" --no-realtime "$@"\n' "$sidecar" \
    >"$CLUSTER_WORK/sidecar-other"
  chmod +x "$CLUSTER_WORK/sidecar-other"
  CLUSTER_SIDECAR="$CLUSTER_WORK/sidecar-other"
fi
[ "$CLUSTER_MODE" = netns ] || die "network namespaces cannot be made here"
# The same file for both: corosync's logging section, which tandem reads
# and ignores, gives millisecond timestamps on stderr.
CLUSTER_CRYPTO=none
CLUSTER_CONF_EXTRA='logging {
    to_stderr: yes
    to_syslog: no
    timestamp: hires
}'

{
  echo "race: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, corosync $corosync_version, $sidecar"
  echo "race: tandem scheduling: $tandem_sched; corosync: SCHED_RR 99 (it sets that itself at start)"
  echo "race: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "race: results in $out"
} | tee "$out/run.txt"

node_ns() { echo "tandem-$CLUSTER_TAG-$$-n$1"; }

node_log() {
  if [ "$1" = corosync ]; then echo "$CLUSTER_WORK/c$2.log"; else echo "$CLUSTER_WORK/n$2.log"; fi
}

# start_corosync I: corosync in node I's network namespace and a mount
# namespace of its own, so that each instance has its own /run (its pid
# file), /dev/shm (its IPC ring buffers) and /var/lib/corosync (its ring
# id). Its client IPC is an abstract unix socket, which Linux scopes to the
# network namespace. ip netns exec, unshare and sh all exec: the PID is
# corosync's.
start_corosync() {
  local i=$1
  mkdir -p "$CLUSTER_WORK/c$i/lib"
  TZ=UTC ip netns exec "$(node_ns "$i")" unshare --mount --propagation private sh -c \
    'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm &&
     mount --bind "$1" /var/lib/corosync && exec corosync -f -c "$2"' \
    corosync "$CLUSTER_WORK/c$i/lib" "$CLUSTER_WORK/corosync.conf" >>"$(node_log corosync "$i")" 2>&1 &
  CLUSTER_PID[$i]=$!
  CLUSTER_PIDS+=($!)
}

start_node() {
  if [ "$1" = corosync ]; then start_corosync "$2"; else cluster_start "$2"; fi
}

# stop_all [NAME]: kills every node; their logs are kept as $out/logs/NAME-*.
stop_all() {
  local i log
  for i in $(seq 1 "$CLUSTER_NODES"); do
    [ -z "${CLUSTER_PID[$i]:-}" ] || cluster_kill "$i"
  done
  for log in "$CLUSTER_WORK"/c*.log "$CLUSTER_WORK"/n*.log; do
    [ -e "$log" ] || continue
    [ -z "${1:-}" ] || mv "$log" "$out/logs/$1-$(basename "$log")"
    rm -f "$log"
  done
}

# members_pattern SYSTEM "1 2" yes|no|any: the ERE of the log line in which
# a node reports that membership (and quorum). Corosync: the quorum
# service's notification, "[QUORUM] Members[2]: 1 2" (its quorate state is
# logged just before it, in the same millisecond). Tandem: its quorum line.
members_pattern() {
  local system=$1 members=$2 quorate=$3 count
  count=$(wc -w <<<"$members")
  if [ "$system" = corosync ]; then
    echo "\\[QUORUM\\] Members\\[$count\\]: $members\$"
  else
    case "$quorate" in
      yes) echo " quorum: ring [0-9a-f.]+ quorate, members $members," ;;
      no) echo " quorum: ring [0-9a-f.]+ NOT quorate, members $members," ;;
      *) echo " quorum: ring [0-9a-f.]+ (NOT )?quorate, members $members," ;;
    esac
  fi
}

log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# wait_logged SYSTEM PATTERN LIMIT_MS NODE:OFFSET...: polls every 10 ms until
# each node's log has a line matching PATTERN after byte OFFSET.
wait_logged() {
  local system=$1 pattern=$2 limit=$3
  shift 3
  local deadline=$(($(now_ms) + limit)) spec pending
  while true; do
    pending=0
    for spec in "$@"; do
      tail -c +$((${spec#*:} + 1)) "$(node_log "$system" "${spec%%:*}")" 2>/dev/null |
        grep -qE "$pattern" || pending=1
    done
    [ "$pending" -eq 0 ] && return 0
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.01
  done
}

# logged_ms SYSTEM PATTERN NODE:OFFSET...: the latest, over the nodes, of the
# timestamp (Unix ms) of each node's first line matching PATTERN after
# OFFSET.
logged_ms() {
  local system=$1 pattern=$2
  shift 2
  local spec files=()
  for spec in "$@"; do files+=("$(node_log "$system" "${spec%%:*}"):${spec#*:}"); done
  "$root/bench/logged_ms.py" "$system" "$pattern" "${files[@]}"
}

offsets() {
  local system=$1 i
  shift
  for i in "$@"; do echo "$i:$(log_size "$(node_log "$system" "$i")")"; done
}

# form SYSTEM NODES...: starts the nodes and waits until each has logged
# the membership of all of them, quorate; then lets the ring settle.
form() {
  local system=$1
  shift
  local nodes="$*" i specs=()
  for i in "$@"; do
    start_node "$system" "$i"
    specs+=("$i:0")
  done
  local limit=$((4 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) + 10000))
  if ! wait_logged "$system" "$(members_pattern "$system" "$nodes" yes)" "$limit" "${specs[@]}"; then
    echo "race: $system nodes $nodes did not form one ring within $limit ms" >&2
    for i in "$@"; do tail -5 "$(node_log "$system" "$i")" >&2; done
    return 1
  fi
  sleep "$settle_seconds"
}

# record SCENARIO SYSTEM TOKEN COEFFICIENT TRIAL MS
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$results"; }

kill_trial() {
  local system=$1 token=$2 coefficient=$3 trial=$4
  local victim=$((3 - (trial - 1) % 3)) survivors=() i
  for i in 1 2 3; do [ "$i" -eq "$victim" ] || survivors+=("$i"); done
  form "$system" 1 2 3 || return 1
  [ "$trial" -eq 1 ] && layout_capture "$system" "$token-$coefficient-3of3" 1
  local pattern specs t0
  pattern=$(members_pattern "$system" "${survivors[*]}" yes)
  mapfile -t specs < <(offsets "$system" "${survivors[@]}")
  t0=$(now_ms)
  cluster_kill "$victim"
  local limit=$((3 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) + 5000))
  if ! wait_logged "$system" "$pattern" "$limit" "${specs[@]}"; then
    echo "race: $system: survivors ${survivors[*]} did not report the new membership within $limit ms" >&2
    return 1
  fi
  local ms=$(($(logged_ms "$system" "$pattern" "${specs[@]}") - t0))
  record kill "$system" "$token" "$coefficient" "$trial" "$ms"
  echo "  kill    $system token $token coefficient $coefficient trial $trial (node $victim): $ms ms"
  [ "$trial" -eq 1 ] && layout_capture "$system" "$token-$coefficient-2of3" "${survivors[0]}"
  return 0
}

partition_trial() {
  local system=$1 token=$2 coefficient=$3 trial=$4
  form "$system" 1 2 3 4 5 || return 1
  local major minor major_specs minor_specs t0
  major=$(members_pattern "$system" "1 2 3" yes)
  minor=$(members_pattern "$system" "4 5" no)
  mapfile -t major_specs < <(offsets "$system" 1 2 3)
  mapfile -t minor_specs < <(offsets "$system" 4 5)
  t0=$(now_ms)
  cluster_partition "4 5"
  local limit=$((3 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) + 5000))
  if ! wait_logged "$system" "$major" "$limit" "${major_specs[@]}" ||
    ! wait_logged "$system" "$minor" "$limit" "${minor_specs[@]}"; then
    echo "race: $system: the sides of the partition did not report their membership within $limit ms" >&2
    cluster_heal
    return 1
  fi
  local a b
  a=$(($(logged_ms "$system" "$major" "${major_specs[@]}") - t0))
  b=$(($(logged_ms "$system" "$minor" "${minor_specs[@]}") - t0))
  record partition "$system" "$token" "$coefficient" "$trial" "$((a > b ? a : b))"
  echo "  2|3     $system token $token coefficient $coefficient trial $trial: three $a ms, two $b ms"
  if [ "$trial" -eq 1 ]; then
    layout_capture "$system" "$token-$coefficient-3of5" 1
    layout_capture "$system" "$token-$coefficient-2of5" 4
  fi
  cluster_heal
  return 0
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

idle_trial() {
  local system=$1 token=$2 coefficient=$3 i
  form "$system" 1 2 3 || return 1
  local before=() after pid ticks rss
  for i in 1 2 3; do before[$i]=$(cpu_ticks "${CLUSTER_PID[$i]}"); done
  sleep "$idle_seconds"
  for i in 1 2 3; do
    pid=${CLUSTER_PID[$i]}
    after=$(cpu_ticks "$pid")
    ticks=$((after - before[i]))
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
    # CPU in hundredths of a percent of one core.
    local cpu=$((ticks * 10000 / ($(getconf CLK_TCK) * idle_seconds)))
    record idle-cpu "$system" "$token" "$coefficient" "$i" "$cpu"
    record idle-rss "$system" "$token" "$coefficient" "$i" "$rss"
    printf '  idle    %s token %s coefficient %s node %s: %d.%02d %% of a core, %s KiB RSS\n' \
      "$system" "$token" "$coefficient" "$i" $((cpu / 100)) $((cpu % 100)) "$rss"
  done
}

failures=0
# run SCENARIO SYSTEM TOKEN COEFFICIENT TRIAL
run() {
  "${1}_trial" "${@:2}" || failures=$((failures + 1))
  stop_all "$1-$3-$4-$2-$5"
}

for config in $configs; do
  token=${config%%:*}
  coefficient=${config#*:}
  for scenario in $scenarios; do
    case "$scenario" in
      kill) nodes=3 ;;
      partition) nodes=5 ;;
      idle) nodes=3 ;;
      *) die "unknown scenario $scenario" ;;
    esac
    CLUSTER_NODES=$nodes cluster_write_conf "$token" "$coefficient"
    echo "$scenario, token $token, token_coefficient $coefficient: effective token" \
      "$CLUSTER_EFFECTIVE_TOKEN ms, consensus $CLUSTER_CONSENSUS ms" | tee -a "$out/run.txt"
    rounds=$trials
    [ "$scenario" = idle ] && rounds=1
    for trial in $(seq 1 "$rounds"); do
      # Alternate who goes first, so neither always runs on a warmer machine.
      order="corosync tandem"
      [ $((trial % 2)) -eq 0 ] && order="tandem corosync"
      for system in $order; do
        run "$scenario" "$system" "$token" "$coefficient" "$trial"
      done
    done
  done
done

echo "race: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.txt"
layout_report | tee "$out/layout.txt"
python3 "$root/bench/race_summary.py" "$results" | tee "$out/summary.md"
[ "$failures" -eq 0 ] || die "$failures trial(s) failed (see above)"
