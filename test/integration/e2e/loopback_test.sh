#!/usr/bin/env bash
# End to end without root: scripts/tandem in loopback mode (each node's
# sidecar on 127.0.X.N, no network namespaces) runs the loopback example
# (examples/three-node-loopback: a web server on the service address
# 127.0.X.100:8080), as an unprivileged user. Kill the node that runs it,
# see it move, boot the node, take everything down. The web server of the
# test also daemonises a process (setsid -f), as agents' daemons do: a node
# kill must take that along, and touch nothing of the other nodes.
#
#   loopback_test.sh BUILD_DIR SOURCE_DIR pid-namespace|process-tree|fence-device
#
# The third argument is how the nodes are kept together
# (scripts/tandem-loopback.sh), the operator fencing with its fence command;
# or fence-device: process-tree, the operator fencing through a fence
# device of the manifests (fence_tandem_loopback with lab=).
#
# As root (CI), the test runs as nobody, in a PID namespace of its own
# (where root can make one) that takes every process it made with it when
# it ends; as another user, as that user. Exit 77 (skipped) when nobody
# cannot read the build, or, for pid-namespace, when this kernel lets no
# unprivileged user make user namespaces.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=$3
isolation=$scenario
# A subnet each, so that the scenarios can run at the same time.
case $scenario in
  pid-namespace) subnet=127.0.251 ;;
  process-tree) subnet=127.0.252 ;;
  fence-device) subnet=127.0.254 isolation=process-tree ;;
  *)
    echo "usage: loopback_test.sh BUILD_DIR SOURCE_DIR pid-namespace|process-tree|fence-device" >&2
    exit 2
    ;;
esac

if [ "$(id -u)" -eq 0 ]; then
  as_nobody=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
  programs=("$build/operator/daemon/tandem-operator" "$build/sidecar/tandem-sidecar"
    "$build/operator/tandemctl/tandemctl" "$source_dir/scripts/tandem")
  # shellcheck disable=SC2016 # expanded by the inner shell
  "${as_nobody[@]}" bash -c 'for p in "$@"; do [ -x "$p" ] && [ -r "$p" ] || exit 1; done' _ \
    "${programs[@]}" 2>/dev/null || {
    echo "SKIP: user nobody cannot run the build and scripts ($build, $source_dir)"
    exit 77
  }
  work=$(mktemp -d /tmp/tandem-loopback-test.XXXXXX)
  chown nobody:nogroup "$work"
  # The PID namespace's first process is unshare's child; when it ends, or
  # ctest kills unshare, the kernel kills whatever the test left behind.
  # Where root may make no PID namespace (a container), the test's own
  # cleanup on exit is all there is.
  outer=(unshare --pid --mount-proc --fork --kill-child)
  "${outer[@]}" true 2>/dev/null || outer=()
  exec "${outer[@]}" "${as_nobody[@]}" \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work" LOOPBACK_TEST_WORK="$work" \
    bash "$0" "$@"
fi

work=${LOOPBACK_TEST_WORK:-$(mktemp -d /tmp/tandem-loopback-test.XXXXXX)}
echo "loopback test as $(id -un), nodes kept together as a $isolation, on $subnet.0/24"
if [ "$isolation" = pid-namespace ] &&
  ! unshare --user --map-current-user --pid --mount-proc --fork --kill-child true 2>/dev/null; then
  echo "SKIP: this kernel lets no unprivileged user make user and PID namespaces"
  rm -rf "$work"
  exit 77
fi

export TANDEM_BUILD=$build TANDEM_NO_BUILD=1 TANDEM_LAB_MODE=loopback
export TANDEM_LAB=$work/lab TANDEM_LAB_SUBNET=$subnet TANDEM_LAB_ISOLATION=$isolation
tandem="$source_dir/scripts/tandem"
source "$source_dir/test/integration/e2e/checks.sh"
source "$source_dir/scripts/tandem-loopback.sh"

# The example on this test's subnet, its web server daemonising a process
# first (marked by its unusual sleep time) and then running as before.
marker="86400.$$"
manifests=$work/manifests
mkdir -p "$manifests"
for file in "$source_dir"/examples/three-node-loopback/*.yaml; do
  sed "s/127\.0\.253\./$subnet./g" "$file" >"$manifests/${file##*/}"
