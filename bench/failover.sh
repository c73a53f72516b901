#!/usr/bin/env bash
# Node loss → resource active elsewhere, Tandem next to Pacemaker + Corosync
# on the same three-node lab, measured by the same driver in the same run.
# Run by hand, as root; not a test.
#
#   bench/failover.sh [TRIALS]       (default 20 per stack and setting)
#
#   tandem     scripts/tandem: tandem-operator and three tandem-sidecar
#              agents, each node in a network namespace on a bridge, with
#              examples/three-node-demo (an IPaddr2 address and a supervised
#              Python web server in a group) and a fence command that powers
#              namespace nodes off (scripts/fence_tandem_netns).
#   pacemaker  bench/pacemaker_lab.sh: Debian's corosync and pacemakerd on
#              the same namespaces and addresses, the same group (IPaddr2,
#              and the web server through ocf:heartbeat:anything), the same
#              fence agent as a stonith device (stonith-action off).
#
# Each trial brings a fresh cluster up, waits for the web server to run,
# lets it settle, and kills the node that runs it (kill -9 of everything in
# its namespace, link down). Timed from the wall clock read just before the
# kill:
#   started     until a poll of the cluster's status (bench/failover_wait.py,
#               every 20 ms: Tandem's operator status; Pacemaker's CIB, read
#               on a survivor) first shows the web server started on another
#               node; up to one poll interval plus one poll late;
#   answers     until a client on the lab's bridge (an address on the hub's
#               bridge) has a connection to the service address accepted
#               (bench/failover_answers.py, a new attempt every 20 ms): what
#               a user sees, whatever each stack calls started;
#   membership  until every survivor had logged the new membership (log
#               timestamps, ms), which splits the total into detection and
#               the rest.
#
# Environment: STACKS ("tandem pacemaker"), CONFIGS ("300:0 1000:default",
# token:token_coefficient in ms, "default" leaving the coefficient out),
# SETTLE_SECONDS (2), FAILOVER_OUT (results and every trial's logs; default
# /tmp/tandem-failover-DATE). Trials are interleaved, the order of the
# stacks alternating, so both see the same machine load.
#
# Every namespace, process and directory it makes is removed on exit, by
# name and PID, also on failure and ^C.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
trials=${1:-${TRIALS:-20}}
stacks=${STACKS:-"tandem pacemaker"}
configs=${CONFIGS:-"300:0 1000:default"}
settle=${SETTLE_SECONDS:-2}
out=${FAILOVER_OUT:-/tmp/tandem-failover-$(date -u +%Y%m%dT%H%M%SZ)}
tandem="$root/scripts/tandem"
pcmk="$root/bench/pacemaker_lab.sh"
wait_py="$root/bench/failover_wait.py"
answers_py="$root/bench/failover_answers.py"
# The lab's service address, and a client's address on the hub's bridge.
vip=10.214.0.100
client=10.214.0.250

