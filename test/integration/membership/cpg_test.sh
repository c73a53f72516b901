#!/usr/bin/env bash
# Ordered messaging for applications (the process groups' socket) on three
# tandem-sidecar membership processes, one per network namespace
# (cluster.sh): clients on nodes 1, 2 and 3 join a group and multicast
# concurrently; node 3 is killed (kill -9) while they do. The clients of
# nodes 1 and 2 must see the same stream of messages and membership events,
# with node 3's member leaving (node_down) at the same point, and each
# other's messages exactly once and in order. Then malformed input on the
# socket gets errors and leaves the sidecar running, and the example client
# (examples/cpg-client) chats through it.
#
#   cpg_test.sh TANDEM_SIDECAR SOURCE_DIR
#
# Without root it runs the nodes on loopback addresses (cluster.sh).
# Everything it starts or makes is removed on exit, also on failure.
set -uo pipefail

sidecar=$1
source_dir=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=cluster.sh
. "$here/cluster.sh"
probes=()
cleanup() {
  local pid
  for pid in "${probes[@]}"; do
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  cluster_cleanup
}
trap cleanup EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP

# Messages each surviving client sends; node 3 is killed once node 1's
# client has seen `kill_after` messages.
count=1500
kill_after=300
margin=2000

cluster_init "$sidecar" cpg 3
cluster_write_conf 300 0
cluster_start_all
form_bound=$((4 * (CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS) + margin))
if cluster_wait_agree "1 2 3" yes "$form_bound"; then
  pass "nodes 1 2 3 formed one ring in ${CLUSTER_ELAPSED_MS} ms"
else
  fail "nodes 1 2 3 did not form one ring within $form_bound ms"
  exit 1
fi
for i in 1 2 3; do
  if [ -S "$CLUSTER_WORK/n$i/cpg.sock" ] &&
    [ "$(stat -c %a "$CLUSTER_WORK/n$i/cpg.sock")" = 660 ]; then
    pass "node $i serves STATE_DIR/cpg.sock with mode 0660"
  else
    fail "node $i has no socket STATE_DIR/cpg.sock with mode 0660"
  fi
done

# messages_in LOG: how many messages a client has received.
messages_in() {
  local n
  n=$(grep -c '"type":"message"' "$1" 2>/dev/null)
  echo "${n:-0}"
}
# wait_for BOUND_MS CONDITION...: until the command succeeds.
wait_for() {
  local limit=$1 start
  shift
  start=$(now_ms)
  until "$@"; do
    if [ $(($(now_ms) - start)) -gt "$limit" ]; then return 1; fi
    sleep 0.05
  done
  CLUSTER_ELAPSED_MS=$(($(now_ms) - start))
}

tags=(x a b c)
for i in 1 2 3; do
  python3 "$here/cpg_probe.py" "$CLUSTER_WORK/n$i/cpg.sock" orders "$CLUSTER_WORK/client$i.log" \
    --members 3 --send "$count" --tag "${tags[$i]}" &
  probes+=($!)
done

enough_to_kill() { [ "$(messages_in "$CLUSTER_WORK/client1.log")" -ge "$kill_after" ]; }
if wait_for 20000 enough_to_kill; then
  pass "the clients joined and node 1's client received $kill_after messages"
else
  fail "node 1's client did not receive $kill_after messages within 20 s"
  exit 1
fi
# Node 1's status lists the group with one member on each node, in
# corosync-cpgtool's layout.
groups_listed() {
  "$CLUSTER_SIDECAR" status --state-dir "$CLUSTER_WORK/n1" --groups >"$CLUSTER_WORK/groups.txt" 2>&1 &&
    [ "$(sed -n 2p "$CLUSTER_WORK/groups.txt")" = orders ] &&
    [ "$(grep -cP '^\t\t +\d+\t +[123] \(' "$CLUSTER_WORK/groups.txt")" -eq 3 ]
}
if wait_for 2000 groups_listed; then
  pass "node 1's status --groups lists the group with its member on each node"
else
  fail "node 1's status --groups does not list the group's three members"
  cat "$CLUSTER_WORK/groups.txt"
