#!/usr/bin/env bash
# Runs the real resource agents through `tandem-sidecar run-op`, as an
# operator debugging a node would: heartbeat:Dummy, pacemaker:Stateful (with
# its promotion score through crm_attribute and crm_master), pacemaker:ping
# and heartbeat:IPaddr2 inside a network namespace, supervised processes,
# a hanging agent killed at its timeout, and the exit-code table.
#
#   agents_test.sh TANDEM_SIDECAR SOURCE_DIR
#
# Needs root (agents manage addresses and /run; namespaces need CAP_SYS_ADMIN):
# without it, it says so and exits 77, which ctest reports as skipped.
# Everything it makes (namespaces, processes, files) is removed on exit,
# also when a check fails: processes by their PID, never by name.
set -uo pipefail

sidecar=$1
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: the agent tests need root (agents change addresses and namespaces); run ctest as root"
  exit 77
fi
for agent in heartbeat/Dummy heartbeat/IPaddr2 pacemaker/Stateful pacemaker/ping; do
  if [ ! -x "/usr/lib/ocf/resource.d/$agent" ]; then
    echo "FAIL: /usr/lib/ocf/resource.d/$agent is missing; run scripts/bootstrap"
    exit 1
  fi
done

work=$(mktemp -d /tmp/tandem-agents-test.XXXXXX)
state=$work/state
namespace=tandem-agents-$$
namespace_made=0
pids_to_kill=()

