#!/usr/bin/env python3
"""Writes a Pacemaker CIB for the placement benchmarks.

Shapes:
  primitives   N primitives on M nodes, with location rules on a node
               attribute and chains of colocations (the default);
  clones       N anonymous clones (one instance per node) on M nodes, with
               location rules, and orders and colocations between pairs of
               clones (interleaved);
  utilization  N primitives using cpu and memory on M nodes with capacities,
               placement-strategy=balanced, with location rules.
Either nothing runs or everything runs somewhere (as its operation history
shows). Start-up probes are off, so crm_simulate and tandemctl compute the
same placement work.

usage: generate_cib.py RESOURCES NODES {stopped|running} [SHAPE] > cib.xml
"""
import sys
from xml.sax.saxutils import quoteattr

CHAIN = 5       # resources per colocation chain
RULE_EVERY = 10  # every tenth resource has a location rule
ZONES = 4
# Pacemaker's op-digest of an operation without parameters: the MD5 of
# " <parameters/>\n". With it, the history matches the configuration and
# nothing restarts for a "definition change".
DIGEST = "f2317cad3d54cec5d7d7aa7d0bf35cf8"


def main():
    if len(sys.argv) not in (4, 5) or sys.argv[3] not in ("stopped", "running"):
        sys.exit(__doc__)
    resources, nodes, state = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    shape = sys.argv[4] if len(sys.argv) == 5 else "primitives"
    if shape not in ("primitives", "clones", "utilization"):
        sys.exit(__doc__)
    out = []
    w = out.append
    w('<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.7" epoch="1" '
      'num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1" '
      'execution-date="1700000000">')
    w('<configuration><crm_config><cluster_property_set id="options">')
    w('<nvpair id="o1" name="stonith-enabled" value="false"/>')
    w('<nvpair id="o2" name="enable-startup-probes" value="false"/>')
    if shape == "utilization":
        w('<nvpair id="o3" name="placement-strategy" value="balanced"/>')
    w('</cluster_property_set></crm_config><nodes>')
    for n in range(1, nodes + 1):
        w(f'<node id="{n}" uname="node{n}"><instance_attributes id="node{n}-a">'
          f'<nvpair id="node{n}-zone" name="zone" value="z{n % ZONES}"/>'
          f'</instance_attributes>')
        if shape == "utilization":
            # Room for about twice what the resources use in all.
            cpu = max(4, resources * 5 // nodes)
            w(f'<utilization id="node{n}-u"><nvpair id="node{n}-cpu" name="cpu" value="{cpu}"/>'
              f'<nvpair id="node{n}-mem" name="memory" value="{cpu * 1024}"/></utilization>')
        w('</node>')
    w('</nodes><resources>')
    for r in range(1, resources + 1):
        primitive = (f'<primitive id="rsc{r}" class="ocf" provider="pacemaker" type="Dummy">'
                     f'<operations><op id="rsc{r}-mon" name="monitor" interval="10s"/></operations>')
        if shape == "utilization":
            primitive += (f'<utilization id="rsc{r}-u"><nvpair id="rsc{r}-cpu" name="cpu" '
                          f'value="{1 + r % 4}"/><nvpair id="rsc{r}-mem" name="memory" '
                          f'value="{512 * (1 + r % 4)}"/></utilization>')
        primitive += '</primitive>'
        if shape == "clones":
            w(f'<clone id="rsc{r}-clone"><meta_attributes id="rsc{r}-clone-m">'
              f'<nvpair id="rsc{r}-clone-i" name="interleave" value="true"/>'
              f'</meta_attributes>{primitive}</clone>')
        else:
            w(primitive)
    w('</resources><constraints>')
    for r in range(1, resources + 1):
        target = f"rsc{r}-clone" if shape == "clones" else f"rsc{r}"
        if r % RULE_EVERY == 0:
            score = "-INFINITY" if shape == "clones" else "100"
            w(f'<rsc_location id="loc{r}" rsc="{target}"><rule id="loc{r}-rule" score="{score}">'
              f'<expression id="loc{r}-e" attribute="zone" operation="eq" '
              f'value="z{r % ZONES}"/></rule></rsc_location>')
        if shape == "clones":
            if r % 2 == 0:
                w(f'<rsc_order id="ord{r}" first="rsc{r - 1}-clone" then="{target}"/>')
                w(f'<rsc_colocation id="col{r}" rsc="{target}" with-rsc="rsc{r - 1}-clone" '
                  f'score="INFINITY"/>')
        elif r % CHAIN != 1:
            w(f'<rsc_colocation id="col{r}" rsc="rsc{r}" with-rsc="rsc{r - 1}" score="50"/>')
    w('</constraints></configuration><status>')
    for n in range(1, nodes + 1):
        w(f'<node_state id="{n}" uname="node{n}" in_ccm="true" crmd="online" '
          f'join="member" expected="member"><lrm id="{n}"><lrm_resources>')
        if state == "running":
            if shape == "clones":
                running = [r for r in range(1, resources + 1)
                           if not (r % RULE_EVERY == 0 and n % ZONES == r % ZONES)
                           and not (r % 2 == 0 and (r - 1) % RULE_EVERY == 0
                                    and n % ZONES == (r - 1) % ZONES)]
            else:
                running = range(n, resources + 1, nodes)
            for r in running:
                key = f'0:0;{r}:1:0:bench'
                w(f'<lrm_resource id="rsc{r}" class="ocf" provider="pacemaker" type="Dummy">'
                  f'<lrm_rsc_op id="rsc{r}_last_0" operation_key="rsc{r}_start_0" '
                  f'operation="start" transition-key="{r}:1:0:bench" '
                  f'transition-magic={quoteattr(key)} call-id="{r}" rc-code="0" '
                  f'op-status="0" interval="0" op-digest="{DIGEST}"/>'
                  f'</lrm_resource>')
        w('</lrm_resources></lrm></node_state>')
    w('</status></cib>')
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
