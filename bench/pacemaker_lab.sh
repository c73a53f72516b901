#!/usr/bin/env bash
# Pacemaker + Corosync (Debian's packages) as the same three-node lab as
# scripts/tandem: each node in a network namespace of its own on a bridge
# (node1..3 at SUBNET.1..3), running corosync and pacemakerd, configured with
# the same service as examples/three-node-demo (an IPaddr2 address and a
# Python web server in a group) and a fence device that powers namespace
# nodes off (scripts/fence_tandem_netns as stonith:fence_tandem_netns). For
# bench/failover.sh; run by hand, as root.
#
#   bench/pacemaker_lab.sh up TOKEN_MS COEFFICIENT_MS|default
#   bench/pacemaker_lab.sh cib [NOT_ON]   the CIB (cibadmin -Q) as seen by
#                                         the first node other than NOT_ON
#   bench/pacemaker_lab.sh kill NODE      kill -9 everything in its namespace,
#                                         link down (as scripts/tandem kill)
#   bench/pacemaker_lab.sh down
#
# Pacemaker and corosync use fixed paths, so each node also runs in a mount
# namespace of its own: a tmpfs on /run and on /dev/shm (libqb's IPC
# buffers), and per-node directories bound over /etc/corosync,
# /var/lib/corosync, /var/lib/pacemaker and /var/log/pacemaker. Their client
# IPC is abstract unix sockets, which Linux scopes to the network namespace.
# /run/netns is carried over into the node's /run, so that the fence agent,
# run by a node's fencer, can reach the other nodes' namespaces; the agent
# itself appears in the node's /usr/sbin (where the fencer looks for
# fence_* agents) through an overlay that exists only in that node's mount
# namespace: nothing is installed on the machine.
#
# Environment: PCMK_LAB (state and logs; default /tmp/tandem-pcmk-lab; not
# under /run, which each node covers), PCMK_LAB_PREFIX (namespace names;
# default tandem-pl), PCMK_LAB_SUBNET (default 10.214.0), PCMK_LAB_DEBUG
# (Pacemaker's PCMK_debug: daemons to log at debug level, or "yes"; default
# no). `down` removes only what `up` recorded: processes by PID, namespaces
# by name. The mounts live only in the nodes' mount namespaces and go with
# their processes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
lab=${PCMK_LAB:-/tmp/tandem-pcmk-lab}
prefix=${PCMK_LAB_PREFIX:-tandem-pl}
subnet=${PCMK_LAB_SUBNET:-10.214.0}
nodes=(node1 node2 node3)

die() {
  echo "pacemaker_lab: $*" >&2
  exit 1
}
ns_of() { echo "$prefix-$1"; }
record() { echo "$2" >>"$lab/$1"; }

# write_corosync_conf FILE TOKEN_MS COEFFICIENT_MS|default
write_corosync_conf() {
  local file=$1 token=$2 coefficient=$3 i
  {
    echo "totem {"
    echo "    version: 2"
    echo "    cluster_name: demo"
    # Tandem's lab runs udpu too; corosync's udpu has no crypto.
    echo "    transport: udpu"
    echo "    token: $token"
    [ "$coefficient" = default ] || echo "    token_coefficient: $coefficient"
    echo "    crypto_cipher: none"
    echo "    crypto_hash: none"
    echo "}"
    echo "nodelist {"
    for i in "${!nodes[@]}"; do
      echo "    node {"
      echo "        nodeid: $((i + 1))"
      echo "        name: ${nodes[$i]}"
      echo "        ring0_addr: $subnet.$((i + 1))"
      echo "    }"
    done
    echo "}"
    echo "quorum {"
    echo "    provider: corosync_votequorum"
    echo "}"
    echo "logging {"
    echo "    to_stderr: yes"
    echo "    to_syslog: no"
    echo "    timestamp: hires"
    echo "}"
  } >"$file"
}