die() {
  echo "failover: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || die "needs root (network and mount namespaces)"
[[ $trials =~ ^[1-9][0-9]*$ ]] || die "TRIALS must be a positive number, got '$trials'"

work=$(mktemp -d /tmp/tandem-failover-work.XXXXXX)
# Names of our own, so that other runs on this machine do not meet ours.
export TANDEM_LAB=$work/tandem TANDEM_LAB_PREFIX=tbf$$ TANDEM_LAB_SUBNET=10.214.0 TANDEM_LAB_MODE=netns
export TANDEM_NO_BUILD=1 TANDEM_BUILD=${TANDEM_BUILD:-$root/build}
export PCMK_LAB=$work/pacemaker PCMK_LAB_PREFIX=pbf$$ PCMK_LAB_SUBNET=10.214.0
cleanup() {
  "$tandem" down >/dev/null 2>&1
  "$pcmk" down >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP

if [[ " $stacks " == *" tandem "* ]]; then
  cmake --build "$TANDEM_BUILD" --target tandem-operator tandem-sidecar tandemctl >/dev/null ||
    die "the build in $TANDEM_BUILD failed (or there is none); build tandem-operator, tandem-sidecar and tandemctl first"
fi
mkdir -p "$out/logs" || die "cannot make $out"
results=$out/results.tsv
: >"$results"
{
  echo "failover: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, commit $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- || echo ' (with local changes)')"
  echo "failover: pacemaker $(dpkg-query -W -f '${Version}' pacemaker 2>/dev/null), corosync $(dpkg-query -W -f '${Version}' corosync 2>/dev/null)"
  echo "failover: $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "failover: stacks $stacks; configs $configs; $trials trials each; results in $out"
} | tee "$out/run.txt"

now_ms() { date +%s%3N; }

# The demo's manifests with the membership's timing of CONFIG.
tandem_manifests() {
  local token=$1 coefficient=$2 dir=$work/manifests-$1-$2
  if [ ! -d "$dir" ]; then
    cp -r "$root/examples/three-node-demo" "$dir"
    if [ "$coefficient" = default ]; then
      sed -i -e "s/^\( *token:\).*/\1 ${token}ms/" -e '/^ *tokenCoefficient:/d' "$dir/cluster.yaml"
    else
      sed -i -e "s/^\( *token:\).*/\1 ${token}ms/" \
        -e "s/^\( *tokenCoefficient:\).*/\1 ${coefficient}ms/" "$dir/cluster.yaml"
    fi
  fi
  echo "$dir"
}

stack_up() {
  local stack=$1 token=$2 coefficient=$3
  if [ "$stack" = tandem ]; then
    TANDEM_LAB_TOKEN=$token TANDEM_LAB_TOKEN_COEFFICIENT=$coefficient \
      "$tandem" up "$(tandem_manifests "$token" "$coefficient")" >/dev/null
  else
    "$pcmk" up "$token" "$coefficient" >/dev/null
  fi
}

stack_hub() {
  if [ "$1" = tandem ]; then echo "$TANDEM_LAB_PREFIX-hub"; else echo "$PCMK_LAB_PREFIX-hub"; fi
}

stack_down() {
  if [ "$1" = tandem ]; then "$tandem" down >/dev/null; else "$pcmk" down >/dev/null; fi
}

stack_kill() {
  if [ "$1" = tandem ]; then "$tandem" kill "$2"; else "$pcmk" kill "$2"; fi
}

# stack_wait STACK NOT_ON LIMIT_MS: "NODE UNIX_MS DC" once web runs elsewhere.
stack_wait() {
  local stack=$1 not_on=$2 limit=$3
  if [ "$stack" = tandem ]; then
    "$wait_py" tandem web "$not_on" "$limit" -- "$tandem" status --output json
  else
    "$wait_py" pacemaker web "$not_on" "$limit" -- "$pcmk" cib "$not_on"
  fi
}

# The log in which node N reports membership: the sidecar's own, and
# corosync's under Pacemaker.
member_log() {
  if [ "$1" = tandem ]; then echo "$TANDEM_LAB/node$2.log"; else echo "$PCMK_LAB/node$2/corosync.log"; fi
}

log_size() { stat -c %s "$1" 2>/dev/null || echo 0; }

# membership_ms STACK "2 3" N:OFFSET...: the time (Unix ms) by which every
# survivor had logged the membership of exactly the survivors, quorate,
# after OFFSET; empty when one has not.
membership_ms() {
  local stack=$1 members=$2
  shift 2
  local spec files=()
  for spec in "$@"; do files+=("$(member_log "$stack" "${spec%%:*}"):${spec#*:}"); done
  # Members are node numbers and spaces: nothing to escape in the pattern.
  if [ "$stack" = tandem ]; then
    "$root/bench/logged_ms.py" tandem " quorum: ring [0-9a-f.]+ quorate, members $members," \
      "${files[@]}" 2>/dev/null
  else
    "$root/bench/logged_ms.py" corosync "\\[QUORUM\\] Members\\[[0-9]+\\]: $members\$" \
      "${files[@]}" 2>/dev/null
  fi
}

# keep_logs NAME: the trial's logs, for a look afterwards.
keep_logs() {
  local stack=$1 dest=$out/logs/$2 f
  mkdir -p "$dest"
  if [ "$stack" = tandem ]; then
    for f in "$TANDEM_LAB"/*.log; do [ -e "$f" ] && cp "$f" "$dest/"; done
  else
    for f in node1 node2 node3; do
      cp "$PCMK_LAB/$f/corosync.log" "$dest/$f-corosync.log" 2>/dev/null
      cp "$PCMK_LAB/$f/log-pacemaker/pacemaker.log" "$dest/$f-pacemaker.log" 2>/dev/null
    done
  fi
}

# trial STACK TOKEN COEFFICIENT N: one cluster, one kill; appends a row to
# the results. Returns 1 when something did not happen in time.
trial() {
  local stack=$1 token=$2 coefficient=$3 n=$4 name="$1-$2-$3-$4"
  local first victim dc second t0 seen membership i survivors=() specs=() hub probe answered
  stack_up "$stack" "$token" "$coefficient" || {
    echo "  $name: the cluster did not come up" >&2
    return 1
  }
  hub=$(stack_hub "$stack")
  ip -n "$hub" addr add "$client/24" dev br0
  # Pacemaker's first start takes several seconds (election, probes).
  first=$(stack_wait "$stack" "" 90000) || {
    echo "  $name: the web server did not start within 90 s" >&2
    return 1
  }
  sleep "$settle"
  # Where it runs and who the DC is, again after settling.
  first=$(stack_wait "$stack" "" 10000) || {
    echo "  $name: the web server stopped running before the kill" >&2
    return 1
  }
  read -r victim _ dc <<<"$first"
  # The client reaches the service before the kill (and so knows the
  # victim's MAC address for it, as a client would).
  ip netns exec "$hub" "$answers_py" "$vip" 8080 10000 >/dev/null || {
    echo "  $name: the web server does not answer on $vip:8080 before the kill" >&2
    return 1
  }
  for i in 1 2 3; do
    if [ "node$i" != "$victim" ]; then
      survivors+=("$i")
      specs+=("$i:$(log_size "$(member_log "$stack" "$i")")")
    fi
  done
  t0=$(now_ms)
  stack_kill "$stack" "$victim"
  # Once the victim is dead, whoever accepts a connection is another node.
  ip netns exec "$hub" "$answers_py" "$vip" 8080 60000 >"$work/answered" &
  probe=$!
  second=$(stack_wait "$stack" "$victim" 60000) || {
    echo "  $name: the web server did not run elsewhere within 60 s of killing $victim" >&2
    kill "$probe" 2>/dev/null
    return 1
  }
  # Bounded by the probe's own limit.
  wait "$probe"
  answered=$(cat "$work/answered")
  read -r second seen _ <<<"$second"
  membership=$(membership_ms "$stack" "${survivors[*]}" "${specs[@]}")
  local total=$((seen - t0)) detect=-1 client_ms=-1
  [ -z "$membership" ] || detect=$((membership - t0))
  [ -z "$answered" ] || client_ms=$((answered - t0))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$stack" "$token" "$coefficient" "$n" \
    "$victim" "$dc" "$second" "$total" "$detect" "$client_ms" >>"$results"
  local dc_note=""
  [ "$stack" = pacemaker ] && dc_note=" (DC $dc)"
  echo "  $stack token $token coefficient $coefficient trial $n: $victim$dc_note killed," \
    "web on $second after $total ms, answering on $vip after $client_ms ms (membership after $detect ms)"
  return 0
}

failures=0
for config in $configs; do
  token=${config%%:*}
  coefficient=${config#*:}
  [[ $token =~ ^[0-9]+$ && $coefficient =~ ^([0-9]+|default)$ ]] ||
    die "config '$config' is not TOKEN:COEFFICIENT (ms; COEFFICIENT may be 'default')"
  echo "token $token ms, token_coefficient $coefficient" | tee -a "$out/run.txt"
  for n in $(seq 1 "$trials"); do
    order=$stacks
    # Alternate who goes first, so neither always runs on a warmer machine.
    [ $((n % 2)) -eq 0 ] && order=$(tr ' ' '\n' <<<"$stacks" | tac | tr '\n' ' ')
    for stack in $order; do
      trial "$stack" "$token" "$coefficient" "$n" || failures=$((failures + 1))
      keep_logs "$stack" "$stack-$token-$coefficient-$n"
      stack_down "$stack"
    done
  done
done

echo "failover: load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/run.txt"
python3 "$root/bench/failover_summary.py" "$results" | tee "$out/summary.md"
[ "$failures" -eq 0 ] || die "$failures trial(s) failed (see above; logs in $out/logs)"