done
web_command="      command: [/usr/bin/python3, -m, http.server, \"8080\", --bind, $subnet.100, --directory, /usr/share/doc]"
grep -qxF -- "$web_command" "$manifests/web.yaml" || {
  fail "examples/three-node-loopback/web.yaml no longer has the web server's command this test expects"
  exit 1
}
daemon_command="      command: [/bin/sh, -c, \"setsid -f /bin/sleep $marker </dev/null >/dev/null 2>\&1; exec /usr/bin/python3 -m http.server 8080 --bind $subnet.100 --directory /usr/share/doc\"]"
sed -i "s|^      command: \[/usr/bin/python3, -m, http.server.*\$|$daemon_command|" "$manifests/web.yaml"

fenced_by="the fence command exited 0"
if [ "$scenario" = fence-device ]; then
  use_fence_device "$manifests" three-node-loopback fence_tandem_loopback "lab: $TANDEM_LAB"
  fenced_by="device fence-lab (fence_tandem_loopback) exited 0"
fi

# node_processes NODE: the node's outermost process and everything below.
node_processes() {
  local pid start
  read -r pid start <"$TANDEM_LAB/$1.init" || return 0
  echo "$pid"
  descendants "$pid"
}
daemons() { ps -e -o pid=,args= | awk -v m="/bin/sleep $marker" '$2 " " $3 == m { print $1 }'; }
alive_pid() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]
}
http_status() {
  python3 - "http://$subnet.100:8080/" <<'PY'
import sys, time, urllib.request
# Bounded: a few seconds of tries while the server comes up.
for _ in range(50):
    try:
        print(urllib.request.urlopen(sys.argv[1], timeout=2).status)
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
print("no answer")
PY
}
online_nodes() {
  "$tandem" status --output json 2>/dev/null |
    python3 "$source_dir/test/integration/e2e/status_query.py" online
}
# The web server's PID as this test sees it (the sidecar records the PID of
# its own PID namespace).
web_server() {
  ps -e -o pid=,args= |
    awk -v m="/usr/bin/python3 -m http.server 8080 --bind $subnet.100 " '$2 == "/usr/bin/python3" && index($0, m) { print $1 }'
}

# --- up ----------------------------------------------------------------------
up_output=$("$tandem" up "$manifests" 2>&1)
echo "$up_output"
if grep -q "up in loopback mode .*$isolation" <<<"$up_output" && [ "$("$tandem" mode)" = loopback ]; then
  pass "up says it runs in loopback mode, nodes kept together as a $isolation"
else
  fail "up did not say loopback mode and $isolation"
fi
first=$("$tandem" wait-running web "" 30000) || {
  fail "the web server did not start within 30 s"
  exit 1
}
pass "the web server runs on $first"
answer=$(http_status)
[ "$answer" = 200 ] && pass "the web server answers on $subnet.100:8080" ||
  fail "the web server does not answer on $subnet.100:8080 ($answer)"

declare -A tree=()
for node in node1 node2 node3; do
  tree[$node]=$(node_processes "$node" | tr '\n' ' ')
  # shellcheck disable=SC2206 # one PID a word
  test_pids+=(${tree[$node]})
done
read -r operator_pid _ <"$TANDEM_LAB/operator.pid"
test_pids+=("$operator_pid")
web_pid=$(web_server)
daemon=$(daemons)
if [ "$(wc -w <<<"$daemon")" = 1 ] && [ "$(wc -w <<<"$web_pid")" = 1 ] && [[ " ${tree[$first]} " == *" $daemon "* ]] &&
  [[ " ${tree[$first]} " == *" $web_pid "* ]]; then
  pass "the web server (pid $web_pid) and its daemon (pid $daemon) are among $first's processes"
else
  fail "expected one daemon and the web server below $first (daemons: $daemon, web: $web_pid, $first: ${tree[$first]})"
fi

# --- kill --------------------------------------------------------------------
start=$(now_ms)
"$tandem" kill "$first" || fail "kill $first failed"
left=""
for pid in ${tree[$first]}; do ! alive_pid "$pid" || left+=" $pid"; done
[ -z "$left" ] && pass "kill $first killed all its $(wc -w <<<"${tree[$first]}") processes, the daemon too" ||
  fail "processes of $first survived the kill:$left"
