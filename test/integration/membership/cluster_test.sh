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
# five, then heal), wrong-key (a node with another authkey stays out),
# clock-skew (one node's clock 700 ms ahead, through libfaketime).
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

# links_view I: "connected" or "disconnected" per other node, from
# `tandem-sidecar status --links` (corosync-cfgtool -s's layout), then
# "clock ok" when the JSON has a clock estimate for every connected node,
# each within its round trip's error of zero (the nodes share this
# machine's clock, so that bound is exact).
links_view() {
  local i=$1 out
  out=$("$sidecar" status --links --state-dir "$CLUSTER_WORK/n$i") || return 1
  grep -q "^Local node ID $i, transport udpu$" <<<"$out" || return 1
  grep -q "^LINK ID 0 $" <<<"$out" || return 1
  grep -q "^		nodeid: *$i:	localhost$" <<<"$out" || return 1
  grep -o "^		nodeid: *[0-9]*:	[a-z]*$" <<<"$out" | grep -v localhost | awk '{print $2 $3}'
  python3 - "$CLUSTER_WORK/n$i/status.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
connected = {n["node_id"] for n in s["links"]["nodes"] if n["connected"]}
peers = {p["node_id"]: p for p in s["clock"]["peers"]}
ok = len(peers) == len(s["links"]["nodes"]) and all(
    peers[n]["offset_us"] is not None for n in connected) and all(
    2 * abs(p["offset_us"]) <= p["delay_us"] + 1 for p in peers.values()
    if p["offset_us"] is not None)
print("clock ok" if ok else "clock missing")
PY
}

# wait_links I EXPECTED BOUND_MS: until node I's view is EXPECTED.
wait_links() {
  local start view
  start=$(now_ms)
  while true; do
    view=$(links_view "$1")
    if [ "$view" = "$2" ]; then
      CLUSTER_ELAPSED_MS=$(($(now_ms) - start))
      return 0
    fi
    if [ $(($(now_ms) - start)) -gt "$3" ]; then
      echo "node $1's links and clocks:"
      echo "$view"
      "$sidecar" status --links --state-dir "$CLUSTER_WORK/n$1"
      "$sidecar" status --clock --state-dir "$CLUSTER_WORK/n$1"
      return 1
    fi
    sleep 0.1
  done
}

# The probes go every 2 s from the start, the status file follows within a
# second: two probe rounds and the margin.
links_bound() { echo $((2 * 2000 + 1000 + margin)); }
# A link goes down 5 s after the last datagram, seen within a second.
link_down_bound() { echo $((5000 + 1000 + margin)); }

# clock_near I PEER OFFSET_US: node I's estimate of PEER's offset is
# within its round trip's error of OFFSET_US, and marked beyond the bound
# exactly when OFFSET_US is beyond the default 500 ms.
clock_near() {
  python3 - "$CLUSTER_WORK/n$1/status.json" "$2" "$3" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
peer, want = int(sys.argv[2]), int(sys.argv[3])
p = next(p for p in s["clock"]["peers"] if p["node_id"] == peer)
ok = (p["offset_us"] is not None and 2 * abs(p["offset_us"] - want) <= p["delay_us"] + 2
      and p["exceeds"] == (abs(want) > 500000))
sys.exit(0 if ok else 1)
PY
}

