#!/usr/bin/env bash
# tandemctl import-cib and simulate from manifests, as users run them: exit
# statuses, messages, and, for cases of Pacemaker's scheduler corpus (in
# ../shared beside the checkout), that the imported manifests validate and
# simulate to the same actions as the CIB itself.
# Usage: import_cib_test.sh TANDEMCTL SOURCE_DIR
set -uo pipefail

tandemctl=$1
src=$2
corpus="$src/../shared/pacemaker-scheduler"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# run NAME EXPECTED_STATUS COMMAND...: runs COMMAND, keeps its output in
# $work/out and $work/err, and checks its exit status.
run() {
  local name=$1 expected=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err" </dev/null
  local status=$?
  if [ "$status" -ne "$expected" ]; then
    echo "FAIL $name: exit status $status, expected $expected"
    sed 's/^/  stdout: /' "$work/out" | head -20
    sed 's/^/  stderr: /' "$work/err" | head -20
    failures=$((failures + 1))
    return 1
  fi
  echo "ok   $name"
}

# expect_file NAME FILE EXPECTED_TEXT: FILE's content equals the text.
expect_file() {
  local name=$1 file=$2 expected=$3
  if [ "$(cat "$file")" != "$expected" ]; then
    echo "FAIL $name: unexpected output"
    diff <(printf '%s\n' "$expected") "$file" | sed 's/^/  /'
    failures=$((failures + 1))
  fi
}

expect_contains() {
  local name=$1 file=$2 text=$3
  if ! grep -qF -- "$text" "$file"; then
    echo "FAIL $name: output lacks: $text"
    sed 's/^/  /' "$file" | head -20
    failures=$((failures + 1))
  fi
}

# same_actions NAME CIB_JSON MANIFEST_JSON NOTES: the two transitions have
# the same actions once the Kubernetes names in the second are mapped back
# to Pacemaker's ids (import-cib's notes list every renaming). Reasons are
# left out, as the corpus scorer leaves them out.
same_actions() {
  python3 - "$2" "$3" "$4" <<'PY' || { echo "FAIL $1: different actions"; failures=$((failures + 1)); return 1; }
import json, re, sys
cib, manifests, notes = sys.argv[1:4]
back = {}
for line in open(notes):
    m = re.match(r'note: (?:node|resource|group) "([^"]*)" is named (\S+) ', line)
    if m:
        back[m.group(2)] = m.group(1)
def actions(path, names):
    out = []
    for action in json.load(open(path))["actions"]:
        action = {k: names.get(v, v) if k in ("rsc", "node", "from_node", "to_node") else v
                  for k, v in action.items() if k != "reason"}
        out.append(json.dumps(action, sort_keys=True))
    return sorted(out)
expected, got = actions(cib, {}), actions(manifests, back)
if expected != got:
    print("  --cib:      " + "\n              ".join(expected))
    print("  manifests:  " + "\n              ".join(got))
    sys.exit(1)
PY
  echo "ok   $1"
}

