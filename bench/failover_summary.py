#!/usr/bin/env python3
"""Summarises bench/failover.sh's results.tsv as Markdown tables.

Rows: stack, token, coefficient, trial, victim, dc, new node, total ms,
membership ms (-1 when the survivors' logs did not show it). Percentiles are
nearest-rank on the sorted trials (with 20 trials, p99 is the slowest).
"""

import collections
import sys


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(v):
    return f"{v:,} ms"


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: failover_summary.py RESULTS.tsv")
    groups = collections.OrderedDict()
    with open(sys.argv[1]) as f:
        for number, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 9:
                sys.exit(f"{sys.argv[1]}:{number}: expected 9 tab-separated fields, got {len(fields)}")
            stack, token, coefficient, _, victim, dc, _, total, membership = fields
            groups.setdefault((token, coefficient), collections.OrderedDict()).setdefault(stack, []).append(
                (int(total), int(membership), victim == dc))
    print("| stack | token / coefficient | trials | p50 | p99 | min | max | membership p50 | rest p50 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (token, coefficient), stacks in groups.items():
        for stack, rows in stacks.items():
            totals = [r[0] for r in rows]
            known = [r for r in rows if r[1] >= 0]
            member = ms(pct([r[1] for r in known], 50)) if known else "n/a"
            rest = ms(pct([r[0] - r[1] for r in known], 50)) if known else "n/a"
            print(f"| {stack} | {token} ms / {coefficient} | {len(rows)} | {ms(pct(totals, 50))} | "
                  f"{ms(pct(totals, 99))} | {ms(min(totals))} | {ms(max(totals))} | {member} | {rest} |")
    print()
    for (token, coefficient), stacks in groups.items():
        pacemaker = stacks.get("pacemaker")
        if pacemaker:
            dc = [r[0] for r in pacemaker if r[2]]
            other = [r[0] for r in pacemaker if not r[2]]
            parts = []
            if dc:
                parts.append(f"the DC's node killed in {len(dc)}: p50 {ms(pct(dc, 50))}")
            if other:
                parts.append(f"another node in {len(other)}: p50 {ms(pct(other, 50))}")
            print(f"- token {token} / {coefficient}, pacemaker: " + "; ".join(parts))
        if "tandem" in stacks and "pacemaker" in stacks:
            t = [r[0] for r in stacks["tandem"]]
            p = [r[0] for r in stacks["pacemaker"]]
            print(f"- token {token} / {coefficient}: pacemaker ÷ tandem: p50 {pct(p, 50) / pct(t, 50):.2f}×, "
                  f"p99 {pct(p, 99) / pct(t, 99):.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
