#!/usr/bin/env python3
"""Compares Tandem's notifications with Pacemaker's over the scheduler corpus.

For each core case of ../shared/pacemaker-scheduler whose clones notify, the
notifications crm_simulate executes (the "Executing Cluster Transition"
lines of the case's summary: the clone's pre/post pseudo-actions and each
instance's notify on a node) are compared, as multisets, with the ones in
`tandemctl simulate --actions --output json`. A clone's own pseudo-actions
are compared by kind ("pre" "start", "confirmed-post" "running"), since
import-cib names a clone after its primitive; an instance's notifications by
resource and node, without the instance number, since crm_simulate names an
anonymous instance as its history does (with another number, or none).

usage: notify_corpus.py TANDEMCTL CORPUS_DIR FLOOR_FILE [-v] [--only REGEX]
Exits 1 when fewer cases match than the floor, 77 when the corpus is absent.
"""
import collections
import json
import os
import re
import subprocess
import sys

PSEUDO = re.compile(r"\* Pseudo action:\s+(\S+)")
NOTIFY = re.compile(r"\* Resource action:\s+(\S+)\s+notify on (\S+)")
KIND = re.compile(r"_((?:confirmed-)?(?:pre|post))_notify_([a-z]+)_0$")


def base(rsc):
    return rsc.split(":", 1)[0]


def expected(summary_path):
    found = collections.Counter()
    executing = False
    with open(summary_path, encoding="utf-8") as summary:
        for line in summary:
            if line.startswith("Executing Cluster Transition"):
                executing = True
                continue
            if executing and not line.strip():
                break
            if not executing:
                continue
            pseudo = PSEUDO.search(line)
            if pseudo and KIND.search(pseudo.group(1)):
                found[("pseudo",) + KIND.search(pseudo.group(1)).groups()] += 1
            notify = NOTIFY.search(line)
            if notify:
                found[("notify", base(notify.group(1)), notify.group(2))] += 1
    return found


def tandem(tandemctl, xml, now):
    cmd = [tandemctl, "simulate", "--cib", xml, "--output", "json", "--actions"]
    if now:
        cmd += ["--now", now]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if run.returncode != 0:
        return None, run.stderr.strip()
    found = collections.Counter()
    for action in json.loads(run.stdout).get("graph", []):
        if action["task"] not in ("notify", "notified") or not action["runnable"]:
            continue
        if action["pseudo"]:
            kind = KIND.search(action["key"])
            if kind:
                found[("pseudo",) + kind.groups()] += 1
        else:
            found[("notify", base(action["rsc"]), action["node"])] += 1
    return found, ""


def main(argv):
    verbose = "-v" in argv
    only = None
    if "--only" in argv:
        only = re.compile(argv[argv.index("--only") + 1])
    tandemctl, corpus, floor_file = argv[1:4]
    index = os.path.join(corpus, "cases.tsv")
    if not os.path.exists(index):
        print("SKIPPED: Pacemaker's scheduler corpus is not at " + corpus)
        return 77
    with open(floor_file, encoding="utf-8") as f:
        floor = int("".join(c for c in f.read() if c.isdigit()))
    cases = []
    with open(index, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row.get("core") == "yes" and "notify" in row.get("features", "").split(","):
                if only is None or only.search(row["name"]):
                    cases.append(row)
    passed = 0
    for row in cases:
        name = row["name"]
        want = expected(os.path.join(corpus, "summary", name + ".summary"))
        got, error = tandem(tandemctl, os.path.join(corpus, "xml", name + ".xml"),
                            row.get("effective_time", ""))
        if got is None:
            print("FAIL  %s: %s" % (name, error.splitlines()[0] if error else "no output"))
            continue
        if got == want:
            passed += 1
            if verbose:
                print("ok    %s (%d notifications)" % (name, sum(want.values())))
            continue
        missing, unexpected = want - got, got - want
        print("FAIL  %s: %d missing, %d unexpected" % (name, sum(missing.values()),
                                                       sum(unexpected.values())))
        if verbose:
            for item in sorted(missing.elements()):
                print("    - " + " ".join(item))
            for item in sorted(unexpected.elements()):
                print("    + " + " ".join(item))
    print("%d of %d cases with notifications match Pacemaker's (floor %d)"
          % (passed, len(cases), floor))
    return 0 if passed >= floor else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