# --- a small cluster whose ids are not Kubernetes names --------------------------
cat >"$work/cib.xml" <<'XML'
<cib have-quorum="1" dc-uuid="1" execution-date="1700000000">
  <configuration>
    <crm_config>
      <cluster_property_set id="options">
        <nvpair id="options-stonith" name="stonith-enabled" value="false"/>
      </cluster_property_set>
    </crm_config>
    <nodes>
      <node id="1" uname="Node_A"/>
      <node id="2" uname="node-b"/>
    </nodes>
    <resources>
      <group id="Web_Group">
        <primitive id="IP_1" class="ocf" provider="heartbeat" type="IPaddr2">
          <instance_attributes id="IP_1-params">
            <nvpair id="IP_1-ip" name="ip" value="192.0.2.10"/>
          </instance_attributes>
          <operations>
            <op id="IP_1-monitor" name="monitor" interval="10s"/>
          </operations>
        </primitive>
        <primitive id="Web_1" class="ocf" provider="heartbeat" type="apache"/>
      </group>
    </resources>
    <constraints>
      <rsc_location id="Prefer_A" rsc="Web_Group" node="Node_A" score="100"/>
    </constraints>
  </configuration>
  <status>
    <node_state id="1" uname="Node_A" in_ccm="true" crmd="online" join="member" expected="member">
      <lrm id="1">
        <lrm_resources>
          <lrm_resource id="IP_1" class="ocf" provider="heartbeat" type="IPaddr2">
            <lrm_rsc_op id="IP_1_last_0" operation="start" interval="0" rc-code="0" op-status="0"
              call-id="2" transition-key="1:1:0:x"/>
          </lrm_resource>
          <lrm_resource id="Web_1" class="ocf" provider="heartbeat" type="apache">
            <lrm_rsc_op id="Web_1_last_0" operation="start" interval="0" rc-code="0" op-status="0"
              call-id="3" transition-key="2:1:0:x"/>
          </lrm_resource>
        </lrm_resources>
      </lrm>
    </node_state>
    <node_state id="2" uname="node-b" in_ccm="true" crmd="online" join="member" expected="member"/>
  </status>
</cib>
XML

run "import-cib --help exits 0" 0 "$tandemctl" import-cib --help
run "import-cib writes manifests to standard output" 0 "$tandemctl" import-cib "$work/cib.xml"
cp "$work/out" "$work/imported.yaml"
expect_contains "ids become Kubernetes names" "$work/imported.yaml" "name: web-group"
expect_contains "the Pacemaker id is kept" "$work/imported.yaml" "tandem.dev/pacemaker-id: Web_Group"
expect_contains "group members follow" "$work/imported.yaml" "    - web-1"
expect_file "every renaming is a note" "$work/err" \
'note: node "Node_A" is named node-a (annotation tandem.dev/pacemaker-id)
note: resource "IP_1" is named ip-1 (annotation tandem.dev/pacemaker-id)
note: resource "Web_1" is named web-1 (annotation tandem.dev/pacemaker-id)
note: group "Web_Group" is named web-group (annotation tandem.dev/pacemaker-id)
note: constraint "Prefer_A" is named prefer-a (annotation tandem.dev/pacemaker-id)'
run "what import-cib writes is valid" 0 "$tandemctl" validate "$work/imported.yaml"
expect_file "valid output is summarised" "$work/out" "valid: 7 objects in 1 file"

run "import-cib --out writes one file per kind" 0 \
  "$tandemctl" import-cib "$work/cib.xml" --out "$work/cluster" --observed "$work/observed.yaml"
expect_file "the files of --out" <(cd "$work/cluster" && ls) \
'cluster.yaml
constraints.yaml
groups.yaml
nodes.yaml
resources.yaml'
run "the --out directory is valid" 0 "$tandemctl" validate "$work/cluster"
expect_contains "the observed state names the renamed node" "$work/observed.yaml" "- name: node-a"
expect_contains "the observed state keeps the time" "$work/observed.yaml" "now: 2023-11-14T22:13:20Z"

run "simulate --cib" 0 "$tandemctl" simulate --cib "$work/cib.xml" -o json
cp "$work/out" "$work/from-cib.json"
run "simulate manifests --observed" 0 \
  "$tandemctl" simulate "$work/cluster" --observed "$work/observed.yaml" -o json
cp "$work/out" "$work/from-manifests.json"
"$tandemctl" import-cib "$work/cib.xml" >/dev/null 2>"$work/notes"
same_actions "manifests and observed state simulate as the CIB does" \
  "$work/from-cib.json" "$work/from-manifests.json" "$work/notes"

# What if node-a went offline?
sed '/- name: node-a/,/state:/ s/state: online/state: offline/' "$work/observed.yaml" \
  >"$work/node-a-offline.yaml"
