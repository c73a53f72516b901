#!/usr/bin/env python3
"""Summarises bench/failover.sh's results.tsv as Markdown tables.

Rows: stack, token, coefficient, trial, victim, dc, new node, ms until the
status showed it started elsewhere, ms until the survivors had logged the
new membership, ms until a client's connection to the service address was
accepted (-1 when not seen). Percentiles are nearest-rank on the sorted
trials (with 20 trials, p99 is the slowest).
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
            if len(fields) != 10:
                sys.exit(f"{sys.argv[1]}:{number}: expected 10 tab-separated fields, got {len(fields)}")
            stack, token, coefficient, _, victim, dc, _, total, membership, answered = fields
            groups.setdefault((token, coefficient), collections.OrderedDict()).setdefault(stack, []).append(
                (int(total), int(membership), victim == dc, int(answered)))
    print("Kill → started elsewhere (the stack's status), and → a client's connection accepted on the address:")
    print()
    print("| stack | token / coefficient | trials | started p50 | p99 | min | max "
          "| answers p50 | p99 | membership p50 | started − membership p50 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (token, coefficient), stacks in groups.items():
        for stack, rows in stacks.items():
            totals = [r[0] for r in rows]
            known = [r for r in rows if r[1] >= 0]
            member = ms(pct([r[1] for r in known], 50)) if known else "n/a"
            rest = ms(pct([r[0] - r[1] for r in known], 50)) if known else "n/a"
            answers = [r[3] for r in rows if r[3] >= 0]
            a50, a99 = (ms(pct(answers, 50)), ms(pct(answers, 99))) if answers else ("n/a", "n/a")
            if len(answers) < len(rows):
                a50 += f" ({len(answers)} of {len(rows)})"
            print(f"| {stack} | {token} ms / {coefficient} | {len(rows)} | {ms(pct(totals, 50))} | "
                  f"{ms(pct(totals, 99))} | {ms(min(totals))} | {ms(max(totals))} | {a50} | {a99} "
                  f"| {member} | {rest} |")
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
            for i, what in ((0, "started"), (3, "answers")):
                t = [r[i] for r in stacks["tandem"] if r[i] >= 0]
                p = [r[i] for r in stacks["pacemaker"] if r[i] >= 0]
                if t and p:
                    print(f"- token {token} / {coefficient}, {what}: pacemaker ÷ tandem: "
                          f"p50 {pct(p, 50) / pct(t, 50):.2f}×, p99 {pct(p, 99) / pct(t, 99):.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
