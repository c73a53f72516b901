#!/usr/bin/env bash
# tandem-operator serving HTTPS (--tls-cert, --tls-key) on loopback, and
# tandemctl checking its certificate (--ca-file).
#
#   tls_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
operator=$build/operator/daemon/tandem-operator
tandemctl=$build/operator/tandemctl/tandemctl
work=$(mktemp -d /tmp/tandem-tls.XXXXXX)
pid=
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
pass() { echo "ok: $*"; }
fail() {
  failures=$((failures + 1))
  echo "FAIL: $*"
}

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null || {
  echo "FAIL: openssl could not make a certificate"
  exit 1
}
head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$work/token"
port=$((20000 + $$ % 20000))

"$operator" --manifests "$source_dir/examples/three-node-demo" --state-dir "$work/state" \
  --tls-cert "$work/cert.pem" >"$work/half.log" 2>&1
[ $? -eq 2 ] && grep -q "go together" "$work/half.log" && pass "--tls-cert without --tls-key is refused" ||
  fail "--tls-cert without --tls-key: $(cat "$work/half.log")"
"$operator" --manifests "$source_dir/examples/three-node-demo" --state-dir "$work/state" \
  --tls-cert "$work/token" --tls-key "$work/key.pem" >"$work/bad.log" 2>&1
[ $? -eq 2 ] && grep -q "cannot load the TLS certificate" "$work/bad.log" &&
  pass "a file that is no certificate is refused, named" || fail "bad certificate: $(cat "$work/bad.log")"

"$operator" --manifests "$source_dir/examples/three-node-demo" --state-dir "$work/state" \
  --listen "127.0.0.1:$port" --token-file "$work/token" \
  --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" >"$work/operator.log" 2>&1 &
pid=$!
status() { "$tandemctl" status --operator "$1" --token-file "$work/token" "${@:2}"; }
up=0
for _ in $(seq 50); do
  if status "https://127.0.0.1:$port" --ca-file "$work/cert.pem" >/dev/null 2>&1; then
    up=1
    break
  fi
  sleep 0.1
done
[ $up -eq 1 ] && pass "tandemctl status over HTTPS with --ca-file" ||
  fail "no status over HTTPS: $(cat "$work/operator.log")"
out=$(status "https://127.0.0.1:$port" 2>&1)
[ $? -eq 1 ] && grep -q "not signed by a CA" <<<"$out" &&
  pass "without --ca-file the self-signed certificate is not trusted" ||
  fail "without --ca-file: $out"
out=$(status "http://127.0.0.1:$port" 2>&1)
[ $? -ne 0 ] && pass "plain HTTP is not served" || fail "plain HTTP answered: $out"

[ "$failures" -eq 0 ] || exit 1
echo "all checks passed"
