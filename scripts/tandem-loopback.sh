# shellcheck shell=bash
# Nodes of scripts/tandem's loopback mode (no root, no network namespaces):
# how a node is started so that powering it off later kills everything it
# started and nothing else. Sourced by scripts/tandem and
# scripts/fence_tandem_loopback.
#
# A node is tandem-node-init running its sidecar. How it is kept apart from
# the rest of the machine (LAB/isolation):
#
#   pid-namespace  the node runs in a user and PID namespace of its own
#                  (unshare --user --pid, which needs no root where
#                  unprivileged user namespaces are allowed), with
#                  tandem-node-init as its PID 1: killing that PID 1 makes
#                  the kernel kill every process in the namespace, however
#                  it was started
#   process-tree   where user namespaces are not allowed: tandem-node-init
#                  is a child subreaper, so every process the node starts,
#                  daemons included, stays below it, and power off kills
#                  that tree from the leaves up, round after round, before
#                  tandem-node-init itself
#
# LAB/NODE.init holds "PID START" of the node's outermost process (unshare
# or tandem-node-init), START being its start time in /proc/PID/stat, so
# that a PID the kernel gave to another process since is never signalled.

# start_time PID: the process's start time (clock ticks after boot).
start_time() {
  local line fields
  read -r line 2>/dev/null <"/proc/$1/stat" || return 1
  # The command name, in parentheses, may hold spaces: skip past it.
  read -ra fields <<<"${line##*) }"
  echo "${fields[19]}"
}

# same_process PID START: PID still runs (not a zombie) and is the process
# that started at START.
same_process() {
  local line state
  [ -n "$1" ] && [ -n "$2" ] || return 1
  read -r line 2>/dev/null <"/proc/$1/stat" || return 1
  state=${line##*) }
  [ "${state%% *}" != Z ] && [ "$(start_time "$1")" = "$2" ]
}

# children PID: its live children.
children() {
  ps -e -o pid=,ppid=,stat= | awk -v parent="$1" '$2 == parent && $3 !~ /^Z/ { print $1 }'
}

# descendants PID: every live process below it.
descendants() {
  ps -e -o pid=,ppid=,stat= | awk -v root="$1" '
    $3 !~ /^Z/ { parent[$1] = $2 }
    END {
      for (pid in parent) {
        # Bounded: a chain of parents is never longer than the table.
        for (p = parent[pid]; p != "" && steps++ < 100000; p = parent[p]) {
          if (p == root) { print pid; break }
        }
        steps = 0
      }
    }'
}

# loopback_isolation: pid-namespace where this user may make a user and PID
# namespace, else process-tree.
loopback_isolation() {
  if unshare --user --map-current-user --pid --mount-proc --fork --kill-child true 2>/dev/null; then
    echo pid-namespace
  else
    echo process-tree
  fi
}

# loopback_start LAB NODE LOG COMMAND...: starts the node in the background
# and records it in LAB/NODE.init; prints the outermost PID.
loopback_start() {
  local lab=$1 node=$2 log=$3 here pid
  shift 3
  here=$(dirname "${BASH_SOURCE[0]}")
  local init=("$here/tandem-node-init" "$@")
  if [ "$(cat "$lab/isolation")" = pid-namespace ]; then
    # A mount namespace too, with a /proc of the node's own PIDs: the
    # executor finds its agents' processes there by the PIDs fork gave it.
    init=(unshare --user --map-current-user --pid --mount-proc --fork --kill-child "${init[@]}")
  fi
  "${init[@]}" </dev/null >>"$log" 2>&1 &
  pid=$!
  echo "$pid $(start_time "$pid")" >"$lab/$node.init"
  echo "$pid"
}

# loopback_is_on LAB NODE: its outermost process still runs.
loopback_is_on() {
  local pid start
  read -r pid start 2>/dev/null <"$1/$2.init" || return 1
  same_process "$pid" "$start"
}

# gone_soon PID START: within 5 s, the process is gone (or a zombie).
gone_soon() {
  for _ in $(seq 1 500); do
    same_process "$1" "$2" || return 0
    sleep 0.01
  done
  return 1
}

# loopback_power_off LAB NODE: kill -9 of every process of the node; fails
# (with a message) only when something survived.
loopback_power_off() {
  local lab=$1 node=$2 pid start victims
  read -r pid start 2>/dev/null <"$lab/$node.init" || return 0 # never started
  same_process "$pid" "$start" || return 0                        # off already
  if [ "$(cat "$lab/isolation")" = pid-namespace ]; then
    # The namespace's PID 1 is unshare's child. Once it is killed, the
    # kernel kills the rest, and unshare exits when the last is gone.
    for victims in $(children "$pid"); do kill -KILL "$victims" 2>/dev/null; done
    gone_soon "$pid" "$start" && return 0
    echo "the PID namespace of $node (unshare, pid $pid) did not end within 5 s" >&2
    return 1
  fi
  # Processes may fork while they are killed; what a killed parent leaves
  # behind moves up to tandem-node-init and is found in the next round.
  for _ in $(seq 1 50); do
    victims=$(descendants "$pid")
    [ -n "$victims" ] || break
    # shellcheck disable=SC2086 # one PID a word
    kill -KILL $victims 2>/dev/null
  done
  victims=$(descendants "$pid")
  if [ -n "$victims" ]; then
    echo "processes of $node survived 50 rounds of kill -9:" $victims >&2
    return 1
  fi
  ! same_process "$pid" "$start" || kill -KILL "$pid" 2>/dev/null
  gone_soon "$pid" "$start" && return 0
  echo "tandem-node-init of $node (pid $pid) survived kill -9" >&2
  return 1
}