cleanup() {
  local pid
  for pid in "${pids_to_kill[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Processes a supervised resource left behind, by their recorded PID.
  for pidfile in "$state"/processes/*.pid; do
    [ -f "$pidfile" ] || continue
    read -r pid _ <"$pidfile" && [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null || true
  done
  # IPaddr2 leaves send_arp running for a second after start.
  for pidfile in /run/resource-agents/send_arp-192.0.2.50; do
    [ -f "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  if [ "$namespace_made" = 1 ]; then ip netns delete "$namespace" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
passes=0
pass() { passes=$((passes + 1)); echo "ok: $*"; }
fail() { failures=$((failures + 1)); echo "FAIL: $*"; }

# run_op EXPECTED_STATUS FILE ACTION [OPTIONS...]: runs one operation and
# keeps its output in $out.
run_op() {
  local expected=$1 file=$2 action=$3
  shift 3
  out=$("$sidecar" run-op --resource "$file" --state-dir "$state" --node node1 "$@" "$action" 2>&1)
  local status=$?
  if [ "$status" -eq "$expected" ]; then
    pass "$(basename "$file" .yaml) $action $* exits $expected"
  else
    fail "$(basename "$file" .yaml) $action $* exited $status, expected $expected; output:"
    sed 's/^/    /' <<<"$out"
  fi
}

expect_output() {
  if grep -qF -- "$1" <<<"$out"; then
    pass "output has: $1"
  else
    fail "output lacks: $1; it was:"
    sed 's/^/    /' <<<"$out"
  fi
}

resource() {  # resource NAME BODY...: writes $work/NAME.yaml
  local name=$1
  shift
  {
    printf 'apiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: %s}\nspec:\n' "$name"
    printf '%s\n' "$@"
  } >"$work/$name.yaml"
}

echo "== heartbeat:Dummy: probe, start, monitor, stop"
resource dummy "  agent: {ocf: {provider: heartbeat, type: Dummy}}" \
  "  params: {state: $work/dummy.state}" \
  "  operations: [{name: monitor, interval: 10s, timeout: 15s}]"
run_op 7 "$work/dummy.yaml" monitor
expect_output "result:    7 not running (OCF_NOT_RUNNING)"
expect_output "monitor (probe), interval 0s, timeout 15s"
run_op 0 "$work/dummy.yaml" start
[ -f "$work/dummy.state" ] && pass "Dummy's state file exists after start" || fail "no state file after start"
run_op 0 "$work/dummy.yaml" monitor --interval 10s
expect_output "state:     running (monitor: running)"
run_op 0 "$work/dummy.yaml" monitor
expect_output "state:     running (probe: running)"
run_op 0 "$work/dummy.yaml" stop
run_op 7 "$work/dummy.yaml" monitor --interval 10s
expect_output "state:     stopped (monitor: not running (expected running))"
expect_output "failure:   recover here"
run_op 0 "$work/dummy.yaml" stop
run_op 0 "$work/dummy.yaml" meta-data
expect_output '<resource-agent name="Dummy"'

echo "== pacemaker:Stateful: promotion scores through crm_attribute"
resource db "  agent: {ocf: {provider: pacemaker, type: Stateful}}" \
  "  params: {state: $work/db.state}" \
  "  clone: {promotable: {}}" \
  "  operations:" \
  "    - {name: monitor, interval: 10s, role: Promoted}" \
  "    - {name: monitor, interval: 11s, role: Unpromoted}"
run_op 0 "$work/db.yaml" start
expect_output "attribute: master-db = 5 (set)"
[ "$(cat "$state/attributes/master-db")" = 5 ] && pass "the store holds master-db=5" ||
  fail "the store does not hold master-db=5"
run_op 0 "$work/db.yaml" monitor --interval 11s
run_op 0 "$work/db.yaml" promote
expect_output "attribute: master-db = 10 (was 5)"
run_op 8 "$work/db.yaml" monitor --interval 10s
expect_output "result:    8 running promoted (OCF_RUNNING_PROMOTED)"
expect_output "state:     promoted (monitor: running promoted)"
run_op 0 "$work/db.yaml" demote
expect_output "attribute: master-db = 5 (was 10)"
run_op 0 "$work/db.yaml" monitor --interval 11s
run_op 0 "$work/db.yaml" stop
expect_output "attribute: master-db deleted (was 5)"
[ ! -e "$state/attributes/master-db" ] && pass "stop removed the promotion score" ||
  fail "master-db is still in the store after stop"

echo "== crm_master, as older promotable agents call it"
ocf_root=$work/ocf
mkdir -p "$ocf_root/resource.d/test"
ln -s /usr/lib/ocf/lib "$ocf_root/lib"
cat >"$ocf_root/resource.d/test/Master" <<'AGENT'
#!/bin/sh
# Sets its promotion score with crm_master on promote, reads it back with -G.
case "$1" in
  promote) crm_master -l reboot -v 42 || exit 1
           [ "$(crm_master -l reboot -G -q)" = 42 ] || exit 1
           [ "$(crm_node -n)" = node1 ] || exit 1 ;;
  demote) crm_master -l reboot -D || exit 1 ;;
  meta-data) echo '<resource-agent name="Master"><actions/></resource-agent>' ;;
esac
exit 0
AGENT
chmod 755 "$ocf_root/resource.d/test/Master"
resource master "  agent: {ocf: {provider: test, type: Master}}" "  clone: {promotable: {}}"
run_op 0 "$work/master.yaml" promote --ocf-root "$ocf_root"
expect_output "attribute: master-master = 42 (set)"
run_op 0 "$work/master.yaml" demote --ocf-root "$ocf_root"
expect_output "attribute: master-master deleted (was 42)"

echo "== pacemaker:ping and heartbeat:IPaddr2 inside a network namespace"
if ip netns add "$namespace"; then
  namespace_made=1
  # A veth pair inside the namespace: its addresses exist nowhere else.
  ip -n "$namespace" link set lo up &&
    ip -n "$namespace" link add v0 type veth peer name v1 &&
    ip -n "$namespace" addr add 192.0.2.1/24 dev v0 &&
    ip -n "$namespace" link set v0 up && ip -n "$namespace" link set v1 up ||
    fail "could not set up the test namespace"
  ns_run_op() {  # like run_op, inside the namespace
    local expected=$1 file=$2 action=$3
    shift 3
    out=$(ip netns exec "$namespace" "$sidecar" run-op --resource "$file" --state-dir "$state" \
      --node node1 "$@" "$action" 2>&1)
    local status=$?
    if [ "$status" -eq "$expected" ]; then
      pass "$(basename "$file" .yaml) $action in the namespace exits $expected"
    else
      fail "$(basename "$file" .yaml) $action in the namespace exited $status, expected $expected:"
      sed 's/^/    /' <<<"$out"
    fi
  }

  resource ping "  agent: {ocf: {provider: pacemaker, type: ping}}" \
    "  params: {host_list: 192.0.2.1, multiplier: \"1000\", dampen: \"0\", attempts: \"1\", timeout: \"1\"}"
  ns_run_op 0 "$work/ping.yaml" start
  expect_output "attribute: pingd = 1000 (set)"
  resource ping-lost "  agent: {ocf: {provider: pacemaker, type: ping}}" \
    "  params: {host_list: 192.0.2.99, multiplier: \"1000\", dampen: \"0\", attempts: \"1\", timeout: \"1\"}"
  ns_run_op 0 "$work/ping-lost.yaml" monitor --interval 10s
  expect_output "attribute: pingd = 0 (was 1000)"
  ns_run_op 0 "$work/ping.yaml" stop
  expect_output "attribute: pingd deleted (was 0)"

  resource vip "  agent: {ocf: {provider: heartbeat, type: IPaddr2}}" \
    "  params: {ip: 192.0.2.50, cidr_netmask: \"24\", nic: v0}"
  ns_run_op 7 "$work/vip.yaml" monitor
  ns_run_op 0 "$work/vip.yaml" start
  addresses=$(ip -n "$namespace" -o addr show dev v0)
  grep -q "192.0.2.50/24" <<<"$addresses" &&
    pass "IPaddr2 added 192.0.2.50 to v0" || fail "192.0.2.50 is not on v0 after start"
  ns_run_op 0 "$work/vip.yaml" monitor --interval 10s
  ns_run_op 0 "$work/vip.yaml" stop
  addresses=$(ip -n "$namespace" -o addr show dev v0)
  grep -q "192.0.2.50" <<<"$addresses" &&
    fail "192.0.2.50 is still on v0 after stop" || pass "IPaddr2 removed 192.0.2.50"
  ns_run_op 7 "$work/vip.yaml" monitor

  # Health probes against ports on the namespace's own loopback, where
  # nothing else can listen.
  resource healthy "  agent: {process: {command: [/usr/bin/python3, -m, http.server, --bind, 127.0.0.1, \"18765\"], workingDir: $work, health: {httpGet: {port: 18765, path: /}}}}"
  ns_run_op 0 "$work/healthy.yaml" start --timeout 20s
  expect_output "GET / answered 200"
  read -r pid _ <"$state/processes/healthy.pid"
  pids_to_kill+=("$pid")
  ns_run_op 0 "$work/healthy.yaml" monitor --interval 5s
  ns_run_op 0 "$work/healthy.yaml" stop

  resource refused "  agent: {process: {command: [/bin/sleep, \"1000\"], health: {tcpConnect: {port: 18766}}}}"
  ns_run_op 124 "$work/refused.yaml" start --timeout 1s
  expect_output "reason:    not healthy before the start timeout: connect to 127.0.0.1:18766: Connection refused"
  read -r pid _ <"$state/processes/refused.pid"
  pids_to_kill+=("$pid")
  ns_run_op 0 "$work/refused.yaml" stop
else
  fail "cannot create a network namespace (ip netns add $namespace)"
fi

echo "== a hanging agent is killed with its whole process group at its timeout"
cat >"$ocf_root/resource.d/test/Hang" <<'AGENT'
#!/bin/sh
# Starts a helper in its process group, records it, and never finishes.
sleep 1000 &
echo $! > "$OCF_RESKEY_helper_pid"
echo "hanging now"
sleep 1000
AGENT
chmod 755 "$ocf_root/resource.d/test/Hang"
resource hang "  agent: {ocf: {provider: test, type: Hang}}" "  params: {helper_pid: $work/helper.pid}" \
  "  operations: [{name: start, timeout: 1s}]"
run_op 124 "$work/hang.yaml" start --ocf-root "$ocf_root"
expect_output "result:    timed out"
expect_output "reason:    did not finish within its timeout (1s); killed its process group"
expect_output "hanging now"
helper=$(cat "$work/helper.pid" 2>/dev/null)
if [ -n "$helper" ]; then
  pids_to_kill+=("$helper")
  # The helper was killed with the group; at most a zombie awaiting init remains.
  if [ -e "/proc/$helper" ] && ! grep -q '^State:.*Z' "/proc/$helper/status" 2>/dev/null; then
    fail "the agent's helper (pid $helper) survived the timeout"
  else
    pass "the agent's helper (pid $helper) died with its group"
  fi
else
  fail "the hanging agent did not record its helper"
fi

echo "== exit codes 0-9 with their meaning"
cat >"$ocf_root/resource.d/test/ExitWith" <<'AGENT'
#!/bin/sh
echo "ocf-exit-reason:asked to exit $OCF_RESKEY_code"
exit "$OCF_RESKEY_code"
AGENT
chmod 755 "$ocf_root/resource.d/test/ExitWith"
meanings=("0 success (OCF_SUCCESS)" "1 generic error (OCF_ERR_GENERIC)"
  "2 invalid arguments (OCF_ERR_ARGS)" "3 action not implemented (OCF_ERR_UNIMPLEMENTED)"
  "4 insufficient privileges (OCF_ERR_PERM)" "5 not installed (OCF_ERR_INSTALLED)"
  "6 not configured (OCF_ERR_CONFIGURED)" "7 not running (OCF_NOT_RUNNING)"
  "8 running promoted (OCF_RUNNING_PROMOTED)" "9 failed promoted (OCF_FAILED_PROMOTED)")
scopes=("" "recover here" "ban from this node" "ban from this node" "ban from this node"
  "ban from this node" "stop everywhere" "recover here" "" "recover here")
for code in 0 1 2 3 4 5 6 7 8 9; do
  resource "exit$code" "  agent: {ocf: {provider: test, type: ExitWith}}" "  params: {code: \"$code\"}"
  run_op "$code" "$work/exit$code.yaml" monitor --interval 10s --ocf-root "$ocf_root"
  expect_output "result:    ${meanings[$code]}"
  if [ -n "${scopes[$code]}" ]; then
    expect_output "failure:   ${scopes[$code]}"
    expect_output "reason:    asked to exit $code"
  fi
done
cat >"$ocf_root/resource.d/test/Chatty" <<'AGENT'
#!/bin/sh
# Writes a megabyte: the sidecar keeps only the tail.
head -c 1000000 /dev/zero | tr '\0' x
echo " the end"
exit 0
AGENT
chmod 755 "$ocf_root/resource.d/test/Chatty"
resource chatty "  agent: {ocf: {provider: test, type: Chatty}}"
run_op 0 "$work/chatty.yaml" start --ocf-root "$ocf_root" --output-limit 4096
expect_output "output: (last 4096 of 1000009 bytes)"
expect_output "xxx the end"

resource missing "  agent: {ocf: {provider: test, type: NoSuchAgent}}"
run_op 5 "$work/missing.yaml" start --ocf-root "$ocf_root"
expect_output "reason:    the agent $ocf_root/resource.d/test/NoSuchAgent is not installed"

echo "== supervised process: start, a second start finds it, killed from outside, stop"
resource sleeper "  agent: {process: {command: [/bin/sleep, \"1000\"], env: {MODE: test}}}" \
  "  operations: [{name: monitor, interval: 1s}]"
run_op 7 "$work/sleeper.yaml" monitor
run_op 0 "$work/sleeper.yaml" start
expect_output "reason:    started as pid"
read -r pid _ <"$state/processes/sleeper.pid"
pids_to_kill+=("$pid")
grep -qz '^MODE=test$' "/proc/$pid/environ" && pass "the process got its environment" ||
  fail "MODE=test is not in the environment of pid $pid"
[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && pass "the process leads its own group" ||
  fail "pid $pid is not a process group leader"
run_op 0 "$work/sleeper.yaml" start
expect_output "reason:    already running as pid $pid"
run_op 0 "$work/sleeper.yaml" monitor --interval 1s
kill -KILL "$pid"
sleep 0.2
run_op 7 "$work/sleeper.yaml" monitor --interval 1s
expect_output "reason:    the process has exited"
run_op 0 "$work/sleeper.yaml" start
read -r pid _ <"$state/processes/sleeper.pid"
pids_to_kill+=("$pid")
run_op 0 "$work/sleeper.yaml" stop
expect_output "reason:    stopped with SIGTERM"
[ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null &&
  fail "pid $pid still runs after stop" || pass "stop ended pid $pid"

resource stubborn "  agent: {process: {command: [/bin/sh, -c, \"trap '' TERM; while :; do sleep 1; done\"]}}" \
  "  operations: [{name: stop, timeout: 1s}]"
run_op 0 "$work/stubborn.yaml" start
read -r pid _ <"$state/processes/stubborn.pid"
pids_to_kill+=("$pid")
run_op 0 "$work/stubborn.yaml" stop
expect_output "reason:    did not stop on SIGTERM before the timeout; killed with SIGKILL"

touch "$work/healthy-flag"
resource probed "  agent: {process: {command: [/bin/sleep, \"1000\"], health: {exec: {command: [/usr/bin/test, -e, $work/healthy-flag]}}}}"
run_op 0 "$work/probed.yaml" start
expect_output "probe command exited 0"
read -r pid _ <"$state/processes/probed.pid"
pids_to_kill+=("$pid")
rm "$work/healthy-flag"
run_op 1 "$work/probed.yaml" monitor --interval 5s
expect_output "reason:    health check failed: probe command exited 1"
run_op 0 "$work/probed.yaml" stop

resource nocommand "  agent: {process: {command: [/nonexistent/program]}}"
run_op 5 "$work/nocommand.yaml" start
expect_output "cannot run \"/nonexistent/program\": No such file or directory"

echo "== systemd units"
resource unit "  agent: {systemd: {unit: tandem-test-nothing}}"
if [ -d /run/systemd/system ]; then
  run_op 7 "$work/unit.yaml" monitor
  expect_output "reason:    unit tandem-test-nothing.service is inactive"
else
  run_op 5 "$work/unit.yaml" start
  expect_output "systemd is not running on this node"
fi

echo "== operations process and systemd resources do not have"
run_op 3 "$work/sleeper.yaml" promote
expect_output "promote is implemented by OCF agents only"

echo
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