# wait_clock I PEER OFFSET_US BOUND_MS
wait_clock() {
  local start
  start=$(now_ms)
  until clock_near "$1" "$2" "$3"; do
    if [ $(($(now_ms) - start)) -gt "$4" ]; then
      "$sidecar" status --clock --state-dir "$CLUSTER_WORK/n$1"
      return 1
    fi
    sleep 0.1
  done
  CLUSTER_ELAPSED_MS=$(($(now_ms) - start))
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
    for i in 1 2 3; do
      expected=""
      for j in 1 2 3; do [ "$j" != "$i" ] && expected+="$j:connected"$'\n'; done
      expected+="clock ok"
      if wait_links "$i" "$expected" "$(links_bound)"; then
        pass "node $i: status --links shows every other node connected and the JSON has their" \
          "clock offsets, within the round trip of 0, in ${CLUSTER_ELAPSED_MS} ms"
      else
        fail "node $i did not report every link connected with clock offsets within $(links_bound) ms"
      fi
    done
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
    if wait_links 1 $'2:connected\n3:disconnected\nclock ok' "$(link_down_bound)"; then
      pass "node 1's status --links shows node 3 disconnected ${CLUSTER_ELAPSED_MS} ms after the ring"
    else
      fail "node 1 did not report node 3's link down within $(link_down_bound) ms"
    fi
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
  clock-skew)
    faketime_lib=""
    for f in /usr/lib/*/faketime/libfaketimeMT.so.1; do
      [ -e "$f" ] && faketime_lib=$f && break
    done
    if [ -z "$faketime_lib" ]; then
      echo "SKIP: clock-skew needs libfaketime (Debian's faketime package)"
      exit 77
    fi
    cluster_init "$sidecar" skew 3
    cluster_write_conf $token $coefficient
    cluster_start 1
    cluster_start 2
    # Node 3's realtime runs 700 ms ahead; its monotonic clock, which the
    # Totem timers use, is left alone. exec keeps the sidecar's PID.
    cat >"$CLUSTER_WORK/skewed-sidecar" <<WRAPPER
#!/usr/bin/env bash
exec env LD_PRELOAD="$faketime_lib" FAKETIME="+0.7" FAKETIME_DONT_FAKE_MONOTONIC=1 \\
  ASAN_OPTIONS="\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}verify_asan_link_order=0" "$sidecar" "\$@"
WRAPPER
    chmod +x "$CLUSTER_WORK/skewed-sidecar"
    # libfaketime hangs a sanitizer build at start (ASan's own start reads
    # the clock before libfaketime is ready). `membership --help` runs the
    # program the membership runs in (tandem-membership, through exec).
    if ! timeout 10 "$CLUSTER_WORK/skewed-sidecar" membership --help >/dev/null 2>&1; then
      echo "SKIP: libfaketime cannot run this build of tandem-sidecar (a sanitizer build?)"
      exit 77
    fi
    real_sidecar=$CLUSTER_SIDECAR
    CLUSTER_SIDECAR="$CLUSTER_WORK/skewed-sidecar"
    cluster_start 3
    CLUSTER_SIDECAR=$real_sidecar
    form "1 2 3"
    if wait_clock 1 3 700000 "$(links_bound)" && clock_near 1 2 0; then
      pass "node 1 estimates node 3's clock 700 ms ahead, within the round trip, in" \
        "${CLUSTER_ELAPSED_MS} ms, and node 2's at 0"
    else
      fail "node 1 did not estimate node 3's clock 700 ms ahead within $(links_bound) ms"
    fi
    if wait_clock 3 1 -700000 "$(links_bound)" && wait_clock 3 2 -700000 "$(links_bound)"; then
      pass "node 3 estimates nodes 1 and 2 700 ms behind"
    else
      fail "node 3 did not estimate nodes 1 and 2 700 ms behind"
    fi
    "$sidecar" status --clock --state-dir "$CLUSTER_WORK/n1" >/dev/null
    rc=$?
    if [ "$rc" -eq 2 ]; then
      pass "status --clock on node 1 exits 2: a clock is beyond the bound"
    else
      fail "status --clock on node 1 exited $rc, expected 2"
    fi
    if grep -Eq "clock: node 3 \(node3\)'s clock is (69[0-9]|70[0-9])\.[0-9]+ ms ahead of this node's" \
      "$CLUSTER_WORK/n1.log" &&
      ! grep -q "clock: node 2" "$CLUSTER_WORK/n1.log"; then
      pass "node 1 logged a warning about node 3's clock, and none about node 2's"
    else
      fail "node 1's log does not warn about node 3's clock alone"
    fi
    ;;
  *)
    echo "unknown scenario $scenario" >&2
    exit 2
    ;;
esac

if [ "$CLUSTER_FAILURES" -gt 0 ]; then
  echo "$CLUSTER_FAILURES check(s) failed"
  exit 1
fi
echo "all checks passed"
