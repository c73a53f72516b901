#!/usr/bin/env python3
"""Checks a witness log (witness.py): a singleton never ran on two nodes at
once. A copy's run is the span from its first to its last line; a gap of
more than GAP_MS between two lines of one node splits its runs (a node that
was paused and resumed shows as two). Prints every run and exits 1 when two
runs of different nodes overlap.

    check_witness.py LOG [GAP_MS]
"""
import sys

log = sys.argv[1]
gap = int(sys.argv[2]) if len(sys.argv) > 2 else 500
runs = []  # [node, first_ms, last_ms]
open_run = {}
with open(log) as f:
    for line in f:
        parts = line.split()
        if len(parts) == 3 and parts[1] == "stop":
            node, ms = parts[0], int(parts[2])
            if node in open_run:
                open_run.pop(node)[2] = ms
            continue
        if len(parts) != 2:
            continue
        node, ms = parts[0], int(parts[1])
        run = open_run.get(node)
        if run is None or ms - run[2] > gap:
            run = [node, ms, ms]
            runs.append(run)
            open_run[node] = run
        else:
            run[2] = ms
runs.sort(key=lambda r: r[1])
for node, first, last in runs:
    print(f"witness: {node} ran from {first} to {last} ({last - first} ms)")
bad = 0
for i, a in enumerate(runs):
    for b in runs[i + 1:]:
        if a[0] != b[0] and b[1] <= a[2]:
            print(f"witness: OVERLAP: {a[0]} ran until {a[2]} but {b[0]} started at {b[1]}")
            bad = 1
sys.exit(bad)
