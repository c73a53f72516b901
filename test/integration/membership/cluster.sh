# A cluster of tandem-sidecar membership processes for tests, sourced by
# cluster_test.sh. Each node runs in its own network namespace, joined by
# veth pairs to a bridge in a hub namespace, with addresses that exist only
# inside those namespaces (10.213.0.N/24, fd00:213::N/64). Where namespaces
# cannot be made (not root, no ip netns), the nodes run on distinct
# 127.0.X.N addresses instead, and the tests that need to cut links skip.
#
# Everything made here (namespaces, processes, files) is removed by
# cluster_cleanup, which the caller runs from an EXIT trap: processes by
# their PID, namespaces by their recorded names.

CLUSTER_NAMESPACES=()
CLUSTER_PIDS=()
CLUSTER_PID=()
CLUSTER_MODE=""
CLUSTER_NODES=0
CLUSTER_FAMILY=ipv4

# cluster_init SIDECAR TAG NODES [ipv4|ipv6]
cluster_init() {
  CLUSTER_SIDECAR=$1
  CLUSTER_TAG=$2
  CLUSTER_NODES=$3
  CLUSTER_FAMILY=${4:-ipv4}
  CLUSTER_WORK=$(mktemp -d "/tmp/tandem-cluster-$CLUSTER_TAG.XXXXXX")
  # Short and unique per run: interface names have at most 15 characters.
  CLUSTER_ID="t$$"
  CLUSTER_HUB="tandem-$CLUSTER_TAG-$$-hub"
  if [ "$(id -u)" -eq 0 ] && ip netns add "$CLUSTER_HUB" 2>/dev/null; then
    CLUSTER_NAMESPACES+=("$CLUSTER_HUB")
    CLUSTER_MODE=netns
    ip -n "$CLUSTER_HUB" link add br0 type bridge
    ip -n "$CLUSTER_HUB" link add br1 type bridge
    ip -n "$CLUSTER_HUB" link set br0 up
    ip -n "$CLUSTER_HUB" link set br1 up
    local i ns
    for i in $(seq 1 "$CLUSTER_NODES"); do
      ns="tandem-$CLUSTER_TAG-$$-n$i"
      ip netns add "$ns" || return 1
      CLUSTER_NAMESPACES+=("$ns")
      ip link add "${CLUSTER_ID}n$i" netns "$ns" type veth peer name "p$i" netns "$CLUSTER_HUB" ||
        return 1
      ip -n "$ns" link set "${CLUSTER_ID}n$i" name eth0
      ip -n "$ns" addr add "10.213.0.$i/24" dev eth0
      ip -n "$ns" addr add "fd00:213::$i/64" dev eth0 nodad
      ip -n "$ns" link set lo up
      ip -n "$ns" link set eth0 up
      ip -n "$CLUSTER_HUB" link set "p$i" master br0
      ip -n "$CLUSTER_HUB" link set "p$i" up
    done
    [ "$CLUSTER_NODES" -le 16 ] || cluster_static_neighbours || return 1
    echo "cluster: $CLUSTER_NODES nodes in network namespaces tandem-$CLUSTER_TAG-$$-n*"
  else
    CLUSTER_MODE=loopback
    # A subnet and port of our own, so parallel runs do not meet.
    CLUSTER_SUBNET=$((($$ % 250) + 1))
    echo "cluster: network namespaces cannot be made here (not root, or no ip netns);" \
      "falling back to 127.0.$CLUSTER_SUBNET.N addresses on loopback"
  fi
  CLUSTER_PORT=$((20000 + ($$ % 20000)))
  [ "$CLUSTER_MODE" = netns ] && CLUSTER_PORT=5405
  head -c 256 /dev/urandom >"$CLUSTER_WORK/authkey"
  chmod 0400 "$CLUSTER_WORK/authkey"
}

