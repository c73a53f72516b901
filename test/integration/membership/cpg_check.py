#!/usr/bin/env python3
"""Checks the logs of two cpg_probe.py clients after a node was killed.

    cpg_check.py LOG_A LOG_B KILLED_NODE COUNT TAG_A TAG_B TAG_KILLED

From the first membership event in which the group has all its members,
both logs must hold the same messages and membership events in the same
order; exactly one membership event removes the killed node's members
(reason node_down), and no message of that node follows it; each
surviving sender's COUNT messages appear exactly once and in order, and
the killed node's messages are a prefix of what it sent, in order.
"""

import json
import sys


def events(path):
    out = []
    with open(path) as f:
        for line in f:
            event = json.loads(line)
            if event.get("type") in ("message", "membership"):
                out.append(event)
    return out


def from_full_group(stream, size):
    for i, event in enumerate(stream):
        if event["type"] == "membership" and len(event["members"]) == size:
            return stream[i:]
    return []


def data_from(stream, node):
    return [e["data"] for e in stream if e["type"] == "message" and e["sender"]["node"] == node]


def main():
    log_a, log_b, killed, count, tag_a, tag_b, tag_killed = sys.argv[1:8]
    killed, count = int(killed), int(count)
    a = from_full_group(events(log_a), 3)
    b = from_full_group(events(log_b), 3)
    problems = []
    if not a or not b:
        problems.append("a log never shows the group with all three members")
    if a != b:
        first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        problems.append(f"the streams differ at event {first} of {len(a)} and {len(b)}: "
                        f"{a[first] if first < len(a) else 'end'} / "
                        f"{b[first] if first < len(b) else 'end'}")
    downs = [i for i, e in enumerate(a) if e["type"] == "membership" and e["left"]]
    if len(downs) != 1:
        problems.append(f"{len(downs)} membership events with members leaving, expected 1")
    else:
        down = a[downs[0]]
        left = down["left"]
        if not left or any(m["node"] != killed or m["reason"] != "node_down" for m in left):
            problems.append(f"the leave is not node {killed}'s members with reason node_down: {down}")
        if any(m["node"] == killed for m in down["members"]):
            problems.append(f"node {killed} is still among the members after it left: {down}")
        if data_from(a[downs[0]:], killed):
            problems.append(f"messages from node {killed} after its members left")
    for node, tag in ((1, tag_a), (2, tag_b)):
        got = data_from(a, node)
        want = [f"{tag}-{i}" for i in range(count)]
        if got != want:
            problems.append(f"node {node}'s messages: {len(got)} of {count}, "
                            f"first difference at {next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), min(len(got), len(want)))}")
    lost = data_from(a, killed)
    if lost != [f"{tag_killed}-{i}" for i in range(len(lost))]:
        problems.append(f"node {killed}'s messages are not a prefix of what it sent, in order")
    for problem in problems:
        print("cpg_check: " + problem)
    if problems:
        return 1
    print(f"cpg_check: {len(a)} events in the same order on both nodes; node {killed}'s "
          f"members left at event {downs[0]} after {len(lost)} of its messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
