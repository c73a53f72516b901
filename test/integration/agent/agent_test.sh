#!/bin/bash
# The node agent end to end on loopback: two `tandem-sidecar agent`s form a
# two-node ring on 127.0.0.1 and 127.0.0.2 and talk to a fake operator
# (fake_operator.py). Node 1 starts a supervised process and an OCF Dummy,
# runs a recurring monitor, keeps its resources while the operator is gone,
# reports a monitor failure, and, when node 2 is killed and the partition
# loses quorum, stops everything on its own and refuses starts until quorum
# is back. Every process started here is killed by PID on exit.
#
# usage: agent_test.sh TANDEM_SIDECAR SOURCE_DIR
set -u

SIDECAR=$(readlink -f "$1")
SRC=$(readlink -f "$2")
HERE=$SRC/test/integration/agent
PROBE="python3 $HERE/probe.py"
WORK=$(mktemp -d /tmp/tandem-agent-test.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
SELF_FENCE_MS=3000
FAILED=0
OPERATOR_PID=""
AGENT1_PID=""
AGENT2_PID=""

log() { echo "agent_test: $*"; }
pass() { log "ok: $*"; }
fail() {
  log "FAILED: $*"
  FAILED=1
}

# The supervised processes lead their own process groups, recorded in the
# agents' pid files: kill those groups, then everything this script started.
cleanup() {
  local pid
  for pid in $AGENT1_PID $AGENT2_PID $OPERATOR_PID; do kill -9 "$pid" 2>/dev/null; done
  [ -f "$WORK/hang.daemon" ] && kill -9 "$(cat "$WORK/hang.daemon")" 2>/dev/null
  for f in "$WORK"/node*/processes/*.pid; do
    [ -f "$f" ] || continue
    pid=$(cut -d' ' -f1 "$f")
    [ -n "$pid" ] && kill -9 -- "-$pid" 2>/dev/null
  done
  { wait; } 2>/dev/null
  if [ "$FAILED" = 0 ] && [ -z "${KEEP_WORK:-}" ]; then rm -rf "$WORK"; else log "kept $WORK for a look"; fi
}
trap cleanup EXIT

if [ "$(id -u)" != 0 ]; then
  log "skipped: OCF agents need root"
  exit 77
fi

head -c 256 /dev/urandom >"$WORK/authkey"
chmod 0600 "$WORK/authkey"
cat >"$WORK/corosync.conf" <<CONF
totem {
    version: 2
    cluster_name: agent-test
    transport: udpu
    token: 300
    token_coefficient: 0
    crypto_cipher: aes256
    crypto_hash: sha256
    interface {
        mcastport: $PORT
    }
}
nodelist {
    node {
        nodeid: 1
        name: node1
        ring0_addr: 127.0.0.1
    }
    node {
        nodeid: 2
        name: node2
        ring0_addr: 127.0.0.2
    }
}
quorum {
    provider: corosync_votequorum
}
CONF

start_operator() {
  rm -f "$WORK/operator.port"
  FAKE_OPERATOR_PORT=${1:-0} python3 "$HERE/fake_operator.py" "$WORK/operator.port" \
    "$WORK/reports.jsonl" secret-token 2>>"$WORK/operator.log" &
  OPERATOR_PID=$!
  local i
  for i in $(seq 1 100); do
    [ -s "$WORK/operator.port" ] && break
    sleep 0.05
  done
  OPERATOR_URL=http://127.0.0.1:$(cat "$WORK/operator.port")
}

# start_agent N: node N's agent, its log in $WORK/agentN.log; node 1 serves
# /metrics on 127.0.0.1:METRICS_PORT, node 2 feeds a stand-in watchdog
# device, a plain file ($WORK/watchdog2).
METRICS_PORT=$((PORT + 1))
start_agent() {
  local metrics=()
  [ "$1" != 1 ] || metrics=(--metrics-listen "127.0.0.1:$METRICS_PORT")
  mkdir -p "$WORK/node$1"
  local watchdog=()
  if [ "$1" = 2 ]; then
    : >"$WORK/watchdog2"
    watchdog=(--watchdog "$WORK/watchdog2")
  fi
  "$SIDECAR" agent --node "node$1" --node-id "$1" --config "$WORK/corosync.conf" \
    --authkey "$WORK/authkey" --state-dir "$WORK/node$1" --operator "$OPERATOR_URL" \
    --token-file "$WORK/token" --self-fence-time "${SELF_FENCE_MS}ms" --ocf-root "$WORK/ocf" \
    "${metrics[@]}" "${watchdog[@]}" 2>>"$WORK/agent$1.log" &
  eval "AGENT$1_PID=$!"
}

# action ID TASK RESOURCE INTERVAL_MS YAML_FILE [META_JSON]
action() {
  python3 - "$@" <<'PY'
import json, sys
ident, task, rsc, interval, yaml_file = sys.argv[1:6]
meta = json.loads(sys.argv[6]) if len(sys.argv) > 6 else {}
print(json.dumps({"actions": [{"id": ident, "key": rsc + "_" + task + "_" + interval,
    "task": task, "resource": rsc, "intervalMs": int(interval), "timeoutMs": 0,
    "meta": meta, "resourceYaml": open(yaml_file).read(), "digest": "d-" + ident}]}))
PY
}

queue() { $PROBE queue "$OPERATOR_URL" "$1" "$(action "${@:2}")"; }
wait_for() { $PROBE wait "$OPERATOR_URL" "$1" "$2" "$3"; }

# gone PID: true once the process has vanished (exited and reaped), within 2 s.
gone() {
  local i
  for i in $(seq 1 40); do
    [ -d "/proc/$1" ] || return 0
    sleep 0.05
  done
  return 1
}

supervised_pid() { cut -d' ' -f1 "$WORK/node1/processes/sleeper.pid" 2>/dev/null; }

cat >"$WORK/sleeper.yaml" <<YAML
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: sleeper}
spec:
  agent:
    process:
      command: [/usr/bin/sleep, "1000"]
  operations:
    - {name: monitor, interval: 1s, timeout: 5s}
YAML
cat >"$WORK/dummy.yaml" <<YAML
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: dummy}
spec:
  agent:
    ocf: {provider: pacemaker, type: Dummy}
  params: {state: $WORK/dummy.state}
YAML
# An OCF agent whose stop hangs, with a daemon in a session of its own: only
# the self-fence kill can end them.
mkdir -p "$WORK/ocf/resource.d/test"
ln -s /usr/lib/ocf/lib "$WORK/ocf/lib"
for provider in heartbeat pacemaker; do
  ln -s "/usr/lib/ocf/resource.d/$provider" "$WORK/ocf/resource.d/$provider"
done
cat >"$WORK/ocf/resource.d/test/hang" <<'AGENT'
#!/bin/sh
case "$1" in
  start)
    setsid /usr/bin/sleep 1000 >/dev/null 2>&1 </dev/null &
    echo $! >"$OCF_RESKEY_daemon_pid"
    touch "$OCF_RESKEY_state"
    exit 0 ;;
  stop)
    [ -f "$OCF_RESKEY_state" ] || exit 0
    exec /usr/bin/sleep 1000 ;;
  monitor) [ -f "$OCF_RESKEY_state" ] && exit 0 || exit 7 ;;
  meta-data)
    echo '<?xml version="1.0"?><resource-agent name="hang"><version>1.1</version><actions/></resource-agent>'
    exit 0 ;;
  *) exit 3 ;;
esac
AGENT
chmod +x "$WORK/ocf/resource.d/test/hang"
cat >"$WORK/hang.yaml" <<YAML
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: hang}
spec:
  agent:
    ocf: {provider: test, type: hang}
  params: {state: $WORK/hang.state, daemon_pid: $WORK/hang.daemon}
YAML
echo secret-token >"$WORK/token"

start_operator
start_agent 1
start_agent 2

if wait_for node1 10 'r["membership"]["quorate"] and len(r["membership"]["members"]) == 2 and not r["selfFencing"]' >/dev/null &&
   wait_for node2 10 'r["membership"]["quorate"] and not r["selfFencing"]' >/dev/null; then
  pass "both agents report a quorate two-node ring"
else
  fail "the agents did not report a quorate ring"
fi

metrics=$(python3 - "http://127.0.0.1:$METRICS_PORT/metrics" <<'PY'
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
print(opener.open(sys.argv[1], timeout=2).read().decode())
PY
)
if grep -qx 'tandem_membership_members 2' <<<"$metrics" &&
   grep -qx 'tandem_membership_quorate 1' <<<"$metrics"; then
  pass "node 1's /metrics shows the quorate two-node ring"
else
  fail "node 1's /metrics: $metrics"
fi
mkdir -p "$WORK/again"
bind_error=$("$SIDECAR" agent --node node1 --node-id 1 --config "$WORK/corosync.conf" \
  --authkey "$WORK/authkey" --state-dir "$WORK/again" --operator "$OPERATOR_URL" \
  --metrics-listen "127.0.0.1:$METRICS_PORT" 2>&1)
bind_status=$?
if [ "$bind_status" = 1 ] && grep -qF -- "--metrics-listen: cannot listen on 127.0.0.1:$METRICS_PORT" <<<"$bind_error"; then
  pass "a second agent given the same metrics address exits 1 naming it"
else
  fail "a second agent on the metrics address exited $bind_status: $bind_error"
fi

queue node1 start-1 start sleeper 0 "$WORK/sleeper.yaml"
queue node1 start-2 start dummy 0 "$WORK/dummy.yaml"
if wait_for node1 10 'outcome(r, "start-1") and outcome(r, "start-2")' >/dev/null; then
  latency=$(grep -o '"start-1": [0-9.]*' "$WORK/reports.jsonl" | head -1 | cut -d' ' -f2)
  pass "the starts' outcomes arrived in a report (the process's ${latency} ms after it was queued)"
else
  fail "no outcome for the starts"
fi
if wait_for node1 2 'outcome(r, "start-1")["rc"] == 0 and op(r, "sleeper_last_0")["task"] == "start" and op(r, "sleeper_last_0")["digest"] == "d-start-1" and outcome(r, "start-2")["rc"] == 0' >/dev/null &&
   kill -0 "$(supervised_pid)" 2>/dev/null && [ -f "$WORK/dummy.state" ]; then
  pass "the process and the Dummy run, and the history says started"
else
  fail "the process or the Dummy did not start"
fi

queue node1 monitor-1 monitor sleeper 1000 "$WORK/sleeper.yaml"
if wait_for node1 10 'outcome(r, "monitor-1") and outcome(r, "monitor-1")["rc"] == 0 and op(r, "sleeper_monitor_1000")["rc"] == 0' >/dev/null; then
  pass "the recurring monitor runs and is reported as sleeper_monitor_1000"
else
  fail "the recurring monitor was not reported"
fi

# Losing only the operator: resources keep running.
{
  kill -9 "$OPERATOR_PID"
  wait "$OPERATOR_PID"
} 2>/dev/null
old_port=$(cat "$WORK/operator.port")
sleep 3
if kill -0 "$AGENT1_PID" 2>/dev/null && kill -0 "$(supervised_pid)" 2>/dev/null && [ -f "$WORK/dummy.state" ]; then
  pass "with the operator gone for 3 s the agent and its resources keep running"
else
  fail "losing the operator stopped something"
fi
start_operator "$old_port"
if wait_for node1 10 'op(r, "sleeper_last_0")["task"] == "start" and op(r, "dummy_last_0")["task"] == "start"' >/dev/null; then
  pass "a restarted operator gets the whole state in the next report"
else
  fail "the restarted operator got no report"
fi

# A monitor failure is reported with the fail count.
kill -9 -- "-$(supervised_pid)"
if wait_for node1 10 'fails(r, "sleeper") >= 1 and op(r, "sleeper_last_failure_0")["rc"] == 7' >/dev/null; then
  pass "a failed recurring monitor is reported with its fail count"
else
  fail "the monitor failure was not reported"
fi
queue node1 start-3 start sleeper 0 "$WORK/sleeper.yaml"
if wait_for node1 10 'outcome(r, "start-3") and outcome(r, "start-3")["rc"] == 0' >/dev/null &&
   kill -0 "$(supervised_pid)" 2>/dev/null; then
  pass "a new start runs the process again"
else
  fail "the restart failed"
fi

queue node1 start-h start hang 0 "$WORK/hang.yaml"
if wait_for node1 10 'outcome(r, "start-h") and outcome(r, "start-h")["rc"] == 0' >/dev/null &&
   kill -0 "$(cat "$WORK/hang.daemon")" 2>/dev/null; then
  pass "the OCF agent whose stop hangs started its daemon"
else
  fail "the hanging agent did not start"
fi

# Node 2 dies: node 1 alone has 1 of 2 votes and must stop everything itself.
sleeper=$(supervised_pid)
killed_at=$(date +%s%N)
{
  kill -9 "$AGENT2_PID"
  wait "$AGENT2_PID"
} 2>/dev/null
bound=$((300 + 360 + SELF_FENCE_MS + 2000))
if wait_for node1 $((bound / 1000 + 1)) 'r["selfFencing"] and not r["membership"]["quorate"] and op(r, "sleeper_last_0")["task"] == "stop" and op(r, "dummy_last_0")["task"] == "stop"' >/dev/null; then
  took=$((($(date +%s%N) - killed_at) / 1000000))
  if ! gone "$sleeper" || [ -f "$WORK/dummy.state" ]; then
    fail "the report says stopped but something still runs"
  else
    pass "the inquorate node stopped every resource on its own, ${took} ms after its peer died"
  fi
else
  fail "the inquorate node did not stop its resources"
fi
daemon=$(cat "$WORK/hang.daemon")
for i in $(seq 1 $(((SELF_FENCE_MS + 3000) / 100))); do
  kill -0 "$daemon" 2>/dev/null || break
  sleep 0.1
done
took=$((($(date +%s%N) - killed_at) / 1000000))
if gone "$daemon" && grep -q "self-fence: hang did not stop within" "$WORK/agent1.log"; then
  pass "the stop that outlived the self-fence time was killed with its daemon, ${took} ms after the peer died"
else
  fail "the hanging stop's daemon still runs ${took} ms after the peer died"
fi
rm -f "$WORK/hang.state"  # later stops of it succeed
queue node1 start-4 start sleeper 0 "$WORK/sleeper.yaml"
if wait_for node1 5 'outcome(r, "start-4") and outcome(r, "start-4")["status"] == "cancelled"' >/dev/null &&
   [ -z "$(supervised_pid)" -o ! -d "/proc/$(supervised_pid)" ]; then
  pass "a start while inquorate is refused"
else
  fail "a start while inquorate was not refused"
fi
if grep -q "self-fence: the partition is not quorate" "$WORK/agent1.log"; then
  pass "the self-fence is logged"
else
  fail "the self-fence is not in the log"
fi

start_agent 2
if wait_for node1 10 'r["membership"]["quorate"] and not r["selfFencing"]' >/dev/null; then
  pass "with node 2 back the partition is quorate and starts are allowed again"
else
  fail "quorum did not come back"
fi

# A paused node: SIGSTOP for longer than token + consensus; once resumed it
# must stop what it runs before anything else.
queue node1 start-5 start sleeper 0 "$WORK/sleeper.yaml"
if wait_for node1 10 'outcome(r, "start-5") and outcome(r, "start-5")["rc"] == 0' >/dev/null; then
  sleeper=$(supervised_pid)
  kill -STOP "$AGENT1_PID"
  sleep 2
  kill -CONT "$AGENT1_PID"
  if wait_for node1 5 'op(r, "sleeper_last_0")["task"] == "stop"' >/dev/null &&
     gone "$sleeper" && grep -q "did not run for" "$WORK/agent1.log"; then
    pass "a node resumed after SIGSTOP stopped its resources"
  else
    fail "the resumed node kept its resources"
  fi
  if wait_for node1 10 'r["membership"]["quorate"] and not r["selfFencing"]' >/dev/null; then
    pass "the resumed node rejoined and allows starts again"
  else
    fail "the resumed node did not come back"
  fi
else
  fail "the start before the pause failed"
fi

kill -TERM "$AGENT1_PID" "$AGENT2_PID"
for pid in $AGENT1_PID $AGENT2_PID; do
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
done
if ! kill -0 "$AGENT1_PID" 2>/dev/null && ! kill -0 "$AGENT2_PID" 2>/dev/null; then
  pass "SIGTERM ends both agents"
else
  fail "an agent did not end on SIGTERM"
fi
# Fed (one NUL byte each time) while it ran, disarmed ("V") when it ended.
feeds=$(tr -cd '\000' <"$WORK/watchdog2" 2>/dev/null | wc -c)
if [ "$feeds" -ge 4 ] && [ "$(tail -c 1 "$WORK/watchdog2")" = V ]; then
  pass "node 2's watchdog was fed ($feeds times) and disarmed on SIGTERM"
else
  fail "node 2's watchdog: $feeds feeds, last byte '$(tail -c 1 "$WORK/watchdog2" 2>/dev/null)'"
fi

if [ "$FAILED" != 0 ]; then
  log "agent 1's log:"
  tail -50 "$WORK/agent1.log"
  exit 1
fi
log "all passed"
