#!/usr/bin/env bash
# tandem-sidecar membership and status as an operator meets them when
# something is wrong: exit statuses and the exact messages.
#
#   cli_test.sh TANDEM_SIDECAR
set -uo pipefail

sidecar=$1
work=$(mktemp -d /tmp/tandem-membership-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT

failures=0
# expect STATUS MESSAGE COMMAND...: the command exits STATUS and its stderr
# contains MESSAGE.
expect() {
  local want=$1 message=$2
  shift 2
  local err rc
  err=$("$@" 2>&1 >/dev/null)
  rc=$?
  if [ "$rc" -ne "$want" ] || ! grep -qF -- "$message" <<<"$err"; then
    failures=$((failures + 1))
    echo "FAIL: $* exited $rc (expected $want) with:"
    echo "$err"
    echo "  expected to contain: $message"
  else
    echo "ok: $message"
  fi
}

conf() {
  cat <<CONF
totem {
    cluster_name: cli
    $1
}
nodelist {
    node {
        nodeid: 1
        ring0_addr: 127.0.0.1
    }
}
CONF
}

conf "token: 3s" >"$work/bad.conf"
expect 65 "$work/bad.conf:3: totem.token: expected a whole number, got \"3s\"" \
  "$sidecar" membership --config "$work/bad.conf" --state-dir "$work/s"

conf "crypto_hash: sha256" >"$work/hash.conf"
expect 65 "$work/missing: cannot open the authkey: No such file or directory (make one with corosync-keygen -k $work/missing)" \
  "$sidecar" membership --config "$work/hash.conf" --authkey "$work/missing" --state-dir "$work/s"

head -c 100 /dev/urandom >"$work/short"
expect 65 "$work/short: an authkey has 128 to 4096 bytes, this one has 100" \
  "$sidecar" membership --config "$work/hash.conf" --authkey "$work/short" --state-dir "$work/s"

conf "crypto_cipher: aes256
    crypto_hash: none" >"$work/cipher.conf"
expect 65 "totem.crypto_cipher: encryption needs authentication: set totem.crypto_hash to sha256" \
  "$sidecar" membership --config "$work/cipher.conf" --state-dir "$work/s"

conf "crypto_hash: sha1" >"$work/sha1.conf"
expect 65 "totem.crypto_hash: \"sha1\" is not supported (use none or sha256)" \
  "$sidecar" membership --config "$work/sha1.conf" --state-dir "$work/s"

conf "token: 300" >"$work/plain.conf"
expect 65 "tandem-sidecar membership: --node-id 7 is not in the nodelist" \
  "$sidecar" membership --config "$work/plain.conf" --node-id 7 --state-dir "$work/s"

expect 1 "$work/none/status.json does not exist: is 'tandem-sidecar membership --state-dir $work/none' running?" \
  "$sidecar" status --state-dir "$work/none"

mkdir -p "$work/stale"
# A status file whose process has ended (PID 0 never runs a program).
python3 - "$work/stale/status.json" <<'PY'
import json, sys
json.dump({"version": 1, "pid": 0, "cluster_name": "cli", "node_id": 1, "state": "OPERATIONAL",
           "ring_id": "1.4", "ring": {"representative": 1, "sequence": 4}, "quorate": True,
           "expected_votes": 1, "highest_expected": 1, "total_votes": 1, "quorum": 1,
           "flags": ["Quorate"], "members": [{"node_id": 1, "votes": 1, "name": "a", "local": True}],
           "transport": {"sent": 0, "send_errors": 0, "received": 0, "accepted": 0, "rejected": 0,
                         "dropped": {k: 0 for k in ["malformed", "crypto_mismatch", "wrong_cluster",
                                                    "bad_mac", "unknown_node", "wrong_address",
                                                    "replayed"]}},
           "updated_unix_ms": 0}, open(sys.argv[1], "w"))
PY
expect 1 "tandem-sidecar status: the membership is not running ($work/stale/status.json was written by pid 0, which has ended" \
  "$sidecar" status --state-dir "$work/stale"

echo "not json" >"$work/stale/status.json"
expect 1 "$work/stale/status.json: not a status file (not a JSON object)" \
  "$sidecar" status --state-dir "$work/stale"

expect 64 "--output: yaml not in {text,json}" "$sidecar" status --output yaml
expect 64 "--output excludes --links" "$sidecar" status --links --output json
expect 64 "--links excludes --clock" "$sidecar" status --links --clock
expect 1 "$work/none/status.json does not exist" "$sidecar" status --links --state-dir "$work/none"
expect 64 "tandem-sidecar membership: --max-clock-offset: \"soon\" is not a duration" \
  "$sidecar" membership --max-clock-offset soon --config "$work/bad.conf" --state-dir "$work/s"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
