#!/usr/bin/env python3
"""Polls a cluster's status until a resource runs on a node other than NOT_ON.

    failover_wait.py tandem|pacemaker RESOURCE NOT_ON LIMIT_MS -- COMMAND...

COMMAND prints the status: `scripts/tandem status --output json` (Tandem's
operator status) or `bench/pacemaker_lab.sh cib NODE` (Pacemaker's CIB).
It runs every EVERY_MS (20) milliseconds, one at a time; the parsing happens
here, in one process, so that both stacks are polled the same way. On
success prints "NODE UNIX_MS DC": the node, the wall clock when the poll
that first saw it returned, and the cluster's DC (Pacemaker; "-" for
Tandem, whose operator runs outside the nodes). Exit 1 when LIMIT_MS passes.
"""

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET


def tandem_running(text, resource):
    try:
        status = json.loads(text)
    except ValueError:
        return None, "-"
    for r in status.get("resources", []):
        if r.get("name") != resource:
            continue
        for i in r.get("instances", []):
            if i.get("role") in ("Started", "Promoted", "Unpromoted") and not i.get("failed"):
                return i.get("node"), "-"
    return None, "-"


def pacemaker_running(text, resource):
    """Where the CIB records RESOURCE as started: its last operation on that
    node (RESOURCE_last_0) is a start, or a probe that found it running,
    completed (op-status 0) with rc 0, on a node whose controller is up."""
    try:
        cib = ET.fromstring(text)
    except ET.ParseError:
        return None, "-"
    dc_id = cib.get("dc-uuid", "")
    dc = "-"
    found = None
    for state in cib.iter("node_state"):
        name = state.get("uname")
        if state.get("id") == dc_id:
            dc = name
        if state.get("crmd") != "online" or state.get("in_ccm") in (None, "false"):
            continue
        for rsc in state.iter("lrm_resource"):
            if rsc.get("id") != resource:
                continue
            for op in rsc.iter("lrm_rsc_op"):
                if (op.get("id") == resource + "_last_0" and op.get("operation") in ("start", "monitor")
                        and op.get("rc-code") == "0" and op.get("op-status") == "0"):
                    found = found or name
    return found, dc


def main():
    if len(sys.argv) < 7 or sys.argv[5] != "--":
        sys.exit(__doc__)
    stack, resource, not_on, limit_ms = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    command = sys.argv[6:]
    parse = {"tandem": tandem_running, "pacemaker": pacemaker_running}.get(stack)
    if parse is None:
        sys.exit(f"failover_wait: unknown stack '{stack}' (tandem or pacemaker)")
    every = int(os.environ.get("EVERY_MS", "20")) / 1000
    deadline = time.monotonic() + limit_ms / 1000
    while time.monotonic() < deadline:
        try:
            out = subprocess.run(command, capture_output=True, text=True, timeout=5).stdout
        except subprocess.TimeoutExpired:
            out = ""
        seen = round(time.time() * 1000)
        node, dc = parse(out, resource)
        if node and node != not_on:
            print(node, seen, dc)
            return 0
        time.sleep(every)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