# The configuration every node starts with, so that no node waits for it:
# the demo's group, the fence device, and the cluster options. dc-deadtime
# only shortens the first election at start (all nodes start together);
# stonith-action=off as Tandem's fence command.
write_cib() {
  cat <<XML
<cib validate-with="pacemaker-3.9" epoch="1" num_updates="0" admin_epoch="0">
  <configuration>
    <crm_config>
      <cluster_property_set id="cib-bootstrap-options">
        <nvpair id="opt-stonith-enabled" name="stonith-enabled" value="true"/>
        <nvpair id="opt-stonith-action" name="stonith-action" value="off"/>
        <nvpair id="opt-no-quorum-policy" name="no-quorum-policy" value="stop"/>
        <nvpair id="opt-dc-deadtime" name="dc-deadtime" value="2s"/>
        <nvpair id="opt-cluster-name" name="cluster-name" value="demo"/>
      </cluster_property_set>
    </crm_config>
    <nodes/>
    <resources>
      <primitive id="fence" class="stonith" type="fence_tandem_netns">
        <instance_attributes id="fence-params">
          <nvpair id="fence-hosts" name="pcmk_host_list" value="${nodes[*]}"/>
          <nvpair id="fence-prefix" name="netns_prefix" value="$prefix-"/>
        </instance_attributes>
        <operations>
          <op id="fence-monitor" name="monitor" interval="60s" timeout="20s"/>
        </operations>
      </primitive>
      <group id="web-stack">
        <primitive id="vip" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="vip-params">
            <nvpair id="vip-ip" name="ip" value="$subnet.100"/>
            <nvpair id="vip-netmask" name="cidr_netmask" value="24"/>
          </instance_attributes>
          <operations>
            <op id="vip-monitor" name="monitor" interval="2s" timeout="10s"/>
          </operations>
        </primitive>
        <primitive id="web" class="ocf" provider="heartbeat" type="anything">
          <instance_attributes id="web-params">
            <nvpair id="web-binfile" name="binfile" value="/usr/bin/python3"/>
            <nvpair id="web-options" name="cmdline_options" value="-m http.server 8080 --directory /usr/share/doc"/>
          </instance_attributes>
          <operations>
            <op id="web-monitor" name="monitor" interval="1s" timeout="5s"/>
          </operations>
        </primitive>
      </group>
    </resources>
    <constraints/>
    <rsc_defaults>
      <meta_attributes id="rsc-options">
        <nvpair id="rsc-stickiness" name="resource-stickiness" value="100"/>
      </meta_attributes>
    </rsc_defaults>
  </configuration>
  <status/>
</cib>
XML
}

# make_ns NAME ADDRESS PORT: a namespace with eth0 on the hub's bridge.
make_ns() {
  local ns=$1 address=$2 port=$3
  ip netns add "$ns"
  record namespaces "$ns"
  ip link add "pl$$$port" netns "$ns" type veth peer name "$port" netns "$prefix-hub"
  ip -n "$ns" link set "pl$$$port" name eth0
  ip -n "$ns" addr add "$address/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$prefix-hub" link set "$port" master br0
  ip -n "$prefix-hub" link set "$port" up
}

# The node's own directories, owned as the Debian packages own theirs.
make_node_dirs() {
  local dir=$1 sub
  mkdir -p "$dir/etc-corosync" "$dir/lib-corosync" "$dir/log-pacemaker" "$dir/netns-hold" "$dir/sbin"
  for sub in cib pengine blackbox cores; do mkdir -p "$dir/lib-pacemaker/$sub"; done
  cp "$lab/corosync.conf" "$dir/etc-corosync/corosync.conf"
  write_cib >"$dir/lib-pacemaker/cib/cib.xml"
  chmod 0600 "$dir/lib-pacemaker/cib/cib.xml"
  chown -R hacluster:haclient "$dir/lib-pacemaker" "$dir/log-pacemaker"
  chmod 0750 "$dir/lib-pacemaker/cib" "$dir/lib-pacemaker/pengine"
  chmod 0770 "$dir/log-pacemaker"
  ln -s "$root/scripts/fence_tandem_netns" "$dir/sbin/fence_tandem_netns"
}