run "simulate a what-if" 0 "$tandemctl" simulate "$work/cluster" --observed "$work/node-a-offline.yaml"
expect_file "the group moves to the other node" "$work/out" \
'Transition Summary:
  * Start ip-1 ( node-b )
  * Start web-1 ( node-b )'

# --- import-cib: bad input --------------------------------------------------------
run "import-cib without a CIB is a usage error" 2 "$tandemctl" import-cib
run "a missing CIB is a usage error" 2 "$tandemctl" import-cib "$work/nope.xml"
expect_file "a missing CIB is named" "$work/err" "tandemctl import-cib: cannot read $work/nope.xml"
echo "not xml <" >"$work/junk.xml"
run "a file that is not XML is invalid" 1 "$tandemctl" import-cib "$work/junk.xml"
expect_contains "says it is not a CIB" "$work/err" "$work/junk.xml: not a CIB: XML error"

sed -e 's|</resources>|<bundle id="web-bundle"/></resources>|' \
  -e 's|</constraints>|<rsc_ticket id="t" rsc="Web_Group" ticket="T"/></constraints>|' \
  "$work/cib.xml" >"$work/unsupported.xml"
run "unsupported features are an error" 1 "$tandemctl" import-cib "$work/unsupported.xml"
expect_file "every unsupported feature is named" "$work/err" \
"tandemctl import-cib: $work/unsupported.xml: cannot import:
<bundle> \"web-bundle\": bundles are not supported
<rsc_ticket> \"t\": tickets are not supported
nothing written: Tandem does not support the features above"
expect_file "nothing is written on error" "$work/out" ""
run "nothing is written into --out on error" 1 \
  "$tandemctl" import-cib "$work/unsupported.xml" --out "$work/not-created" --observed "$work/no.yaml"
[ ! -e "$work/not-created" ] && [ ! -e "$work/no.yaml" ] ||
  { echo "FAIL files were written despite the error"; failures=$((failures + 1)); }

sed 's|<rsc_location id="Prefer_A" rsc="Web_Group"|<rsc_location id="Prefer_A" rsc-pattern="^Web_"|' \
  "$work/cib.xml" >"$work/pattern.xml"
run "a pattern that renaming would break is an error" 1 "$tandemctl" import-cib "$work/pattern.xml"
expect_contains "the pattern is named" "$work/err" \
  '<rsc_location> "Prefer_A": rsc-pattern "^Web_" selects other resources once they have Kubernetes names (before: Web_Group; after: none)'

run "--out refuses a directory that is not empty" 2 \
  "$tandemctl" import-cib "$work/cib.xml" --out "$work/cluster"
expect_file "says why" "$work/err" \
  "tandemctl import-cib: $work/cluster: directory is not empty; --out takes a new or empty directory"
run "--observed refuses to overwrite a file" 2 \
  "$tandemctl" import-cib "$work/cib.xml" --observed "$work/observed.yaml"
expect_file "says why" "$work/err" \
  "tandemctl import-cib: $work/observed.yaml: exists; remove it or name another file for --observed"

# --- simulate: usage and bad input ------------------------------------------------
run "simulate with neither --cib nor manifests is a usage error" 2 "$tandemctl" simulate
expect_file "says what to give" "$work/err" \
  "tandemctl simulate: give --cib FILE, or manifests and --observed FILE"
run "--cib and manifests together are a usage error" 2 \
  "$tandemctl" simulate --cib "$work/cib.xml" "$work/cluster" --observed "$work/observed.yaml"
expect_file "says they exclude each other" "$work/err" \
  "tandemctl simulate: give either --cib FILE or manifests with --observed FILE, not both"
run "--observed with --cib is a usage error" 2 \
  "$tandemctl" simulate --cib "$work/cib.xml" --observed "$work/observed.yaml"
expect_file "says the CIB has its own status" "$work/err" \
  "tandemctl simulate: --observed goes with manifests; a CIB has its own status section"
