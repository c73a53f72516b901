#!/usr/bin/env bash
# End to end: a failing monitor. Three nodes (scripts/tandem), a group of a
# virtual IP and a witness process (witness.py, logging where it runs every
# 20 ms) with a tcpConnect health probe and migrationThreshold 2.
#
#   monitor_test.sh BUILD_DIR SOURCE_DIR
#
# 1. The witness stops answering its health probe while its process keeps
#    running: the monitor fails (rc 1), and the witness is stopped and
#    started again on the same node (fail count 1); the address stays.
# 2. The witness process is killed (kill -9): the monitor finds it gone
#    (rc 7), fail count 2 reaches the threshold, and the group moves to
#    another node.
# 3. tandemctl status lists both failed monitors and the fail count.
# The witness log must show that it never ran on two nodes at once, and
# that the restart in place stopped the old copy before the new one began.
#
# Exit 77 (skipped) when not root. Everything made is removed on exit.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=monitor
source "$source_dir/test/integration/e2e/lib.sh"

manifests=$work/manifests
flags=$work/flags
mkdir -p "$manifests" "$flags"
write_cluster >"$manifests/cluster.yaml"
witness_log=$work/witness.log
cat >"$manifests/service.yaml" <<EOF
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: vip
  namespace: three-node-demo
spec:
  agent:
    ocf:
      provider: heartbeat
      type: IPaddr2
  params:
    ip: $TANDEM_LAB_SUBNET.100
    cidr_netmask: "24"
  operations:
    - name: monitor
      interval: 2s
      timeout: 10s
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: witness
  namespace: three-node-demo
spec:
  agent:
    process:
      command: [/usr/bin/python3, $e2e_dir/witness.py, $witness_log, $TANDEM_LAB_PREFIX-,
                --port, "7001", --fail-dir, $flags]
      health:
        tcpConnect:
          port: 7001
  operations:
    - name: monitor
      interval: 500ms
      timeout: 5s
  meta:
    migrationThreshold: 2
---
apiVersion: tandem.dev/v1alpha1
kind: HAGroup
metadata:
  name: service
  namespace: three-node-demo
spec:
  resources: [vip, witness]
EOF

"$tandem" up "$manifests" || {
  fail "the cluster did not come up"
  exit 1
}
first=$("$tandem" wait-running witness "" 30000) || {
  fail "the witness did not start within 30 s"
  exit 1
}
pass "the group started on $first"
starts_on() { grep -c "received: start witness" "$TANDEM_LAB/$1.log"; }

# 1. The health probe fails while the process runs.
touch "$flags/fail-$first"
if count=$(wait_for 10000 failcount witness "$first" 1); then
  pass "the failed monitor counts once on $first"
else
  fail "the fail count of witness on $first is '$count', not 1, 10 s after its probe failed"
fi
if on=$(wait_for 10000 where witness "$first") && [ "$(starts_on "$first")" -eq 2 ]; then
  pass "the witness was started again on $first"
else
  fail "the witness runs on '$on' after the failure, started $(starts_on "$first") time(s) on $first"
fi
if grep -q "^$first stop " "$witness_log"; then
  pass "the failed copy was stopped before the new one"
else
  fail "the witness log shows no stop of the failed copy on $first"
fi
[ "$("$tandem" running-on vip)" = "$first" ] && pass "the address stayed on $first" ||
  fail "the address left $first after a restart in place"

# 2. The process dies: the second failure reaches migrationThreshold 2.
read -r pid _ <"$TANDEM_LAB/$first/processes/witness.pid"
start=$(now_ms)
kill -KILL "$pid"
if second=$("$tandem" wait-running witness "$first" 15000); then
  pass "after the second failure the group runs on $second, $(($(now_ms) - start)) ms after the kill"
else
  fail "the witness did not leave $first within 15 s of its second failure"
fi
if on=$(wait_for 10000 where vip "$second"); then
  pass "the address moved with it"
else
  fail "the address runs on '$on', not $second"
fi
count=$(query failcount witness "$first")
[ "$count" = 2 ] && pass "the fail count on $first is 2" || fail "the fail count on $first is '$count', not 2"

# 3. What the status says.
text=$("$tandem" status)
if grep -q "witness monitor (interval 500ms) on $first: rc 7" <<<"$text"; then
  pass "tandemctl status lists the failed monitor"
else
  fail "tandemctl status does not list the failed monitor on $first"
fi
if grep -q "witness on $first: 2 (monitor" <<<"$text"; then
  pass "tandemctl status shows the fail count"
else
  fail "tandemctl status does not show a fail count of 2 on $first"
fi
echo "$text" | sed -n '/Failed Resource Actions/,/^$/p;/Fail Counts/,/^$/p'

sleep 0.5
check_no_overlap "$witness_log" "the witness"
finish
