#!/usr/bin/env python3
"""Answers one question about the operator's status JSON (tandemctl status
--output json on standard input) for the end-to-end tests; prints nothing
when the input is not a status.

    status_query.py where RESOURCE      nodes where RESOURCE (or an instance
                                        of the clone RESOURCE) runs healthy
                                        and not presumed, sorted
    status_query.py promoted RESOURCE   nodes where an instance is Promoted
    status_query.py failcount RESOURCE NODE
                                        its fail count on NODE (0 if none)
    status_query.py members             the quorate ring's size
    status_query.py online              the online nodes, sorted
    status_query.py settled             "yes" when nothing is in flight,
                                        held or planned
    status_query.py counters            failovers counted, transitions,
                                        failovers listed
"""
import json
import sys


def instances(status, resource):
    for r in status.get("resources", []):
        name = r.get("name", "")
        if name == resource or name.split(":")[0] == resource:
            for i in r.get("instances", []):
                if not i.get("failed") and not i.get("unclean"):
                    yield i


def main():
    try:
        status = json.load(sys.stdin)
    except ValueError:
        return
    question, args = sys.argv[1], sys.argv[2:]
    if question == "where":
        nodes = {i["node"] for i in instances(status, args[0])
                 if i.get("role") in ("Started", "Promoted", "Unpromoted")}
        print(" ".join(sorted(nodes)))
    elif question == "promoted":
        print(" ".join(sorted({i["node"] for i in instances(status, args[0])
                               if i.get("role") == "Promoted"})))
    elif question == "failcount":
        print(sum(f.get("count", 0) for f in status.get("failCounts", [])
                  if f.get("resource", "").split(":")[0] == args[0] and f.get("node") == args[1]))
    elif question == "members":
        print(len(status.get("quorum", {}).get("members", [])))
    elif question == "online":
        print(" ".join(sorted(n["name"] for n in status.get("nodes", [])
                              if n.get("state") == "online")))
    elif question == "settled":
        last = status.get("lastTransition") or {}
        busy = any(a.get("state") == "in-flight" for a in last.get("actions", []))
        print("no" if busy or status.get("held") or status.get("plan") else "yes")
    elif question == "counters":
        print(status.get("failoverStats", {}).get("count", 0), status.get("transitionsTotal", 0),
              len(status.get("failovers", [])))
    else:
        sys.exit(f"status_query.py: unknown question {question!r}")


main()
