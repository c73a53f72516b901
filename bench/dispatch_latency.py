#!/usr/bin/env python3
"""Decision to action on the node: for every action the operator dispatched,
the time from its "dispatch ID ... to NODE" log line to the node's "agent:
action ID received" line (both logs' millisecond timestamps, one machine
clock). Reads the per-trial log directories bench/failover.sh keeps
(LOGS/*/operator.log and nodeN.log) and prints p50, p99 and max, over all
actions and over those of the failover (dispatched after the operator
logged the killed node lost); the rest are the cluster's start, when the
sidecars are still starting up themselves.

  bench/dispatch_latency.py /tmp/tandem-failover-DATE/logs
"""
import pathlib
import re
import sys
from datetime import datetime

STAMP = r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})Z"
DISPATCH = re.compile(STAMP + r" dispatch (\S+) (\S+) to (\S+)")
LOST = re.compile(STAMP + r" node \S+ lost ")
RECEIVED = re.compile(STAMP + r" agent: action (\S+) received")


def ms(stamp):
    return datetime.fromisoformat(stamp).timestamp() * 1000


def trial_latencies(trial):
    sent = {}
    lost = False
    for line in (trial / "operator.log").read_text(errors="replace").splitlines():
        lost = lost or bool(LOST.match(line))
        m = DISPATCH.match(line)
        if m:
            sent[m.group(2)] = (ms(m.group(1)), m.group(4), m.group(3), lost)
    out = []
    for log in sorted(trial.glob("node*.log")):
        for line in log.read_text(errors="replace").splitlines():
            m = RECEIVED.match(line)
            if m and m.group(2) in sent:
                at, node, key, failover = sent[m.group(2)]
                if log.stem == node:
                    out.append((ms(m.group(1)) - at, key, trial.name, failover))
    return out


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = pathlib.Path(sys.argv[1])
    trials = [d for d in sorted(root.iterdir()) if (d / "operator.log").exists()]
    if not trials:
        sys.exit(f"{root}: no trial directories with an operator.log")
    latencies = [x for t in trials for x in trial_latencies(t)]
    if not latencies:
        sys.exit(f"{root}: no dispatched action was received by a node")
    report("all actions", latencies, len(trials))
    report("failover actions", [x for x in latencies if x[3]], len(trials))


def report(what, latencies, trials):
    if not latencies:
        print(f"{what}: none")
        return
    values = [x[0] for x in latencies]
    worst = max(latencies)
    print(f"{what}: {len(values)} in {trials} trials: dispatch -> received on the node "
          f"p50 {percentile(values, 50):.0f} ms, p99 {percentile(values, 99):.0f} ms, "
          f"max {worst[0]:.0f} ms ({worst[1]}, {worst[2]})")

if __name__ == "__main__":
    main()
