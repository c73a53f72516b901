#!/usr/bin/env bash
# End to end: tandem-operator and three `tandem-sidecar agent`s, each node in
# a network namespace (scripts/tandem), running a group of a virtual IP and
# a witness process (witness.py) that logs every 20 ms where it runs.
#
#   failover_test.sh BUILD_DIR SOURCE_DIR SCENARIO
#
# SCENARIO:
#   kill   the group starts; kill -9 of everything on its node (link down)
#          → it runs on another node
#   pause  SIGSTOP of the sidecar on its node → nothing starts elsewhere
#          until that node is fenced; then it runs elsewhere
# In every scenario the witness log must show that the group never ran on
# two nodes at once.
#
# Exit 77 (skipped) when not root. Everything made is removed on exit.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=$3
source "$source_dir/test/integration/e2e/lib.sh"

manifests=$work/manifests
mkdir -p "$manifests"
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
      command: [/usr/bin/python3, $e2e_dir/witness.py, $witness_log, $TANDEM_LAB_PREFIX-]
  operations:
    - name: monitor
      interval: 1s
      timeout: 5s
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
vip_on=$("$tandem" running-on vip)
[ "$vip_on" = "$first" ] && pass "the address runs with it" || fail "vip runs on '$vip_on', not $first"

case $scenario in
  kill)
    start=$(now_ms)
    "$tandem" kill "$first"
    if second=$("$tandem" wait-running witness "$first" 20000); then
      pass "after kill -9 of $first the group runs on $second, $(($(now_ms) - start)) ms after the kill"
    else
      fail "the group did not move within 20 s of killing $first"
    fi
    ;;
  pause)
    pid=$(cat "$TANDEM_LAB/$first.pid")
    start=$(now_ms)
    kill -STOP "$pid"
    if second=$("$tandem" wait-running witness "$first" 20000); then
      pass "with $first's sidecar paused the group runs on $second after $(($(now_ms) - start)) ms"
    else
      fail "the group did not move within 20 s of pausing $first"
    fi
    kill -CONT "$pid" 2>/dev/null
    sleep 2
    ;;
  *)
    echo "unknown scenario $scenario"
    exit 2
    ;;
esac

sleep 0.5
check_no_overlap "$witness_log" "the witness"
finish