fi
cluster_kill 3
echo "killed node 3 after node 1's client had $(messages_in "$CLUSTER_WORK/client1.log") messages"

# Both survivors' clients have every message of both senders.
all_delivered() {
  local log
  for log in "$CLUSTER_WORK/client1.log" "$CLUSTER_WORK/client2.log"; do
    [ "$(grep -c '"data":"a-' "$log")" -ge "$count" ] || return 1
    [ "$(grep -c '"data":"b-' "$log")" -ge "$count" ] || return 1
  done
}
deliver_bound=$((count * 10 + CLUSTER_EFFECTIVE_TOKEN + CLUSTER_CONSENSUS + margin))
if wait_for "$deliver_bound" all_delivered; then
  pass "both survivors' clients received all $count messages of each sender"
else
  fail "the survivors' clients did not receive every message within $deliver_bound ms"
fi
if python3 "$here/cpg_check.py" "$CLUSTER_WORK/client1.log" "$CLUSTER_WORK/client2.log" 3 \
  "$count" a b c; then
  pass "nodes 1 and 2 delivered one stream, node 3's member leaving at the same point"
else
  fail "the survivors' streams break virtual synchrony (logs: client1.log, client2.log)"
  tail -5 "$CLUSTER_WORK/client1.log" "$CLUSTER_WORK/client2.log"
fi

# Malformed input gets an error line each, an over-long line closes the
# connection, and the sidecar goes on serving.
socket1="$CLUSTER_WORK/n1/cpg.sock"
replies=$(python3 - "$socket1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
s.sendall(b'not json\n{"op":"join"}\n{"op":"fly","group":"g"}\n\xff\xfe\n{"op":"members","group":"orders"}\n')
data = b""
while data.count(b"\n") < 6:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
print(data.decode(errors="replace"))
# The sidecar closes the connection in the middle of this line.
try:
    s.sendall(b"x" * 300000 + b"\n")
    while s.recv(65536):
        pass
    print("closed")
except (BrokenPipeError, ConnectionResetError):
    print("closed")
except socket.timeout:
    print("timeout: the connection stayed open")
PY
)
if grep -q '"code":"invalid","error":"not JSON: ' <<<"$replies" &&
  grep -q '"op":"join","code":"invalid","error":"\\"group\\" is missing"' <<<"$replies" &&
  grep -q 'unknown op \\"fly\\"' <<<"$replies" &&
  grep -q '"op":"members","group":"orders","ring":"1\.[0-9a-f]*","synchronized":true,"members":\[{"node":1,' <<<"$replies" &&
  [ "$(grep -c '"type":"error"' <<<"$replies")" -eq 4 ] && grep -q '^closed$' <<<"$replies"; then
  pass "malformed requests get one error each naming what is wrong; an over-long line closes the connection"
else
  echo "$replies" | cut -c1-300
  fail "unexpected replies to malformed input (above)"
fi
if kill -0 "${CLUSTER_PID[1]}" 2>/dev/null &&
  grep -q "a request line is longer than 200704 bytes; closing the connection" "$CLUSTER_WORK/n1.log"; then
  pass "node 1's sidecar is still running and logged why it closed the connection"
else
  fail "node 1's sidecar stopped or did not log the closed connection"
fi

# The example client, on node 2, receives its own line through the ring.
example=$(printf 'hello from the example\n' | timeout 10 python3 \
  "$source_dir/examples/cpg-client/cpg_client.py" --socket "$CLUSTER_WORK/n2/cpg.sock" \
  --leave-at-eof demo)
if grep -q '^\[demo ring [0-9a-f.]* seq [0-9]*\] node 2 client [0-9]* (pid [0-9]*): hello from the example$' \
  <<<"$example" && grep -q '^# demo ring .*: - node 2 client .* (leave); members now: none$' <<<"$example"; then
  pass "the example client joined, sent a line, received it in order and left"
else
  echo "$example"
  fail "the example client's output (above) is not as expected"
fi

if [ "$CLUSTER_FAILURES" -gt 0 ]; then
  echo "$CLUSTER_FAILURES check(s) failed"
  exit 1
fi
echo "all checks passed"