run "manifests without --observed are a usage error" 2 "$tandemctl" simulate "$work/cluster"
expect_contains "says what is missing" "$work/err" \
  "tandemctl simulate: manifests need --observed FILE"
run "a missing observed-state file is a usage error" 2 \
  "$tandemctl" simulate "$work/cluster" --observed "$work/nope.yaml"
expect_file "the file is named" "$work/err" \
  "tandemctl simulate: $work/nope.yaml: cannot open for reading"

sed -e 's/state: online/state: onlin/' -e 's/callId: 3/callId: three/' \
  "$work/observed.yaml" >"$work/bad-observed.yaml"
run "a bad observed-state file is invalid" 1 \
  "$tandemctl" simulate "$work/cluster" --observed "$work/bad-observed.yaml"
expect_file "every problem is located by file, line, column and field" "$work/err" \
"$work/bad-observed.yaml:8:12: nodes[0].state: \"onlin\" is not one of: online, offline, unclean, pending, shutdown, unseen (did you mean \"online\"?)
$work/bad-observed.yaml:24:21: nodes[0].resources[1].operations[0].callId: expected an integer, got the string \"three\"
$work/bad-observed.yaml:27:12: nodes[1].state: \"onlin\" is not one of: online, offline, unclean, pending, shutdown, unseen (did you mean \"online\"?)
tandemctl simulate: the observed state is invalid; nothing simulated"

sed 's/- name: node-b/- name: node-c/' "$work/observed.yaml" >"$work/unknown-node.yaml"
run "an observed node that the manifests lack is invalid" 1 \
  "$tandemctl" simulate "$work/cluster" --observed "$work/unknown-node.yaml"
expect_contains "the node is named" "$work/err" \
  "nodes[1].name: node \"node-c\" is not in the manifests"

cp -r "$work/cluster" "$work/cloned"
cat >>"$work/cloned/resources.yaml" <<'YAML'
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: ping
spec:
  agent:
    ocf: {provider: pacemaker, type: ping}
  clone: {promotable: {}}
YAML
run "manifests with a promotable clone are not simulated yet" 1 \
  "$tandemctl" simulate "$work/cloned" --observed "$work/observed.yaml"
expect_contains "the clone is named" "$work/err" \
  "HAResource default/ping: spec.clone.promotable: promotable clones are not simulated yet"

run "invalid manifests are not simulated" 1 \
  "$tandemctl" simulate "$work/observed.yaml" --observed "$work/observed.yaml"
expect_contains "the manifest error is shown" "$work/err" \
  '"ObservedState" is not a Tandem kind'

# --- Pacemaker's corpus: import, validate, simulate both ways ---------------------
if [ ! -d "$corpus/xml" ]; then
  echo "SKIPPED corpus comparisons: Pacemaker's scheduler corpus is not at $corpus"
else
  # Groups, colocations, orders, location rules, failures and fail counts,
  # unclean, pending, shutting-down and never-seen nodes, fencing.
  for name in group-colocation-failure bug-n-385265-2 group6 coloc-attr per-op-failcount \
    rec-node-4 stonith-4 systemhealth2; do
    xml="$corpus/xml/$name.xml"
    dir="$work/corpus-$name"
    run "$name: import-cib" 0 "$tandemctl" import-cib "$xml" --out "$dir" \
      --observed "$dir.observed.yaml" || continue
    cp "$work/err" "$dir.notes"
    run "$name: the imported manifests are valid" 0 "$tandemctl" validate "$dir"
    run "$name: simulate --cib" 0 "$tandemctl" simulate --cib "$xml" -o json || continue
    cp "$work/out" "$dir.cib.json"
    run "$name: simulate the imported manifests" 0 \
      "$tandemctl" simulate "$dir" --observed "$dir.observed.yaml" -o json || continue
    same_actions "$name: the same actions both ways" "$dir.cib.json" "$work/out" "$dir.notes"
  done
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