left=""
for node in node1 node2 node3; do
  [ "$node" != "$first" ] || continue
  for pid in ${tree[$node]}; do alive_pid "$pid" || left+=" $pid($node)"; done
done
alive_pid "$operator_pid" || left+=" $operator_pid(operator)"
[ -z "$left" ] && pass "kill $first left the other nodes and the operator alone" ||
  fail "kill $first also killed:$left"

second=$("$tandem" wait-running web "$first" 30000) || {
  fail "the web server did not move off $first within 30 s"
  exit 1
}
elapsed=$(($(now_ms) - start))
pass "the web server moved from $first to $second in $elapsed ms"
grep -qF "of $first succeeded: $fenced_by" "$TANDEM_LAB/operator.log" &&
  pass "the operator fenced $first through fence_tandem_loopback ($fenced_by)" ||
  fail "the operator log shows no successful fence of $first"
answer=$(http_status)
[ "$answer" = 200 ] && pass "the web server answers on $subnet.100:8080 again" ||
  fail "the web server does not answer after the failover ($answer)"
daemon=$(daemons)
[ "$(wc -w <<<"$daemon")" = 1 ] && [[ " $(node_processes "$second" | tr '\n' ' ') " == *" $daemon "* ]] &&
  pass "one daemon runs, below $second" || fail "expected one daemon below $second, found: $daemon"

# The fence agent's own interface, as a fence device would use it.
fence="$source_dir/scripts/fence_tandem_loopback"
out=$("$fence" action=status "lab=$TANDEM_LAB" "$first" 2>&1)
[ $? = 2 ] && [ "$out" = "Status: OFF" ] && pass "fence_tandem_loopback reports $first off" ||
  fail "fence_tandem_loopback status of $first: $out"
other=node1
[ "$first" != node1 ] || other=node2
out=$(printf 'action=status\nplug=%s\nlab=%s\n' "$other" "$TANDEM_LAB" | "$fence" 2>&1)
[ $? = 0 ] && [ "$out" = "Status: ON" ] &&
  pass "fence_tandem_loopback reports $other on (options on standard input)" ||
  fail "fence_tandem_loopback status of $other: $out"
out=$("$fence" action=list "lab=$TANDEM_LAB" | tr '\n' ' ')
[ "$out" = "node1 node2 node3 " ] && pass "fence_tandem_loopback lists the nodes" ||
  fail "fence_tandem_loopback list: $out"
out=$("$fence" action=off "lab=$TANDEM_LAB" node9 2>&1)
[ $? = 1 ] && [ "$out" = "fence_tandem_loopback: no node 'node9' in $TANDEM_LAB" ] &&
  pass "fence_tandem_loopback names a node it does not know" ||
  fail "fence_tandem_loopback off of node9: $out"

# --- boot --------------------------------------------------------------------
"$tandem" boot "$first" || fail "boot $first failed"
tree[$first]=$(node_processes "$first" | tr '\n' ' ')
# shellcheck disable=SC2206 # one PID a word
test_pids+=(${tree[$first]})
online=""
for _ in $(seq 1 300); do
  online=$(online_nodes)
  [ "$online" != "node1 node2 node3" ] || break
  sleep 0.05
done
[ "$online" = "node1 node2 node3" ] && pass "$first is back online" ||
  fail "after boot $first, the online nodes are: $online"
[ "$("$tandem" running-on web)" = "$second" ] && pass "the web server stays on $second" ||
  fail "the web server left $second when $first came back"

# --- down --------------------------------------------------------------------
all=$(for node in node1 node2 node3; do node_processes "$node"; done | tr '\n' ' ')
# shellcheck disable=SC2206 # one PID a word
test_pids+=($all)
"$tandem" down >/dev/null || fail "down failed"
left=""
for pid in $all $operator_pid; do ! alive_pid "$pid" || left+=" $pid"; done
[ -z "$left" ] && [ -z "$(daemons)" ] && pass "down stopped every process of the lab" ||
  fail "processes survived down:$left $(daemons)"
[ ! -e "$TANDEM_LAB" ] && pass "down removed the lab's state" || fail "down left $TANDEM_LAB"

finish