# The node's init: private mounts, corosync in the background, then
# pacemakerd in its place (ip netns exec, unshare and sh all exec, so the
# recorded PID is pacemakerd's). Every wait is bounded.
# shellcheck disable=SC2016
node_init='set -e
dir=$1
hostname "$2"
mount --rbind /run/netns "$dir/netns-hold"
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir /run/netns /run/lock /run/resource-agents /run/crm
mount --move "$dir/netns-hold" /run/netns
chown hacluster:haclient /run/crm
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount --bind "$dir/etc-corosync" /etc/corosync
mount --bind "$dir/lib-corosync" /var/lib/corosync
mount --bind "$dir/lib-pacemaker" /var/lib/pacemaker
mount --bind "$dir/log-pacemaker" /var/log/pacemaker
mount -t overlay overlay -o "lowerdir=$dir/sbin:/usr/sbin" /usr/sbin
TZ=UTC corosync -f >>"$dir/corosync.log" 2>&1 &
echo $! >"$dir/corosync.pid"
tries=0
until corosync-cmapctl -g totem.cluster_name >/dev/null 2>&1; do
  tries=$((tries + 1))
  [ $tries -lt 500 ] || { echo "corosync did not start within 5 s" >&2; exit 1; }
  sleep 0.01
done
export PCMK_logfile=/var/log/pacemaker/pacemaker.log PCMK_logfacility=none
TZ=UTC exec pacemakerd'

cmd_up() {
  local token=${1:?usage: pacemaker_lab.sh up TOKEN_MS COEFFICIENT_MS|default} coefficient=${2:-default}
  [ "$(id -u)" -eq 0 ] || die "needs root (network and mount namespaces)"
  for tool in corosync pacemakerd cibadmin nsenter unshare; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done
  [ ! -e "$lab/namespaces" ] || die "a cluster is already up (state in $lab); run: $0 down"
  mkdir -p "$lab"
  chmod 0711 "$lab"
  write_corosync_conf "$lab/corosync.conf" "$token" "$coefficient"

  ip netns add "$prefix-hub"
  record namespaces "$prefix-hub"
  ip -n "$prefix-hub" link add br0 type bridge
  ip -n "$prefix-hub" link set br0 up
  local i node dir
  for i in "${!nodes[@]}"; do
    node=${nodes[$i]}
    make_ns "$(ns_of "$node")" "$subnet.$((i + 1))" "p$((i + 1))"
    dir=$lab/$node
    make_node_dirs "$dir"
  done
  export PCMK_debug=${PCMK_LAB_DEBUG:-no}
  # All three at once, as a cluster that powers on together.
  for node in "${nodes[@]}"; do
    dir=$lab/$node
    ip netns exec "$(ns_of "$node")" unshare --mount --uts --propagation private \
      sh -c "$node_init" "pcmk-$node" "$dir" "$node" >>"$dir/pacemakerd.log" 2>&1 &
    echo $! >"$dir/pid"
    record pids $!
    disown $!
  done
  echo "pacemaker_lab: up: nodes ${nodes[*]} in namespaces $prefix-node*; token $token, coefficient $coefficient; logs in $lab"
}

# cib [NOT_ON]: the CIB from the first node (other than NOT_ON) that is up.
cmd_cib() {
  local not_on=${1:-} node pid
  for node in "${nodes[@]}"; do
    [ "$node" != "$not_on" ] || continue
    pid=$(cat "$lab/$node/pid" 2>/dev/null) || continue
    [ -d "/proc/$pid" ] || continue
    # Inside the node's namespaces: its IPC is there (abstract socket in the
    # network namespace, buffers in its /dev/shm).
    timeout 5 nsenter --target "$pid" --mount --net --uts cibadmin --query 2>/dev/null
    return
  done
  return 1
}

cmd_kill() {
  local node=$1 ns pid
  ns=$(ns_of "$node")
  [ -e "/run/netns/$ns" ] || die "no namespace $ns"
  for pid in $(ip netns pids "$ns"); do kill -KILL "$pid" 2>/dev/null || true; done
  ip -n "$ns" link set eth0 down
}

cmd_down() {
  local pid ns
  if [ -f "$lab/pids" ]; then
    while read -r pid; do kill -KILL "$pid" 2>/dev/null || true; done <"$lab/pids"
  fi
  if [ -f "$lab/namespaces" ]; then
    while read -r ns; do
      # Whatever ran inside (corosync, pacemaker's daemons, resource agents,
      # the web server): a few rounds, since agents may fork meanwhile.
      for _ in 1 2 3; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
      done
      ip netns delete "$ns" 2>/dev/null || true
    done <"$lab/namespaces"
  fi
  rm -rf "$lab"
  echo "pacemaker_lab: down"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  cib) cmd_cib "${2:-}" ;;
  kill) cmd_kill "${2:?usage: pacemaker_lab.sh kill NODE}" ;;
  down) cmd_down ;;
  *)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
