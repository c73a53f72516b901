#!/usr/bin/env python3
"""Asks the fake operator about what an agent reported, for agent_test.sh.

  probe.py queue URL NODE ACTIONS_JSON     queue {"actions": [...]} for NODE
  probe.py wait URL NODE SECONDS EXPR      poll NODE's newest report (r) every
                                           50 ms until EXPR is true; print it
Helpers usable in EXPR: outcome(r, id), op(r, op_id), fails(r, rsc).
Exit 0 when EXPR became true, 1 on timeout (the last report is printed).
"""
import json
import sys
import time
import urllib.request


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return json.loads(response.read())
    except Exception:
        return None


def outcome(r, action_id):
    for o in r.get("outcomes", []):
        if o["actionId"] == action_id:
            return o
    return None


def op(r, op_id):
    for res in r.get("resources", []):
        for o in res.get("ops", []):
            if o["id"] == op_id:
                return o
    return None


def fails(r, rsc):
    return sum(f["count"] for f in r.get("failCounts", []) if f["resource"] == rsc)


def main():
    command, url, node = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "queue":
        request = urllib.request.Request(url + "/test/nodes/" + node + "/actions",
                                         data=sys.argv[4].encode(), method="POST")
        urllib.request.urlopen(request, timeout=2).read()
        return 0
    seconds, expr = float(sys.argv[4]), sys.argv[5]
    deadline = time.monotonic() + seconds
    r = None
    while time.monotonic() < deadline:
        r = get(url + "/test/nodes/" + node + "/report")
        if r:
            value = eval(expr, {"outcome": outcome, "op": op, "fails": fails, "r": r})
            if value:
                print(json.dumps(value) if not isinstance(value, bool) else "true")
                return 0
        time.sleep(0.05)
    print("timed out waiting for: " + expr, file=sys.stderr)
    print(json.dumps(r, indent=1)[:4000] if r else "no report", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
