#!/usr/bin/env bash
# End to end: the operator killed (kill -9) in the middle of a transition.
# Three nodes (scripts/tandem), a group of two witness processes
# (witness.py): db, whose start takes 6 s (it answers its tcpConnect health
# probe only then, as a database that replays its log would), then app.
#
#   operator_restart_test.sh BUILD_DIR SOURCE_DIR
#
# The group runs; its node is killed; the moment the operator's log shows
# db's start dispatched to another node, the operator is killed with
# kill -9 and started again with the same state directory. db's start is
# still running on that node when the new operator has cleared the dead node
# (self-fence time and margin, 4 s) and decides again.
# → the group converges on one node; after the kill, db and app were each
# started once (the sidecars' logs); the new operator's action ids carry
# incarnation 2; neither witness log shows two nodes at once. A third
# operator (kill -9 and boot again) still counts the failover and the
# transitions before it (STATE_DIR/counters.json).
#
# Exit 77 (skipped) when not root. Everything made is removed on exit.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=operator-restart
source "$source_dir/test/integration/e2e/lib.sh"

manifests=$work/manifests
mkdir -p "$manifests"
write_cluster >"$manifests/cluster.yaml"
cat >"$manifests/service.yaml" <<EOF
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: db
  namespace: three-node-demo
spec:
  agent:
    process:
      command: [/usr/bin/python3, $e2e_dir/witness.py, $work/db.log, $TANDEM_LAB_PREFIX-,
                --port, "7002", --ready-after, "6"]
      health:
        tcpConnect:
          port: 7002
  operations:
    - name: start
      timeout: 20s
    - name: monitor
      interval: 1s
      timeout: 5s
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: app
  namespace: three-node-demo
spec:
  agent:
    process:
      command: [/usr/bin/python3, $e2e_dir/witness.py, $work/app.log, $TANDEM_LAB_PREFIX-]
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
  resources: [db, app]
EOF

"$tandem" up "$manifests" || {
  fail "the cluster did not come up"
  exit 1
}
first=$("$tandem" wait-running app "" 40000) || {
  fail "the group did not start within 40 s"
  exit 1
}
pass "the group started on $first"

# Starts each node's sidecar has received so far, to count only later ones.
starts() { cat "$TANDEM_LAB"/node*.log | grep -c "received: start $1\$"; }
db_before=$(starts db)
app_before=$(starts app)
log=$TANDEM_LAB/operator.log
dispatched_before=$(grep -c "dispatch .* db_start_0 to" "$log")

"$tandem" kill "$first"
# Bounded: 20 s in 5 ms steps.
for _ in $(seq 1 4000); do
  [ "$(grep -c "dispatch .* db_start_0 to" "$log")" -gt "$dispatched_before" ] && break
  sleep 0.005
done
if [ "$(grep -c "dispatch .* db_start_0 to" "$log")" -gt "$dispatched_before" ]; then
  "$tandem" kill operator
  target=$(grep "dispatch .* db_start_0 to" "$log" | tail -1 | awk '{ print $NF }')
  pass "the operator was killed right after dispatching db's start to $target"
else
  fail "the operator did not dispatch db's start within 20 s of killing $first"
  exit 1
fi
"$tandem" boot operator

if second=$("$tandem" wait-running app "$first" 30000); then
  pass "the restarted operator brought the group up on $second"
else
  fail "the group did not run again within 30 s of the operator's restart"
fi
db_on=$(query where db)
[ "$db_on" = "$second" ] && pass "db runs with app on $second" || fail "db runs on '$db_on', app on $second"
db_starts=$(($(starts db) - db_before))
app_starts=$(($(starts app) - app_before))
[ "$db_starts" -eq 1 ] && pass "db was started once after the kill" ||
  fail "db was started $db_starts times after the kill"
[ "$app_starts" -eq 1 ] && pass "app was started once after the kill" ||
  fail "app was started $app_starts times after the kill"
grep -q "incarnation 2," "$log" && grep -q "dispatch op2-" "$log" &&
  pass "the new operator is incarnation 2 and its action ids say so" ||
  fail "the restarted operator is not incarnation 2 with op2- action ids"

# The counters survive a restart too: kill -9 of the operator once more.
read -r failovers transitions listed <<<"$(query counters)"
if [ "${failovers:-0}" -ge 1 ]; then
  pass "the operator counted $failovers failover(s) and $transitions transitions"
else
  fail "no failover counted after the group moved (counters: '$failovers $transitions')"
fi
"$tandem" kill operator
"$tandem" boot operator
# Until the new operator has heard from the nodes (it answers before that).
for _ in $(seq 1 100); do
  [ -n "$(query online)" ] && break
  sleep 0.1
done
read -r failovers_after transitions_after listed_after <<<"$(query counters)"
[ "${failovers_after:-0}" -eq "${failovers:-0}" ] && [ "${transitions_after:-0}" -ge "${transitions:-0}" ] &&
  [ "${listed_after:-0}" -eq "${listed:-0}" ] &&
  pass "after another restart the operator still counts $failovers_after failover(s), $transitions_after transitions" ||
  fail "the counters did not survive the restart: $failovers $transitions $listed before, '$failovers_after $transitions_after $listed_after' after"
grep -q "incarnation 3," "$log" && pass "that was incarnation 3" || fail "no incarnation 3 in the log"

sleep 0.5
check_no_overlap "$work/db.log" "db"
check_no_overlap "$work/app.log" "app"
finish
