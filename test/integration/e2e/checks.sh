# Sourced by the end-to-end tests once `tandem` (scripts/tandem), `work`
# (the test's own directory) and TANDEM_LAB are set: cleanup on exit,
# however the test ends, and the checks' pass/fail/finish.

# Processes the test starts itself, killed on exit.
test_pids=()

# E2E_KEEP=DIR keeps the logs (the lab's and the witnesses') there.
cleanup() {
  local pid
  for pid in "${test_pids[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  if [ -n "${E2E_KEEP:-}" ]; then
    mkdir -p "$E2E_KEEP"
    cp "$TANDEM_LAB"/*.log "$work"/*.log "$E2E_KEEP"/ 2>/dev/null
  fi
  "$tandem" down >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP

failures=0
pass() { echo "ok: $*"; }
fail() {
  local who
  failures=$((failures + 1))
  echo "FAIL: $*"
  "$tandem" status 2>&1 | sed 's/^/  status: /'
  for who in operator $(lab_nodes); do
    echo "--- $who log (last 25 lines)"
    tail -25 "$TANDEM_LAB/$who.log" 2>/dev/null
  done
}
finish() {
  [ "$failures" -eq 0 ] || exit 1
  echo "all checks passed"
  exit 0
}
now_ms() { date +%s%3N; }
lab_nodes() {
  local i
  for ((i = 1; i <= ${TANDEM_NODES:-3}; i++)); do echo "node$i"; done
}

# use_fence_device MANIFESTS NAMESPACE AGENT PARAM: fencing through a fence
# device of the manifests (the fence_* stdin interface) instead of the
# operator's --fence-command. PARAM is the agent's own parameter, as a
# "name: value" line.
use_fence_device() {
  local manifests=$1 namespace=$2 agent=$3 param=$4
  sed -i 's/fencingEnabled: false/fencingEnabled: true/' "$manifests/cluster.yaml"
  grep -q "fencingEnabled: true" "$manifests/cluster.yaml" || {
    fail "the example's cluster.yaml no longer says fencingEnabled: false"
    exit 1
  }
  cat >"$manifests/fencing.yaml" <<EOF
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: fence-lab
  namespace: $namespace
spec:
  agent:
    fence:
      type: $agent
  params:
    $param
    pcmk_host_list: node1 node2 node3
  operations:
    - name: monitor
      interval: 5s
      timeout: 10s
EOF
  export TANDEM_NO_FENCE=1
}
