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
#   fence-device  as kill, fenced through the manifests' fencing topology: level 1
#          (a device that fails), then level 2 (the lab's device)
#   control  tandemctl standby drains its node; ban moves it off a node and
#          clear takes the ban back; after its process is killed it restarts
#          in place with a fail count, which cleanup forgets; with its node in
#          maintenance its monitors are cancelled and a killed witness stays
#          down (nothing restarts it or starts it elsewhere) until
#          maintenance off asks for its monitor again, which finds it stopped
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

if [ "$scenario" = fence-device ]; then
  use_fence_device "$manifests" three-node-demo fence_tandem_netns "netns_prefix: $TANDEM_LAB_PREFIX-"
  # A fencing topology: level 1 is a device that cannot fence (its
  # namespaces do not exist), level 2 the lab's; the fence must fall through.
  sed -i '0,/^spec:$/s//spec:\n  fencingTopology:\n    - {targetPattern: "^node", index: 1, devices: [fence-broken]}\n    - {targetPattern: "^node", index: 2, devices: [fence-lab]}/' \
    "$manifests/cluster.yaml"
  cat >>"$manifests/fencing.yaml" <<EOF
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: fence-broken, namespace: three-node-demo}
spec: {agent: {fence: {type: fence_tandem_netns}}, params: {netns_prefix: $TANDEM_LAB_PREFIX-nowhere-}}
EOF
fi

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
  kill | fence-device)
    if [ "$scenario" = fence-device ]; then
      on=$("$tandem" running-on fence-lab)
      [ -n "$on" ] && pass "the fence device runs on $on" || fail "the fence device does not run"
    fi
    start=$(now_ms)
    "$tandem" kill "$first"
    if second=$("$tandem" wait-running witness "$first" 20000); then
      pass "after kill -9 of $first the group runs on $second, $(($(now_ms) - start)) ms after the kill"
    else
      fail "the group did not move within 20 s of killing $first"
    fi
    if [ "$scenario" = fence-device ]; then
      grep -q "fence .* of $first succeeded: level 2: device fence-lab (fence_tandem_netns) exited 0 (after level 1: device fence-broken (fence_tandem_netns): exited 1)" \
        "$TANDEM_LAB/operator.log" &&
        pass "$first was fenced through the topology's level 2 after level 1 failed" ||
        fail "no fence of $first through level 2 after level 1 in the operator's log"
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
  control)
    # A field of the operator's status JSON, through a Python expression on s.
    status_says() {
      "$tandem" status --output json 2>/dev/null |
        python3 -c "import json,sys; s=json.load(sys.stdin); print($1)" 2>/dev/null
    }
    # Waits (at most $2 tenths of a second) until status_says $1 prints True.
    wait_until() {
      local i
      for ((i = 0; i < $2; i++)); do
        [ "$(status_says "$1")" = True ] && return 0
        sleep 0.1
      done
      return 1
    }
    "$tandem" ctl standby "$first" >/dev/null || fail "tandemctl standby $first failed"
    if second=$("$tandem" wait-running witness "$first" 20000); then
      pass "standby drained $first: the group runs on $second"
    else
      fail "the group did not leave $first within 20 s of its standby"
    fi
    wait_until "any(n['name']=='$first' and n['state']=='standby' for n in s['nodes'])" 50 &&
      pass "status shows $first in standby" || fail "status does not show $first in standby"
    "$tandem" ctl unstandby "$first" >/dev/null || fail "tandemctl unstandby $first failed"
    wait_until "all(n['state']=='online' for n in s['nodes'])" 50 &&
      pass "unstandby: every node is online again" || fail "a node is still not online"

    "$tandem" ctl ban service >/dev/null || fail "tandemctl ban service failed"
    if third=$("$tandem" wait-running witness "$second" 20000); then
      pass "ban service moved the group off $second to $third"
    else
      fail "the group did not leave $second within 20 s of the ban"
    fi
    wait_until "[c['name'] for c in s['cliConstraints']]==['cli-ban-service-on-$second']" 50 &&
      pass "status lists the ban" || fail "status does not list the ban"
    "$tandem" ctl clear service >/dev/null || fail "tandemctl clear service failed"
    wait_until "s['cliConstraints']==[]" 50 && pass "clear took the ban back" ||
      fail "the ban is still listed after clear"

    # The witness processes running on node $1, by PID.
    witness_pids() {
      local pid
      for pid in $(ip netns pids "$TANDEM_LAB_PREFIX-$1"); do
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q witness.py && echo "$pid"
      done
    }
    witness_pid=$(witness_pids "$third" | head -n 1)
    if [ -n "$witness_pid" ]; then
      kill -9 "$witness_pid"
      wait_until "any(f['resource']=='witness' and f['node']=='$third' for f in s['failCounts'])" 150 &&
        pass "the killed witness has a fail count on $third" || fail "no fail count after killing the witness"
      now_on=$("$tandem" wait-running witness "" 20000)
      [ "$now_on" = "$third" ] && pass "the witness restarted in place on $third" ||
        fail "the witness runs on '$now_on', not restarted on $third"
      "$tandem" ctl cleanup witness >/dev/null || fail "tandemctl cleanup witness failed"
      wait_until "s['failCounts']==[] and s['failedOperations']==[]" 100 &&
        pass "cleanup forgot the failure" || fail "the failure is still there after cleanup"
    else
      fail "no witness process found on $third"
    fi

    # Maintenance: the node is left alone. Its witness dies and nothing
    # restarts it there or starts it elsewhere until maintenance ends.
    "$tandem" ctl maintenance "$third" on >/dev/null || fail "tandemctl maintenance $third on failed"
    wait_until "any(n['name']=='$third' and n['state']=='maintenance' for n in s['nodes']) and \
any(r['resource']=='witness' and not r['managed'] for r in s['resources'])" 50 &&
      pass "status shows $third in maintenance and the witness unmanaged" ||
      fail "status does not show $third in maintenance with the witness unmanaged"
    # The operator cancels the recurring monitors there, as Pacemaker does.
    cancelled=""
    for _ in $(seq 1 50); do
      grep -q "finished: cancel of monitor witness every 1000 ms (stopped)" "$TANDEM_LAB/$third.log" &&
        cancelled=yes && break
      sleep 0.1
    done
    [ -n "$cancelled" ] && pass "the witness's monitor on $third was cancelled" ||
      fail "no cancel of the witness's monitor in $third's log"
    witness_pid=$(witness_pids "$third" | head -n 1)
    if [ -n "$witness_pid" ]; then
      kill -9 "$witness_pid"
      sleep 3
      [ "$(status_says "[f['task'] for f in s['failedOperations'] if f['resource']=='witness']")" = "[]" ] &&
        pass "with its monitor cancelled nothing noticed the killed witness" ||
        fail "a failure of the witness was reported although its monitor was cancelled"
      started=""
      for n in $(lab_nodes); do
        [ -n "$(witness_pids "$n")" ] && started="$started $n"
      done
      [ -z "$started" ] && pass "in maintenance nothing restarted the killed witness, nor started it elsewhere" ||
        fail "the witness runs on$started while $third is in maintenance"
      grep -q "witness_start_0 to" <(sed -n "/control: maintenance $third: /,\$p" "$TANDEM_LAB/operator.log") &&
        fail "the operator dispatched a start of the witness during maintenance" ||
        pass "the operator dispatched no start of the witness during maintenance"
      "$tandem" ctl maintenance "$third" off >/dev/null || fail "tandemctl maintenance $third off failed"
      restarted=""
      for ((i = 0; i < 200; i++)); do
        for n in $(lab_nodes); do
          [ -n "$(witness_pids "$n")" ] && restarted=$n
        done
        [ -n "$restarted" ] && break
        sleep 0.1
      done
      [ -n "$restarted" ] && pass "maintenance off: its monitor, asked for again, found the witness stopped and it started again on $restarted" ||
        fail "the witness did not start again within 20 s of maintenance off"
    else
      fail "no witness process found on $third before maintenance"
    fi
    ;;
  *)
    echo "unknown scenario $scenario"
    exit 2
    ;;
esac

sleep 0.5
check_no_overlap "$witness_log" "the witness"
finish
