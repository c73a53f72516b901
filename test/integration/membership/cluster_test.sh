#!/usr/bin/env bash
# Runs tandem-sidecar membership on real sockets, one node per network
# namespace (cluster.sh), and checks membership and quorum as the nodes
# would report them to an operator (their status files and
# `tandem-sidecar status`), within bounds derived from the timers.
#
#   cluster_test.sh TANDEM_SIDECAR SCENARIO
#
# SCENARIO: form (three nodes, IPv4), form-ipv6, kill (kill -9 of one of
# three), pause (SIGSTOP and SIGCONT of one of three), partition (2|3 of
# five, then heal), wrong-key (a node with another authkey stays out).
#
# Exit 77 (ctest: skipped) when the scenario needs namespaces and none can
# be made. Everything it starts or makes is removed on exit, also on
# failure.
set -uo pipefail

sidecar=$1
scenario=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
. "$here/cluster.sh"
trap cluster_cleanup EXIT
# A timeout (ctest sends SIGTERM) or ^C goes through the EXIT trap too.
trap "exit 143" TERM
trap "exit 130" INT HUP

failures=0
pass() { echo "ok: $*"; }
fail() {
  failures=$((failures + 1))
  echo "FAIL: $*"
  cluster_dump
}

# Short timers so each scenario takes seconds. The bounds: a failure is
# detected after the token timeout, and the new ring forms after the
# consensus timeout; the margin covers join rounds and a loaded machine
# (the sanitizer builds run these too).
token=300
coefficient=0
margin=2000

need_namespaces() {
  if [ "$CLUSTER_MODE" != netns ]; then
    echo "SKIP: $scenario needs network namespaces (run as root)"
    exit 77
  fi
}

form_bound() { echo $((4 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) + margin)); }
detect_bound() { echo $((CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS + margin)); }
# Merging partitions: the merge timer finds the other ring, then a gather
# round with its consensus timeout; twice over for rings that formed apart.
heal_bound() { echo $((2 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS + 200) + margin)); }

# check_status I EXPECTED_EXIT: `tandem-sidecar status` as an operator runs it.
check_status() {
  local out rc
  out=$("$sidecar" status --state-dir "$CLUSTER_WORK/n$1")
  rc=$?
  if [ "$rc" -ne "$2" ]; then
    fail "tandem-sidecar status on node $1 exited $rc, expected $2"
    echo "$out"
    return
  fi
  if ! grep -q "^Quorum provider:  corosync_votequorum$" <<<"$out" ||
    ! grep -q "^    Nodeid      Votes Name$" <<<"$out" ||
    ! grep -q "^ *$1 *1 node$1 (local)$" <<<"$out"; then
    fail "tandem-sidecar status on node $1 is not in corosync-quorumtool's layout"
    echo "$out"
    return
  fi
  pass "tandem-sidecar status on node $1 exits $2 in corosync-quorumtool's layout"
}

form() {
  local nodes=$1
  if cluster_wait_agree "$nodes" yes "$(form_bound)"; then
    pass "nodes $nodes formed one quorate ring in ${CLUSTER_ELAPSED_MS} ms (bound $(form_bound) ms)"
  else
    fail "nodes $nodes did not form one quorate ring within $(form_bound) ms"
    exit 1
  fi
}

