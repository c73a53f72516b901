#!/usr/bin/env python3
"""Writes a Pacemaker CIB for the placement benchmarks.

N primitives on M nodes, with location rules on a node attribute and chains
of colocations, either with nothing running or with every resource running
somewhere (as its operation history shows). Start-up probes are off, so
crm_simulate and tandemctl compute the same placement work.

usage: generate_cib.py RESOURCES NODES {stopped|running} > cib.xml
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
    if len(sys.argv) != 4 or sys.argv[3] not in ("stopped", "running"):
        sys.exit(__doc__)
    resources, nodes, state = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    out = []
    w = out.append
    w('<cib crm_feature_set="3.16.2" validate-with="pacemaker-3.7" epoch="1" '
      'num_updates="0" admin_epoch="0" have-quorum="1" dc-uuid="1" '
      'execution-date="1700000000">')
    w('<configuration><crm_config><cluster_property_set id="options">')
    w('<nvpair id="o1" name="stonith-enabled" value="false"/>')
    w('<nvpair id="o2" name="enable-startup-probes" value="false"/>')
    w('</cluster_property_set></crm_config><nodes>')
    for n in range(1, nodes + 1):
        w(f'<node id="{n}" uname="node{n}"><instance_attributes id="node{n}-a">'
          f'<nvpair id="node{n}-zone" name="zone" value="z{n % ZONES}"/>'
          f'</instance_attributes></node>')
    w('</nodes><resources>')
    for r in range(1, resources + 1):
        w(f'<primitive id="rsc{r}" class="ocf" provider="pacemaker" type="Dummy">'
          f'<operations><op id="rsc{r}-mon" name="monitor" interval="10s"/></operations>'
          f'</primitive>')
    w('</resources><constraints>')
    for r in range(1, resources + 1):
        if r % RULE_EVERY == 0:
            w(f'<rsc_location id="loc{r}" rsc="rsc{r}"><rule id="loc{r}-rule" score="100">'
              f'<expression id="loc{r}-e" attribute="zone" operation="eq" '
              f'value="z{r % ZONES}"/></rule></rsc_location>')
        if r % CHAIN != 1:
            w(f'<rsc_colocation id="col{r}" rsc="rsc{r}" with-rsc="rsc{r - 1}" score="50"/>')
    w('</constraints></configuration><status>')
    for n in range(1, nodes + 1):
        w(f'<node_state id="{n}" uname="node{n}" in_ccm="true" crmd="online" '
          f'join="member" expected="member"><lrm id="{n}"><lrm_resources>')
        if state == "running":
            for r in range(n, resources + 1, nodes):
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
