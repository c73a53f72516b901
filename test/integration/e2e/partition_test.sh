#!/usr/bin/env bash
# End to end: a five-node cluster split 3|2 (scripts/tandem with
# TANDEM_NODES=5 and no fence command, so only the self-fence time clears
# the lost nodes). Two witness processes (witness.py): minority-app prefers
# node4, majority-app node1, both more than they stick (200 against the
# demo's stickiness 100), so that wherever they start while the nodes come
# up, they end up there.
#
#   partition_test.sh BUILD_DIR SOURCE_DIR SCENARIO
#
# SCENARIO (which side the operator is on):
#   operator-majority  partition node1,node2,node3 | node4,node5: node4 loses
#                      quorum and stops minority-app within the self-fence
#                      time (2 s, plus the time to notice, token +
#                      consensus); the operator starts it on the majority
#                      only after the self-fence time and margin (2 s + 2 s)
#                      have passed
#   operator-minority  partition node1,node2,node3 | node4,node5,operator:
#                      node4 stops minority-app as above, but the operator
#                      hears only from a partition without quorum and the
#                      majority cannot reach it: nothing starts anywhere
#                      (an outage, never a second copy) until the network
#                      heals
# In both, majority-app runs on node1 without a break until the network
# heals (the rings merging may split once more for a moment, and then it
# may move), and after 'heal' all five nodes are online, minority-app is
# back on node4, nothing is pending, and neither witness log shows two
# nodes at once.
#
# Exit 77 (skipped) when not root. Everything made is removed on exit.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=$3
export TANDEM_NODES=5
export TANDEM_NO_FENCE=1
source "$source_dir/test/integration/e2e/lib.sh"

self_fence_ms=2000
margin_ms=2000
notice_ms=1000 # token 300 ms + consensus 360 ms, with room

manifests=$work/manifests
mkdir -p "$manifests"
write_cluster >"$manifests/cluster.yaml"
witness() {
  cat <<EOF
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: $1
  namespace: three-node-demo
spec:
  agent:
    process:
      command: [/usr/bin/python3, $e2e_dir/witness.py, $work/$1.log, $TANDEM_LAB_PREFIX-]
  operations:
    - name: monitor
      interval: 1s
      timeout: 5s
---
apiVersion: tandem.dev/v1alpha1
kind: HAConstraint
metadata:
  name: $1-prefers-$2
  namespace: three-node-demo
spec:
  location:
    resource: $1
    node: $2
    score: 200
EOF
}
{
  witness minority-app node4
  witness majority-app node1
} >"$manifests/apps.yaml"

"$tandem" up "$manifests" || {
  fail "the cluster did not come up"
  exit 1
}
if wait_for 30000 where minority-app node4 >/dev/null && wait_for 10000 where majority-app node1 >/dev/null &&
  wait_for 10000 settled yes >/dev/null; then
  pass "minority-app runs on node4, majority-app on node1"
else
  fail "the witnesses did not start where they prefer within 30 s"
  exit 1
fi

# 1. The split.
case $scenario in
  operator-majority) sides=(node1,node2,node3 node4,node5) ;;
  operator-minority) sides=(node1,node2,node3 node4,node5,operator) ;;
  *)
    echo "unknown scenario $scenario"
    exit 2
    ;;
esac
start=$(now_ms)
"$tandem" partition "${sides[@]}"
stop_limit=$((notice_ms + self_fence_ms))
for _ in $(seq 1 200); do
  grep -q "^node4 stop " "$work/minority-app.log" && break
  [ $(($(now_ms) - start)) -lt $((stop_limit + 1000)) ] || break
  sleep 0.02
done
stopped_at=$(awk '$1 == "node4" && $2 == "stop" { print $3 }' "$work/minority-app.log" | tail -1)
if [ -n "$stopped_at" ] && [ $((stopped_at - start)) -le "$stop_limit" ]; then
  pass "node4 stopped its copy $((stopped_at - start)) ms after the partition (self-fence time $self_fence_ms ms)"
else
  fail "node4's copy did not log its stop within $stop_limit ms of the partition (stop at '${stopped_at:-never}')"
fi

if [ "$scenario" = operator-majority ]; then
  if moved_to=$("$tandem" wait-running minority-app node4 20000); then
    pass "minority-app runs on $moved_to, $(($(now_ms) - start)) ms after the partition"
  else
    fail "minority-app did not start on the majority within 20 s"
  fi
  # Its first line there since the partition (it may have run there before).
  started_at=$(awk -v n="${moved_to:-none}" -v since="$start" \
    '$1 == n && $2 != "stop" && $2 >= since { print $2; exit }' "$work/minority-app.log")
  if [ -n "$started_at" ] && [ $((started_at - start)) -ge $((self_fence_ms + margin_ms)) ]; then
    pass "the majority started it $((started_at - start)) ms after the partition, past the self-fence time and margin"
  else
    fail "the majority started it at '${started_at:-never}', before $((self_fence_ms + margin_ms)) ms after the partition"
  fi
  if online=$(wait_for 5000 online "node1 node2 node3"); then
    pass "the operator sees node1 node2 node3 online"
  else
    fail "the operator sees '$online' online during the partition"
  fi
else
  # Well past the point where the majority side would have taken over.
  sleep $(((self_fence_ms + margin_ms + 4000) / 1000))
  # Starts since the split: as the cluster came up it may have run on a
  # node of the first partial ring before node4 joined.
  elsewhere=$(awk -v since="$start" '$1 != "node4" && $2 != "stop" && $2 >= since { print $1 }' \
    "$work/minority-app.log" | sort -u)
  [ -z "$elsewhere" ] && pass "minority-app started nowhere while the operator could not reach a quorate partition" ||
    fail "minority-app ran on $elsewhere while the operator was cut off from the majority"
  members=$(query members)
  [ "$members" = 0 ] && pass "the operator's status says no quorate partition reports" ||
    fail "the operator's status shows a quorate ring of '$members' members"
  last=$(awk '$1 == "node1" && $2 != "stop" { t = $2 } END { print t }' "$work/majority-app.log")
  [ -n "$last" ] && [ $(($(now_ms) - last)) -lt 500 ] &&
    pass "majority-app keeps running on node1 without the operator" ||
    fail "majority-app stopped logging on node1 during the partition"
fi

# 2. One network again.
healed_at=$(now_ms)
"$tandem" heal
all=$(echo $(lab_nodes))
if online=$(wait_for 20000 online "$all") && wait_for 10000 settled yes >/dev/null; then
  pass "after healing all five nodes are online and nothing is left to do"
else
  fail "after healing '$online' are online (or actions are pending) after 20 s"
fi
minority_on=$(wait_for 10000 where minority-app node4)
majority_on=$(wait_for 10000 where majority-app node1)
[ "$minority_on" = node4 ] && [ "$majority_on" = node1 ] &&
  pass "each witness runs once: minority-app on $minority_on, majority-app on $majority_on" ||
  fail "minority-app runs on '$minority_on', majority-app on '$majority_on'"

sleep 1
check_no_overlap "$work/minority-app.log" "minority-app"
check_no_overlap "$work/majority-app.log" "majority-app"
awk -v t="$healed_at" '$NF < t' "$work/majority-app.log" >"$work/majority-app-split.log"
runs=$(python3 "$e2e_dir/check_witness.py" "$work/majority-app-split.log" | grep -c " ran from ")
[ "$runs" -eq 1 ] && pass "majority-app ran without a break until the network healed" ||
  fail "majority-app shows $runs runs, not one"
finish
