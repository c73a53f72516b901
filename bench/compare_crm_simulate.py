#!/usr/bin/env python3
"""Times crm_simulate and tandemctl simulate on the same generated CIBs.

For each size (resources x nodes) and state (nothing running, everything
running) it writes the CIB with generate_cib.py, runs each tool REPEAT times
alternately (these machines are noisy) and reports the median wall time,
then checks that both tools decide the same actions.

usage: compare_crm_simulate.py TANDEMCTL [--repeat N] [--sizes 1000x16,...]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "pacemaker-scheduler")


def timed(command, env):
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"{command[0]} failed: {result.stderr.decode()[-2000:]}")
    return elapsed, result.stdout


def action_keys(actions):
    return sorted((a["op"], a.get("rsc"), a.get("from_node"), a.get("to_node")) for a in actions)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tandemctl")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1000x16,5000x32,10000x64")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="tandem-bench-")
    env = dict(os.environ, CIB_shadow_dir=work)
    print(f"{'cluster':>22} {'crm_simulate':>13} {'tandemctl':>11} {'speed-up':>9}  same actions")
    for size in args.sizes.split(","):
        resources, nodes = size.split("x")
        for state in ("stopped", "running"):
            cib = os.path.join(work, f"{size}-{state}.xml")
            with open(cib, "w") as out:
                subprocess.run([sys.executable, os.path.join(HERE, "generate_cib.py"), resources,
                                nodes, state], stdout=out, check=True)
            crm_times, tandem_times = [], []
            crm_out = tandem_out = b""
            for _ in range(args.repeat):
                t, crm_out = timed(["crm_simulate", "-R", "-x", cib], env)
                crm_times.append(t)
                t, tandem_out = timed([args.tandemctl, "simulate", "--cib", cib, "--output",
                                       "json"], env)
                tandem_times.append(t)
            crm = statistics.median(crm_times)
            tandem = statistics.median(tandem_times)
            same = "?"
            norm = os.path.join(SHARED, "pcmk_norm.py")
            if os.path.exists(norm):
                normalized = subprocess.run([sys.executable, norm, "--cib", cib], input=crm_out,
                                            stdout=subprocess.PIPE, check=True).stdout
                same = "yes" if action_keys(json.loads(normalized)["actions"]) == action_keys(
                    json.loads(tandem_out)["actions"]) else "NO"
            label = f"{resources} x {nodes} {state}"
            print(f"{label:>22} {crm * 1000:>10.0f} ms {tandem * 1000:>8.1f} ms "
                  f"{crm / tandem:>8.0f}x  {same}", flush=True)


if __name__ == "__main__":
    main()
