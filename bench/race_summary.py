#!/usr/bin/env python3
"""Summarises race_corosync.sh's results.tsv as the tables of docs/benchmarks.md.

Each line: scenario, system, token, token_coefficient, trial (or node), value.
Times are milliseconds; idle-cpu is hundredths of a percent of one core;
idle-rss is KiB.
"""

import statistics
import sys
from collections import defaultdict

NODES = {"kill": 3, "partition": 5, "idle-cpu": 3, "idle-rss": 3}


def timers(scenario, token, coefficient):
    """The effective token and consensus, as corosync derives them."""
    token = 3000 if token == "default" else int(token)
    coefficient = 650 if coefficient == "default" else int(coefficient)
    nodes = NODES[scenario]
    effective = token + (nodes - 2) * coefficient if nodes >= 3 else token
    return effective, effective * 12 // 10


def main(path):
    values = defaultdict(list)
    with open(path) as f:
        for line in f:
            scenario, system, token, coefficient, _, value = line.split("\t")
            values[(scenario, token, coefficient, system)].append(int(value))
    configs = sorted({k[:3] for k in values}, key=lambda k: (k[0], -int(k[1]), k[2]))

    def stats(key):
        v = values.get(key)
        if not v:
            return None
        return statistics.median(v), min(v), max(v), len(v)

    for scenario, title in (("kill", "kill -9 of one of three"),
                            ("partition", "2|3 partition of five")):
        rows = [c for c in configs if c[0] == scenario]
        if not rows:
            continue
        print(f"\n{title}: ms from the event until every node concerned logged its new membership")
        print("\n| token / coefficient | effective token + consensus | corosync median (min–max) "
              "| tandem median (min–max) | tandem − corosync | goal: ≤ token + consensus + 50 |")
        print("|---|---:|---:|---:|---:|---|")
        for c in rows:
            eff, consensus = timers(*c)
            cs, ts = stats(c + ("corosync",)), stats(c + ("tandem",))
            fmt = lambda s: "–" if s is None else f"{s[0]:.0f} ({s[1]}–{s[2]}), n={s[3]}"
            delta = "–" if not (cs and ts) else f"{ts[0] - cs[0]:+.0f}"
            bound = eff + consensus + 50
            goal = "–" if ts is None else (
                f"met (max {ts[2]} ≤ {bound})" if ts[2] <= bound else
                f"median {'met' if ts[0] <= bound else 'missed'}, max {ts[2]} > {bound}")
            print(f"| {c[1]} / {c[2]} | {eff} + {consensus} = {eff + consensus} | {fmt(cs)} "
                  f"| {fmt(ts)} | {delta} | {goal} |")

    rows = [c for c in configs if c[0] == "idle-cpu"]
    if rows:
        print("\nIdle, three nodes: per process, over the idle window (min–max of the three)")
        print("\n| token / coefficient | corosync CPU % | tandem CPU % | corosync RSS MiB "
              "| tandem RSS MiB |")
        print("|---|---:|---:|---:|---:|")
        for c in rows:
            cells = []
            for kind, scale, digits in (("idle-cpu", 100, 2), ("idle-rss", 1024, 1)):
                for system in ("corosync", "tandem"):
                    v = values.get((kind,) + c[1:] + (system,))
                    cells.append("–" if not v else
                                 f"{min(v) / scale:.{digits}f}–{max(v) / scale:.{digits}f}")
            print(f"| {c[1]} / {c[2]} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")


if __name__ == "__main__":
    main(sys.argv[1])
