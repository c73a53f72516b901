#!/usr/bin/env bash
# tandemctl as users run it: exit statuses, exact messages, and the output of
# one command fed to another. Usage: tandemctl_test.sh TANDEMCTL SOURCE_DIR
set -uo pipefail

tandemctl=$1
src=$2
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

# --- help and usage errors --------------------------------------------------
run "help exits 0" 0 "$tandemctl" --help
expect_contains "help lists validate" "$work/out" "validate"
for command in validate show schema; do
  run "$command --help exits 0" 0 "$tandemctl" "$command" --help
done
run "version exits 0" 0 "$tandemctl" --version
run "no command is a usage error" 2 "$tandemctl"
run "an unknown command is a usage error" 2 "$tandemctl" frobnicate
run "an unknown option is a usage error" 2 "$tandemctl" validate --frobnicate "$src/examples"
run "validate without paths is a usage error" 2 "$tandemctl" validate
run "a bad output format is a usage error" 2 "$tandemctl" validate -o xml "$src/examples"
# Checked before any operator is asked (none listens on port 9 of loopback).
run "maintenance without on or off is a usage error" 2 "$tandemctl" maintenance node1 \
  --operator http://127.0.0.1:9
expect_contains "maintenance says what it expects" "$work/err" "tandemctl maintenance NODE on|off"
run "maintenance with a state other than on or off is a usage error" 2 "$tandemctl" maintenance node1 \
  maybe --operator http://127.0.0.1:9
expect_contains "maintenance names the bad state" "$work/err" "expected on or off, got maybe"
run "maintenance --cluster with a node is a usage error" 2 "$tandemctl" maintenance --cluster \
  node1 on --operator http://127.0.0.1:9
expect_contains "maintenance --cluster names the node" "$work/err" "--cluster takes no node (got node1)"
run "unmanage without a resource is a usage error" 2 "$tandemctl" unmanage

run "a missing path is a usage error" 2 "$tandemctl" validate "$work/nope.yaml"
expect_file "a missing path is named" "$work/err" \
  "tandemctl validate: $work/nope.yaml: no such file or directory"
mkdir "$work/empty"
run "a directory without manifests is a usage error" 2 "$tandemctl" validate "$work/empty"
expect_file "an empty directory is named" "$work/err" \
  "tandemctl validate: $work/empty: no .yaml, .yml or .json files in this directory"

# --- validate -----------------------------------------------------------------
run "the examples are valid" 0 "$tandemctl" validate "$src/examples"
expect_file "valid input is summarised" "$work/out" "valid: 44 objects in 15 files"
run "quiet prints nothing when valid" 0 "$tandemctl" validate -q "$src/examples"
expect_file "quiet output is empty" "$work/out" ""

mkdir "$work/bad"
cat >"$work/bad/web.yaml" <<'YAML'
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: web
spec:
  agent:
    ocf: {provider: heartbeat, type: apache}
  operations:
    - name: start
    - name: monitor
      interval: 10x
---
apiVersion: tandem.dev/v1alpha1
kind: HAGroup
metadata:
  name: web-stack
spec:
  resources: [vip, web]
YAML
cat >"$work/bad/vip.yaml" <<'YAML'
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata:
  name: vip
spec:
  agent:
    ocf: {provider: heartbeat, type: IPaddr2}
  params:
    cidr_netmask: 24
YAML
(cd "$work/bad" && run "invalid input exits 1" 1 "$tandemctl" validate web.yaml vip.yaml)
expect_file "every problem in every file is reported, in file order" "$work/err" \
'web.yaml: HAResource default/web: spec.operations[1].interval: "10x" is not a duration
vip.yaml: HAResource default/vip: spec.params.cidr_netmask: expected a string, got the integer 24 (quote it: "24")
invalid: 2 errors (3 objects in 2 files)'

run "directories are named in the messages" 1 "$tandemctl" validate "$work/bad"
expect_contains "directory paths in messages" "$work/err" \
  "$work/bad/web.yaml: HAResource default/web: spec.operations[1].interval"

run "json output exits 1 for invalid input" 1 "$tandemctl" validate -o json "$work/bad"
python3 - "$work/out" <<'PY' || { echo "FAIL json report"; failures=$((failures + 1)); }
import json, sys
report = json.load(open(sys.argv[1]))
assert report["valid"] is False, report
assert report["files"] == 2 and report["objects"] == 3, report
# Files in a directory are read in name order: vip.yaml, then web.yaml.
assert [e["file"].rsplit("/", 1)[1] for e in report["errors"]] == ["vip.yaml", "web.yaml"], report
first = report["errors"][1]
assert first["line"] == 11 and first["column"] == 17, first
assert first["path"] == "spec.operations[1].interval", first
assert first["object"] == "HAResource default/web", first
assert first["message"] == '"10x" is not a duration', first
PY

for file in "$src/examples/two-node-web/"*.yaml; do
  cat "$file"
  echo "---"
done >"$work/stdin.yaml"
"$tandemctl" validate - <"$work/stdin.yaml" >"$work/out" 2>"$work/err"
status=$?
if [ "$status" -ne 0 ]; then echo "FAIL standard input: exit $status"; failures=$((failures + 1)); else echo "ok   standard input is read with -"; fi
expect_file "standard input is summarised" "$work/out" "valid: 6 objects in 1 file"

# --- show -----------------------------------------------------------------------
run "show prints the examples" 0 "$tandemctl" show "$src/examples"
cp "$work/out" "$work/shown.yaml"
expect_contains "show fills in defaults" "$work/shown.yaml" "migrationThreshold: INFINITY"
expect_contains "show derives totem timers" "$work/shown.yaml" "consensus: 1200ms"
run "what show prints is valid" 0 "$tandemctl" validate "$work/shown.yaml"
"$tandemctl" show "$work/shown.yaml" >"$work/shown-again.yaml" 2>/dev/null
if ! cmp -s "$work/shown.yaml" "$work/shown-again.yaml"; then
  echo "FAIL show is not a fixed point"
  failures=$((failures + 1))
else
  echo "ok   show of show prints the same"
fi
run "show refuses invalid input" 1 "$tandemctl" show "$work/bad"
expect_contains "show says why" "$work/err" "the manifests are invalid; nothing shown"

# --- schema ---------------------------------------------------------------------
run "schema crds prints five CRDs" 0 "$tandemctl" schema crds
count=$(grep -c '^kind: CustomResourceDefinition$' "$work/out")
[ "$count" -eq 5 ] || { echo "FAIL expected 5 CRDs, got $count"; failures=$((failures + 1)); }
run "schema reference prints markdown" 0 "$tandemctl" schema reference
expect_contains "reference has a table" "$work/out" "| Field | Type | Default | Description |"
run "schema with an unknown subject is a usage error" 2 "$tandemctl" schema everything

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
