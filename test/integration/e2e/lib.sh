# Sourced by the end-to-end tests (test/integration/e2e/*_test.sh) after
# they set `build`, `source_dir` and `scenario`: a lab of scripts/tandem on
# a namespace prefix and subnet of this run's own, removed on exit, with
# checks and questions to the operator's status.
#
# Exit 77 (skipped) when not root.

[ "$(id -u)" -eq 0 ] || {
  echo "SKIP: needs root for network namespaces"
  exit 77
}

export TANDEM_BUILD=$build
export TANDEM_NO_BUILD=1
export TANDEM_LAB_MODE=netns
export TANDEM_LAB_PREFIX="te$$"
export TANDEM_LAB_SUBNET="10.215.$(($$ % 200))"
export TANDEM_LAB
TANDEM_LAB=$(mktemp -d "/tmp/tandem-e2e-$scenario.XXXXXX")
rm -rf "$TANDEM_LAB" # scripts/tandem up makes it
work=$(mktemp -d "/tmp/tandem-e2e-work.XXXXXX")
tandem="$source_dir/scripts/tandem"
e2e_dir="$source_dir/test/integration/e2e"
source "$e2e_dir/checks.sh"

# The demo's cluster on this run's subnet, with TANDEM_NODES nodes.
write_cluster() {
  local node i
  sed -n '1,/^    nodes:/p' "$source_dir/examples/three-node-demo/cluster.yaml"
  for ((i = 1; i <= ${TANDEM_NODES:-3}; i++)); do
    printf '      - name: node%d\n        nodeId: %d\n        address: %s.%d\n' \
      "$i" "$i" "$TANDEM_LAB_SUBNET" "$i"
  done
  for node in $(lab_nodes); do
    printf -- '---\napiVersion: tandem.dev/v1alpha1\nkind: HANode\nmetadata:\n'
    printf '  name: %s\n  namespace: three-node-demo\n' "$node"
  done
}

# A question to the operator's status (status_query.py); empty output when
# the operator does not answer.
query() {
  "$tandem" status --output json 2>/dev/null | python3 "$e2e_dir/status_query.py" "$@"
}

# wait_for LIMIT_MS QUERY... EXPECTED: until the query prints EXPECTED;
# prints the last answer either way.
wait_for() {
  local limit=$1 start answer
  shift
  local expected=${*: -1}
  start=$(now_ms)
  while true; do
    answer=$(query "${@:1:$#-1}")
    if [ "$answer" = "$expected" ] || [ $(($(now_ms) - start)) -ge "$limit" ]; then
      echo "$answer"
      [ "$answer" = "$expected" ]
      return
    fi
    sleep 0.05
  done
}

# check_no_overlap LOG WHAT: the witness log shows no two nodes at once.
check_no_overlap() {
  if python3 "$e2e_dir/check_witness.py" "$1"; then
    pass "$2 never ran on two nodes at once"
  else
    fail "$2 ran on two nodes at once"
  fi
}
