#!/usr/bin/env bash
# End to end with a real Prometheus server: tandem-operator and three
# `tandem-sidecar agent`s, each node in a network namespace (scripts/tandem,
# the sidecars with --metrics-listen), and Debian's prometheus scraping all
# four every 250 ms from inside the operator's namespace (it listens on that
# namespace's own loopback). Every /metrics must pass `promtool check
# metrics`; then the node that runs the web server is killed (kill -9, link
# down) and PromQL over Prometheus' HTTP API must show the failover, the
# survivors' new ring and the lost sidecar's failed scrapes.
#
#   metrics_test.sh BUILD_DIR SOURCE_DIR
#
# Exit 77 (skipped) when not root, or without prometheus and promtool
# (Debian package prometheus). Everything made is removed on exit; the
# Prometheus server is stopped by its PID.
set -uo pipefail

build=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
scenario=metrics
export TANDEM_METRICS_PORT=9664
source "$source_dir/test/integration/e2e/lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null || {
  echo "SKIP: prometheus and promtool are not installed (scripts/bootstrap installs them)"
  exit 77
}
ns="$TANDEM_LAB_PREFIX-operator"
subnet=$TANDEM_LAB_SUBNET

# fail (lib.sh) shows the status and the lab's logs; this adds Prometheus'.
show_logs() {
  echo "--- prometheus log (last 15 lines)"
  tail -15 "$work/prometheus.log" 2>/dev/null
}

# GET a URL from inside the operator's namespace, without any proxy.
fetch() {
  ip netns exec "$ns" python3 - "$1" <<'PY'
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(sys.argv[1], timeout=2) as reply:
        sys.stdout.write(reply.read().decode())
except Exception as error:
    sys.exit(f"{sys.argv[1]}: {error}")
PY
}

# An instant PromQL query; prints one line per series: its labels (JSON)
# and its value. Fails when Prometheus cannot answer.
promql() {
  ip netns exec "$ns" python3 - "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
url = "http://127.0.0.1:9090/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[1]})
try:
    with opener.open(url, timeout=2) as reply:
        body = json.load(reply)
except Exception as error:
    sys.exit(f"query {sys.argv[1]}: {error}")
if body.get("status") != "success":
    sys.exit(f"query {sys.argv[1]}: {body}")
for series in body["data"]["result"]:
    print(json.dumps(series["metric"], sort_keys=True), series["value"][1])
PY
}

# wait_query QUERY LIMIT_MS: until the query has a result; prints it.
wait_query() {
  local start result
  start=$(now_ms)
  while [ $(($(now_ms) - start)) -lt "$2" ]; do
    result=$(promql "$1" 2>/dev/null)
    if [ -n "$result" ]; then
      echo "$result"
      return 0
    fi
    sleep 0.2
  done
  return 1
}

