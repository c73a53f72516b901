#!/usr/bin/env bash
# tandem-sidecar's command line as people use it: help, exit statuses and
# messages for bad input. Needs no root: nothing here runs an agent.
#
#   run_op_cli_test.sh TANDEM_SIDECAR SOURCE_DIR
set -uo pipefail
sidecar=$1
work=$(mktemp -d /tmp/tandem-run-op-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

failures=0
passes=0
check() {  # check EXPECTED_STATUS EXPECTED_TEXT COMMAND...
  local expected=$1 text=$2
  shift 2
  local out status
  out=$("$@" 2>&1)
  status=$?
  if [ "$status" -ne "$expected" ]; then
    failures=$((failures + 1))
    echo "FAIL: $* exited $status, expected $expected:"
    sed 's/^/    /' <<<"$out"
  elif ! grep -qF -- "$text" <<<"$out"; then
    failures=$((failures + 1))
    echo "FAIL: $* does not say: $text; it said:"
    sed 's/^/    /' <<<"$out"
  else
    passes=$((passes + 1))
    echo "ok: $*"
  fi
}

cat >"$work/web.yaml" <<'YAML'
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: web}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
---
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: db}
spec:
  agent: {ocf: {provider: heartbeat, type: Dummy}}
YAML
cat >"$work/bad.yaml" <<'YAML'
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: web}
spec:
  agent: {ocf: {provider: heartbeat, type: ../../bin/sh}}
YAML

check 0 "run-op" "$sidecar" --help
check 0 "Exit status: the agent's exit code" "$sidecar" run-op --help
check 64 "--resource is required" "$sidecar" run-op start
check 64 "\"begin\" is not an action; use start, stop" \
  "$sidecar" run-op --resource "$work/web.yaml" --name web begin
check 64 "--interval: \"often\" is not a duration" \
  "$sidecar" run-op --resource "$work/web.yaml" --name web --interval often monitor
check 64 "--timeout: must be longer than 0s" \
  "$sidecar" run-op --resource "$work/web.yaml" --name web --timeout 0 start
check 65 "holds 2 resources (web, db); choose one with --name" \
  "$sidecar" run-op --resource "$work/web.yaml" start
check 65 "no resource \"api\" in" \
  "$sidecar" run-op --resource "$work/web.yaml" --name api start
check 65 "spec.agent.ocf.type: \"../../bin/sh\" is not a valid type" \
  "$sidecar" run-op --resource "$work/bad.yaml" start
check 65 "the manifests are invalid; nothing was run" \
  "$sidecar" run-op --resource "$work/bad.yaml" start
check 65 "no such file or directory" \
  "$sidecar" run-op --resource "$work/missing.yaml" start
check 5 "is not installed" \
  "$sidecar" run-op --resource "$work/web.yaml" --name web --ocf-root "$work/ocf" \
  --state-dir "$work/state" start

echo
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
