#!/usr/bin/env bash
# `corosync-cfgtool -s` from a real corosync against `tandem-sidecar status
# --links` in the same situations: three nodes (transport udpu, token 300,
# token_coefficient 0, no crypto) in network namespaces (cluster.sh), seen
# from nodes 1 and 2 with all three up, then after kill -9 of node 3. Each
# pair is diffed with its exit status. A check run by hand (as root, with
# Debian's corosync installed), not a test.
#
#   bench/cfgtool_layout.sh [TANDEM_SIDECAR]
#
# Tandem marks a link down 5 s after the last datagram, corosync (udpu)
# when the node leaves the ring: the captures after the kill wait for
# both. Every namespace and process it makes is removed on exit.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sidecar=${1:-$root/build/sidecar/tandem-sidecar}
token=300
coefficient=0
# shellcheck source=../test/integration/membership/cluster.sh
. "$root/test/integration/membership/cluster.sh"
trap cluster_cleanup EXIT
trap "exit 143" TERM
trap "exit 130" INT HUP

die() {
  echo "cfgtool_layout: $*" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || die "needs root (network and mount namespaces)"
[ -x "$sidecar" ] || die "$sidecar is not an executable; build tandem-sidecar first"
for tool in corosync corosync-cfgtool nsenter unshare; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

cluster_init "$sidecar" cfg 3
[ "$CLUSTER_MODE" = netns ] || die "network namespaces cannot be made here"
CLUSTER_CRYPTO=none
CLUSTER_CONF_EXTRA='logging {
    to_stderr: yes
    to_syslog: no
}'
cluster_write_conf $token $coefficient
out="$CLUSTER_WORK/captures"
mkdir -p "$out"

# As race_corosync.sh starts it: its own network and mount namespaces (its
# /run, /dev/shm and /var/lib/corosync); every exec keeps corosync's PID.
start_corosync() {
  local i=$1
  mkdir -p "$CLUSTER_WORK/c$i/lib"
  ip netns exec "tandem-$CLUSTER_TAG-$$-n$i" unshare --mount --propagation private sh -c \
    'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /dev/shm &&
     mount --bind "$1" /var/lib/corosync && exec corosync -f -c "$2"' \
    corosync "$CLUSTER_WORK/c$i/lib" "$CLUSTER_WORK/corosync.conf" >>"$CLUSTER_WORK/c$i.log" 2>&1 &
  CLUSTER_PID[$i]=$!
  CLUSTER_PIDS+=($!)
}

# capture SYSTEM SITUATION NODE
capture() {
  local file="$out/$2-node$3.$1"
  if [ "$1" = corosync ]; then
    nsenter -t "${CLUSTER_PID[$3]}" -m -n corosync-cfgtool -s >"$file" 2>&1
  else
    "$sidecar" status --links --state-dir "$CLUSTER_WORK/n$3" >"$file" 2>&1
  fi
  echo $? >"$file.rc"
}

for system in corosync tandem; do
  for i in 1 2 3; do
    if [ "$system" = corosync ]; then start_corosync "$i"; else cluster_start "$i"; fi
  done
  # Formed, and (tandem) two rounds of clock probes heard.
  sleep 5
  capture "$system" 3of3 1
  capture "$system" 3of3 2
  cluster_kill 3
  sleep 7
  capture "$system" 2of3 1
  capture "$system" 2of3 2
  cluster_kill 1
  cluster_kill 2
done

echo "corosync $(corosync -v | sed -n "s/.*version '\(.*\)'.*/\1/p") against $sidecar"
differ=0
for file in "$out"/*.corosync; do
  name=$(basename "$file" .corosync)
  if diff -u --label "corosync-cfgtool -s (exit $(cat "$file.rc"))" \
    --label "tandem-sidecar status --links (exit $(cat "$out/$name.tandem.rc"))" \
    "$file" "$out/$name.tandem" && [ "$(cat "$file.rc")" = "$(cat "$out/$name.tandem.rc")" ]; then
    echo "$name: identical, exit status $(cat "$file.rc")"
  else
    differ=1
    echo "$name: DIFFERENT"
  fi
done
echo "corosync-cfgtool -s, node 2, node 3 killed:"
cat -A "$out/2of3-node2.corosync"
exit "$differ"