# The kernel keeps one neighbour (ARP and NDP) table for all network
# namespaces, and by default refuses new entries beyond 1024
# (net.ipv4.neigh.default.gc_thresh3). 64 nodes that each talk to 63 others
# need 4032: datagrams to peers left without an entry are dropped with
# ENOBUFS, which UDP reports as sent (the namespace's SndbufErrors count
# them), and the nodes form rings of the few peers they can reach. Permanent
# entries are exempt from that limit, so large labs get one for every peer.
cluster_static_neighbours() {
  local i j ns macs=()
  for i in $(seq 1 "$CLUSTER_NODES"); do
    macs[i]=$(ip -n "tandem-$CLUSTER_TAG-$$-n$i" -br link show eth0 | awk '{ print $3 }')
    [ -n "${macs[i]}" ] || return 1
  done
  for i in $(seq 1 "$CLUSTER_NODES"); do
    ns="tandem-$CLUSTER_TAG-$$-n$i"
    for j in $(seq 1 "$CLUSTER_NODES"); do
      [ "$i" -eq "$j" ] && continue
      echo "neigh replace 10.213.0.$j lladdr ${macs[j]} dev eth0 nud permanent"
      echo "neigh replace fd00:213::$j lladdr ${macs[j]} dev eth0 nud permanent"
    done | ip -n "$ns" -batch - || return 1
  done
}

cluster_address() {
  if [ "$CLUSTER_MODE" = loopback ]; then
    echo "127.0.$CLUSTER_SUBNET.$1"
  elif [ "$CLUSTER_FAMILY" = ipv6 ]; then
    echo "fd00:213::$1"
  else
    echo "10.213.0.$1"
  fi
}

# cluster_write_conf TOKEN_MS TOKEN_COEFFICIENT_MS [extra quorum lines...]
# TOKEN_MS or TOKEN_COEFFICIENT_MS "default" leaves the key out (corosync's
# defaults: 3000 and 650). CLUSTER_CRYPTO=none leaves crypto_cipher and
# crypto_hash out (corosync's udpu transport has no crypto);
# CLUSTER_CONF_EXTRA is appended to the file (a logging section, say).
cluster_write_conf() {
  CLUSTER_TOKEN=$1
  CLUSTER_COEFFICIENT=$2
  shift 2
  local conf="$CLUSTER_WORK/corosync.conf" i
  {
    echo "totem {"
    echo "    version: 2"
    echo "    cluster_name: tandem-test"
    echo "    transport: udpu"
    [ "$CLUSTER_TOKEN" = default ] || echo "    token: $CLUSTER_TOKEN"
    [ "$CLUSTER_COEFFICIENT" = default ] || echo "    token_coefficient: $CLUSTER_COEFFICIENT"
    if [ "${CLUSTER_CRYPTO:-aes256}" != none ]; then
      echo "    crypto_cipher: aes256"
      echo "    crypto_hash: sha256"
    fi
    echo "    interface {"
    echo "        mcastport: $CLUSTER_PORT"
    echo "    }"
    echo "}"
    echo "nodelist {"
    for i in $(seq 1 "$CLUSTER_NODES"); do
      echo "    node {"
      echo "        nodeid: $i"
      echo "        name: node$i"
      echo "        ring0_addr: $(cluster_address "$i")"
      echo "    }"
    done
    echo "}"
    echo "quorum {"
    echo "    provider: corosync_votequorum"
    for line in "$@"; do echo "    $line"; done
    echo "}"
    [ -z "${CLUSTER_CONF_EXTRA:-}" ] || echo "$CLUSTER_CONF_EXTRA"
  } >"$conf"
  # The effective timers, as corosync derives them: token + (nodes - 2) x
  # token_coefficient from three nodes on, consensus 1.2 x token.
  local token=$CLUSTER_TOKEN coefficient=$CLUSTER_COEFFICIENT
  [ "$token" != default ] || token=3000
  [ "$coefficient" != default ] || coefficient=650
  CLUSTER_EFFECTIVE_TOKEN=$token
  if [ "$CLUSTER_NODES" -ge 3 ]; then
    CLUSTER_EFFECTIVE_TOKEN=$((token + (CLUSTER_NODES - 2) * coefficient))
  fi
  CLUSTER_CONSENSUS=$((CLUSTER_EFFECTIVE_TOKEN * 12 / 10))
}

# cluster_start I: starts node I in the background; its log is nI.log.
cluster_start() {
  local i=$1
  local args=(membership --config "$CLUSTER_WORK/corosync.conf" --authkey "$CLUSTER_WORK/authkey"
    --state-dir "$CLUSTER_WORK/n$i")
  if [ "$CLUSTER_MODE" = netns ]; then
    # ip netns exec replaces itself with the sidecar: the PID is the sidecar's.
    ip netns exec "tandem-$CLUSTER_TAG-$$-n$i" "$CLUSTER_SIDECAR" "${args[@]}" \
      2>>"$CLUSTER_WORK/n$i.log" &
  else
    "$CLUSTER_SIDECAR" "${args[@]}" --node-id "$i" 2>>"$CLUSTER_WORK/n$i.log" &
  fi
  CLUSTER_PID[$i]=$!
  CLUSTER_PIDS+=($!)
}