manifests=$work/manifests
mkdir -p "$manifests"
for file in "$source_dir"/examples/three-node-demo/*.yaml; do
  sed "s/10\.214\.0\./$subnet./g" "$file" >"$manifests/$(basename "$file")"
done

"$tandem" up "$manifests" || {
  fail "the cluster did not come up"
  exit 1
}

cat >"$work/prometheus.yml" <<YAML
global:
  scrape_interval: 250ms
  scrape_timeout: 200ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: operator
    static_configs:
      - targets: ['$subnet.254:7440']
  - job_name: sidecar
    static_configs:
      - targets: ['$subnet.1:9664', '$subnet.2:9664', '$subnet.3:9664']
YAML
promtool check config "$work/prometheus.yml" >/dev/null || {
  fail "promtool refuses the generated configuration"
  exit 1
}
ip netns exec "$ns" prometheus --config.file="$work/prometheus.yml" \
  --storage.tsdb.path="$work/data" --web.listen-address=127.0.0.1:9090 \
  >"$work/prometheus.log" 2>&1 &
test_pids+=($!)

if wait_query 'count(up == 1) == 4' 30000 >/dev/null; then
  pass "prometheus scrapes the operator and the three sidecars"
else
  fail "prometheus did not scrape all four targets within 30 s: $(promql up)"
  show_logs
  exit 1
fi

for target in "$subnet.254:7440" "$subnet.1:9664" "$subnet.2:9664" "$subnet.3:9664"; do
  if ! text=$(fetch "http://$target/metrics"); then
    fail "GET http://$target/metrics failed"
  elif lint=$(promtool check metrics <<<"$text" 2>&1); then
    pass "promtool check metrics is clean for $target ($(grep -c '^tandem_' <<<"$text") samples)"
  else
    fail "promtool check metrics on $target: $lint"
  fi
done

first=$("$tandem" wait-running web "" 30000) || {
  fail "the web server did not start within 30 s"
  show_logs
  exit 1
}
pass "the web server runs on $first"
first_sidecar="$subnet.${first#node}:9664"

if wait_query 'count(tandem_membership_members{job="sidecar"} == 3) == 3' 10000 >/dev/null; then
  pass "every sidecar reports a ring of 3 members"
else
  fail "the sidecars do not report 3 members: $(promql tandem_membership_members)"
fi
if result=$(wait_query "tandem_operation_duration_seconds_count{instance=\"$first_sidecar\",operation=\"start\"} > 0" 10000); then
  pass "$first timed its starts: ${result##* } start(s)"
else
  fail "$first's starts do not show: $(promql 'tandem_operation_duration_seconds_count{operation="start"}')"
fi
if [ -n "$(promql 'tandem_failovers_total')" ] && [ -z "$(promql 'tandem_failovers_total > 0')" ]; then
  pass "no failover before the kill"
else
  fail "tandem_failovers_total before the kill: $(promql tandem_failovers_total)"
fi

start=$(now_ms)
"$tandem" kill "$first"
if second=$("$tandem" wait-running web "$first" 20000); then
  pass "after kill -9 of $first the web server runs on $second, $(($(now_ms) - start)) ms after the kill"
else
  fail "the web server did not move within 20 s of killing $first"
  show_logs
  exit 1
fi

if result=$(wait_query 'increase(tandem_failovers_total[1m]) > 0' 20000); then
  pass "PromQL increase(tandem_failovers_total[1m]) > 0 sees the failover (${result##* })"
else
  fail "PromQL did not see the failover within 20 s: $(promql tandem_failovers_total)"
fi
# The group's two resources, the address and the web server, both moved.
if wait_query 'tandem_failover_duration_seconds_count == 2' 5000 >/dev/null; then
  pass "the failover-duration histogram counts the address and the web server: $(promql tandem_failover_duration_seconds_sum | sed 's/.* //') s in all"
else
  fail "the failover-duration histogram: $(promql tandem_failover_duration_seconds_count)"
fi
if wait_query "tandem_resources{resource=\"web\",node=\"$second\",status=\"active\"} == 1" 5000 >/dev/null; then
  pass "tandem_resources shows web active on $second"
else
  fail "tandem_resources does not show web on $second: $(promql 'tandem_resources{resource="web"}')"
fi
if wait_query "up{job=\"sidecar\",instance=\"$first_sidecar\"} == 0" 5000 >/dev/null; then
  pass "the scrapes of $first's sidecar fail (up == 0)"
else
  fail "up for $first's sidecar: $(promql 'up{job="sidecar"}')"
fi
if wait_query 'count(increase(tandem_membership_ring_changes_total[1m]) > 0 and tandem_membership_members == 2) == 2' 5000 >/dev/null; then
  pass "both survivors count a ring change and report 2 members"
else
  fail "the survivors' ring changes and members: $(promql tandem_membership_ring_changes_total) / $(promql tandem_membership_members)"
fi
if wait_query "tandem_nodes{node=\"$first\",status=\"online\"} == 0" 5000 >/dev/null &&
  wait_query 'tandem_cluster_members == 2' 5000 >/dev/null; then
  pass "the operator shows $first offline and a ring of 2"
else
  fail "the operator's nodes and members: $(promql 'tandem_nodes{status="online"}') / $(promql tandem_cluster_members)"
fi

[ "$failures" -eq 0 ] || {
  show_logs
  exit 1
}
echo "all checks passed"