case "$scenario" in
  form)
    cluster_init "$sidecar" form 3
    cluster_write_conf $token $coefficient
    cluster_start_all
    form "1 2 3"
    for i in 1 2 3; do check_status "$i" 0; done
    ;;
  form-ipv6)
    cluster_init "$sidecar" form6 3 ipv6
    need_namespaces
    cluster_write_conf $token $coefficient
    cluster_start_all
    form "1 2 3"
    if grep -q "listening on \[fd00:213::1\]:" "$CLUSTER_WORK/n1.log"; then
      pass "node 1 listens on its IPv6 address"
    else
      fail "node 1 does not say it listens on [fd00:213::1]"
    fi
    ;;
  kill)
    cluster_init "$sidecar" kill 3
    cluster_write_conf $token $coefficient
    cluster_start_all
    form "1 2 3"
    seq_before=$(cat "$CLUSTER_WORK/n3/ring-seq")
    cluster_kill 3
    if cluster_wait_agree "1 2" yes "$(detect_bound)"; then
      pass "after kill -9 of node 3, nodes 1 and 2 reported a quorate ring without it in" \
        "${CLUSTER_ELAPSED_MS} ms (token $CLUSTER_EFFECTIVE_TOKEN + consensus" \
        "$CLUSTER_CONSENSUS + margin $margin = $(detect_bound) ms)"
    else
      fail "nodes 1 and 2 did not report a ring without node 3 within $(detect_bound) ms"
    fi
    check_status 1 0
    # Node 3 comes back with its state directory: its ring sequence goes on.
    cluster_start 3
    if cluster_wait_agree "1 2 3" yes "$(form_bound)"; then
      pass "node 3 restarted and rejoined in ${CLUSTER_ELAPSED_MS} ms"
    else
      fail "node 3 did not rejoin within $(form_bound) ms"
    fi
    # On restart a node first forms a ring of its own: its sequence must be
    # above the one persisted before the kill, or it was not read back.
    alone=$(grep -o 'ring 3\.[0-9a-f]* formed with members 3 ' "$CLUSTER_WORK/n3.log" | tail -1)
    alone=${alone#ring 3.}
    alone=${alone%% *}
    if [ -n "$alone" ] && [ $((16#$alone)) -gt "$seq_before" ]; then
      pass "node 3 read its ring sequence back: $seq_before before the kill, $((16#$alone)) after"
    else
      fail "node 3's first ring after the restart (sequence ${alone:-none}, hexadecimal) is not above $seq_before"
    fi
    ;;
  pause)
    cluster_init "$sidecar" pause 3
    cluster_write_conf $token $coefficient
    cluster_start_all
    form "1 2 3"
    cluster_signal 3 STOP
    if cluster_wait_agree "1 2" yes "$(detect_bound)"; then
      pass "with node 3 stopped, nodes 1 and 2 formed a ring without it in ${CLUSTER_ELAPSED_MS} ms"
    else
      fail "nodes 1 and 2 did not leave stopped node 3 out within $(detect_bound) ms"
    fi
    cluster_signal 3 CONT
    if cluster_wait_agree "1 2 3" yes "$(heal_bound)"; then
      pass "node 3 continued and the three formed one ring in ${CLUSTER_ELAPSED_MS} ms"
    else
      fail "node 3 did not rejoin within $(heal_bound) ms of SIGCONT"
    fi
    ;;
  partition)
    cluster_init "$sidecar" part 5
    need_namespaces
    cluster_write_conf $token $coefficient
    cluster_start_all
    form "1 2 3 4 5"
    cluster_partition "4 5"
    bound=$(detect_bound)
    if cluster_wait_agree "1 2 3" yes "$bound"; then
      pass "partitioned 1 2 3 | 4 5: nodes 1 2 3 stay quorate (${CLUSTER_ELAPSED_MS} ms)"
    else
      fail "nodes 1 2 3 did not form a quorate ring within $bound ms of the partition"
    fi
    if cluster_wait_agree "4 5" no "$bound"; then
      pass "nodes 4 5 lost quorum (${CLUSTER_ELAPSED_MS} ms after the majority settled)"
    else
      fail "nodes 4 5 did not report a ring without quorum within $bound ms"
    fi
    check_status 1 0
    check_status 4 2
    cluster_heal
    if cluster_wait_agree "1 2 3 4 5" yes "$(heal_bound)"; then
      pass "healed: one quorate ring of five in ${CLUSTER_ELAPSED_MS} ms (bound $(heal_bound) ms)"
    else
      fail "the partitions did not merge within $(heal_bound) ms of healing"
    fi
    ;;
  wrong-key)
    cluster_init "$sidecar" key 3
    cluster_write_conf $token $coefficient
    cluster_start 1
    cluster_start 2
    form "1 2"
    # Node 3 has another key: its datagrams are dropped as bad MACs.
    cp "$CLUSTER_WORK/authkey" "$CLUSTER_WORK/authkey.good"
    chmod 0600 "$CLUSTER_WORK/authkey"
    head -c 256 /dev/urandom >"$CLUSTER_WORK/authkey"
    cluster_start 3
    sleep $(((CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) * 3 / 1000 + 1))
    if cluster_agree "1 2" yes && cluster_agree "3" no; then
      pass "a node with another authkey stays out of the ring"
    else
      fail "a node with another authkey disturbed the ring"
    fi
    dropped=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["transport"]["dropped"]["bad_mac"])' \
      "$CLUSTER_WORK/n1/status.json")
    if [ "$dropped" -gt 0 ]; then
      pass "node 1 counted $dropped datagrams with a bad MAC"
    else
      fail "node 1 counted no bad MACs"
    fi
    ;;
  *)
    echo "unknown scenario $scenario" >&2
    exit 2
    ;;
esac

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
