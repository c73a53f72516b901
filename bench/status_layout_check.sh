# The status layout check, sourced by race_corosync.sh: captures
# `corosync-quorumtool -s` from a real corosync node and
# `tandem-sidecar status` from a tandem node in the same situation (the
# same node of the same cluster after the same event), and diffs them after
# masking what legitimately differs: the date and the ring id (its sequence
# depends on how many rings each formed). Both exit statuses are compared
# too. Uses $out, $sidecar, $CLUSTER_WORK and CLUSTER_PID from the caller.

# layout_capture SYSTEM SITUATION NODE
layout_capture() {
  local system=$1 situation=$2 node=$3
  local file="$out/layout/$situation.$system"
  if [ "$system" = corosync ]; then
    # The tool must see the node's /dev/shm and its network namespace (the
    # abstract IPC socket): enter both.
    nsenter -t "${CLUSTER_PID[$node]}" -m -n corosync-quorumtool -s >"$file" 2>&1
  else
    # The status file is written just after the log line the race waits for.
    sleep 0.2
    "$sidecar" status --state-dir "$CLUSTER_WORK/n$node" >"$file" 2>&1
  fi
  echo $? >"$file.rc"
}

layout_mask() {
  sed -E -e 's/^(Date: +).*/\1<date>/' -e 's/^(Ring ID: +).*/\1<ring id>/' "$1"
}

# layout_report: one verdict per situation captured from both systems.
layout_report() {
  local file situation differ=0
  echo "Status layout: corosync-quorumtool -s against tandem-sidecar status" \
    "(Date and Ring ID masked)"
  for file in "$out"/layout/*.corosync; do
    [ -e "$file" ] || continue
    situation=$(basename "$file" .corosync)
    if [ ! -e "$out/layout/$situation.tandem" ]; then
      echo "  $situation: no tandem capture"
      continue
    fi
    local rc_c rc_t
    rc_c=$(cat "$file.rc")
    rc_t=$(cat "$out/layout/$situation.tandem.rc")
    if diff -u --label "corosync-quorumtool -s (exit $rc_c)" \
      --label "tandem-sidecar status (exit $rc_t)" <(layout_mask "$file") \
      <(layout_mask "$out/layout/$situation.tandem") >"$out/layout/$situation.diff" &&
      [ "$rc_c" = "$rc_t" ]; then
      echo "  $situation: identical, exit status $rc_c"
    else
      differ=1
      echo "  $situation: DIFFERENT (exit status corosync $rc_c, tandem $rc_t)"
      sed 's/^/    /' "$out/layout/$situation.diff"
    fi
  done
  return "$differ"
}