cluster_start_all() {
  local i
  for i in $(seq 1 "$CLUSTER_NODES"); do cluster_start "$i"; done
}

cluster_signal() { kill "-$2" "${CLUSTER_PID[$1]}"; }

# cluster_kill I: kill -9, and wait so the PID is not signalled again.
cluster_kill() {
  local pid=${CLUSTER_PID[$1]} kept=() p
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  CLUSTER_PID[$1]=""
  # Reaped: its PID may be reused, so cleanup must not signal it again.
  for p in "${CLUSTER_PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  CLUSTER_PIDS=("${kept[@]}")
}

# cluster_partition "4 5": those nodes' ports move to a second bridge, so
# they reach each other and no one else. cluster_heal undoes it.
cluster_partition() {
  local i
  for i in $1; do ip -n "$CLUSTER_HUB" link set "p$i" master br1; done
}
cluster_heal() {
  local i
  for i in $(seq 1 "$CLUSTER_NODES"); do ip -n "$CLUSTER_HUB" link set "p$i" master br0; done
}

# cluster_views "1 2 3": one line per node: "I RING QUORATE MEMBERS...",
# from the status files (RING is "-" while a node has written none).
cluster_views() {
  python3 - "$CLUSTER_WORK" $1 <<'PY'
import json, sys
work = sys.argv[1]
for node in sys.argv[2:]:
    try:
        with open(f"{work}/n{node}/status.json") as f:
            s = json.load(f)
        members = " ".join(str(m["node_id"]) for m in s["members"])
        print(node, s["ring_id"], "yes" if s["quorate"] else "no", members)
    except (OSError, ValueError, KeyError):
        print(node, "-", "no")
PY
}

# cluster_agree "1 2 3" QUORATE: true when every listed node reports the
# same ring, with exactly the listed nodes as members, and quorate yes/no.
cluster_agree() {
  local nodes=$1 quorate=$2
  local views rings
  views=$(cluster_views "$nodes")
  rings=$(awk '{ print $2 }' <<<"$views" | sort -u)
  [ "$(wc -l <<<"$rings")" -eq 1 ] || return 1
  [ "$rings" != "-" ] || return 1
  awk -v q="$quorate" -v want="$nodes" '
    { members = ""; for (i = 4; i <= NF; ++i) members = members (members == "" ? "" : " ") $i
      if ($3 != q || members != want) bad = 1 }
    END { exit bad }' <<<"$views"
}

now_ms() { date +%s%3N; }

# A test's checks: `pass` and `fail` print a line each; `fail` also counts
# (CLUSTER_FAILURES) and shows every node's state and log.
CLUSTER_FAILURES=0
pass() { echo "ok: $*"; }
fail() {
  CLUSTER_FAILURES=$((CLUSTER_FAILURES + 1))
  echo "FAIL: $*"
  cluster_dump
}

# cluster_wait_agree "1 2 3" QUORATE LIMIT_MS: waits until cluster_agree
# holds, sets CLUSTER_ELAPSED_MS; fails after LIMIT_MS.
cluster_wait_agree() {
  local nodes=$1 quorate=$2 limit=$3
  local start
  start=$(now_ms)
  while true; do
    if cluster_agree "$nodes" "$quorate"; then
      CLUSTER_ELAPSED_MS=$(($(now_ms) - start))
      return 0
    fi
    if [ $(($(now_ms) - start)) -gt "$limit" ]; then
      CLUSTER_ELAPSED_MS=$(($(now_ms) - start))
      return 1
    fi
    sleep 0.05
  done
}

cluster_dump() {
  local i
  echo "--- status of every node"
  cluster_views "$(seq -s ' ' 1 "$CLUSTER_NODES")"
  for i in $(seq 1 "$CLUSTER_NODES"); do
    echo "--- node $i log (last 15 lines)"
    tail -15 "$CLUSTER_WORK/n$i.log" 2>/dev/null
  done
}

cluster_cleanup() {
  local pid ns
  for pid in "${CLUSTER_PIDS[@]}"; do
    kill -CONT "$pid" 2>/dev/null
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  for ns in "${CLUSTER_NAMESPACES[@]}"; do ip netns delete "$ns" 2>/dev/null; done
  [ -n "${CLUSTER_WORK:-}" ] && rm -rf "$CLUSTER_WORK"
}
