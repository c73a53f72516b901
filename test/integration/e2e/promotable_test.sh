#!/usr/bin/env bash
# End to end: a promotable clone. examples/promotable-demo (pacemaker:Stateful
# on three nodes, one instance promoted, an address that follows it) on
# scripts/tandem, with a watcher inside each node's namespace (witness.py
# --while-file) logging every 20 ms while that node's Stateful state file
# says Promoted; a watcher dies with its node.
#
#   promotable_test.sh BUILD_DIR SOURCE_DIR
#
# 1. The clone comes up: an instance on every node, exactly one promoted,
#    the address with it.
# 2. kill -9 of the promoted node → another instance is promoted and the
#    address follows.
# The watchers' log must show that no two nodes were ever promoted at once.
#
# Exit 77 (skipped) when not root. Everything made is removed on exit.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=promotable
source "$source_dir/test/integration/e2e/lib.sh"

[ -x /usr/lib/ocf/resource.d/pacemaker/Stateful ] || {
  echo "SKIP: pacemaker:Stateful is not installed (pacemaker-resource-agents; scripts/bootstrap)"
  exit 77
}

# The example on this run's subnet, its state files in this run's directory.
manifests=$work/manifests
mkdir -p "$manifests"
for file in "$source_dir"/examples/promotable-demo/*.yaml; do
  sed -e "s/10\.214\.0\./$TANDEM_LAB_SUBNET./g" \
    -e "s#/run/Stateful-promotable-demo-#$work/state-#g" "$file" >"$manifests/$(basename "$file")"
done
promoted_log=$work/promoted.log

"$tandem" up "$manifests" || {
  fail "the cluster did not come up"
  exit 1
}
for node in $(lab_nodes); do
  ip netns exec "$TANDEM_LAB_PREFIX-$node" python3 "$e2e_dir/witness.py" "$promoted_log" \
    "$TANDEM_LAB_PREFIX-" --while-file "$work/state-$node.state" --while-content Promoted &
  test_pids+=($!)
  disown $!
done

# wait_promoted LIMIT_MS NOT: until exactly one node other than NOT is
# promoted and the address runs there; prints it.
wait_promoted() {
  local limit=$1 not=$2 start promoted
  start=$(now_ms)
  while [ $(($(now_ms) - start)) -lt "$limit" ]; do
    promoted=$(query promoted stateful)
    if [ -n "$promoted" ] && [ "$promoted" = "${promoted%% *}" ] && [ "$promoted" != "$not" ] &&
      [ "$(query where primary-ip)" = "$promoted" ]; then
      echo "$promoted"
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# 1. Up, one promoted.
if first=$(wait_promoted 30000 ""); then
  pass "one instance is promoted, on $first, with the address"
else
  fail "no single promoted instance with the address within 30 s"
  exit 1
fi
all=$(echo $(lab_nodes))
if on=$(wait_for 10000 where stateful "$all"); then
  pass "an instance runs on every node ($on)"
else
  fail "instances run on '$on', not on $all"
fi
grep -q "^$first " "$promoted_log" && pass "$first's watcher sees its state file say Promoted" ||
  fail "no watcher saw $first promoted"

# 2. The promoted node dies.
start=$(now_ms)
"$tandem" kill "$first"
if second=$(wait_promoted 20000 "$first"); then
  pass "after kill -9 of $first, $second is promoted and has the address, $(($(now_ms) - start)) ms after the kill"
else
  fail "no other instance was promoted within 20 s of killing $first"
fi
promote_actions=$(grep -c "dispatch .* stateful:[0-9]*_promote_0 to" "$TANDEM_LAB/operator.log")
[ "$promote_actions" -eq 2 ] && pass "two promotions in all, one per promoted node" ||
  fail "$promote_actions promote actions were dispatched, not 2"

sleep 0.5
check_no_overlap "$promoted_log" "the promoted role"
finish
