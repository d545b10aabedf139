#!/usr/bin/env bash
# Cost of a cluster-wide rate limit that is never reached: throughput of a limited route next to
# the same route without a limit, through the same gateway node, in one run; and grid calls per
# proxied request, read from the node's /metrics. See bench/README.md.
#
# Two gateway members form a cluster on loopback (node A serves, node B holds half the buckets).
# CPU layout (2 cores): node A on core 0; nginx upstream, wrk and node B on core 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
UPSTREAM_PORT=${UPSTREAM_PORT:-18100}
NODE_A_PORT=${NODE_A_PORT:-18102}
NODE_A_ADMIN=${NODE_A_ADMIN:-18103}
NODE_B_PORT=${NODE_B_PORT:-18104}
NODE_B_ADMIN=${NODE_B_ADMIN:-18105}
MEMBER_A=${MEMBER_A:-18110}
MEMBER_B=${MEMBER_B:-18111}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-node/target/gateway-node.jar}
NODE_A_JVM_OPTS=${NODE_A_JVM_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:ActiveProcessorCount=1}
NODE_B_JVM_OPTS=${NODE_B_JVM_OPTS:--XX:+UseSerialGC -Xmx256m -XX:ActiveProcessorCount=1}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
KEY_SETS=${KEY_SETS:-1 100}
KEEP_TMP=${KEEP_TMP:-0}

source "$BENCH_DIR/lib.sh"

start_node() { # start_node NAME CORE HTTP_PORT ADMIN_PORT MEMBER_PORT JVM_OPTS -> sets LAST_PID
  local name=$1 core=$2 http=$3 admin=$4 member=$5 opts
  read -ra opts <<<"$6"
  mkdir -p "$TMP/$name"
  render "$BENCH_DIR/rate-limit.yaml.in" "$TMP/$name/gateway.yaml" HTTP_PORT="$http" ADMIN_PORT="$admin" \
    MEMBER_PORT="$member" MEMBER_A="$MEMBER_A" MEMBER_B="$MEMBER_B" CLUSTER="$CLUSTER" DATA_DIR="$TMP/$name/data"
  start_server "$TMP/$name/gateway.log" taskset -c "$core" \
    java "${opts[@]}" -Dhazelcast.phone.home.enabled=false -jar "$GATEWAY_JAR" --config "$TMP/$name/gateway.yaml"
}

metric_sum() { # metric_sum NAME [LABEL_FILTER]: sum of a metric's samples on node A
  curl -fsS "http://127.0.0.1:$NODE_A_ADMIN/metrics" |
    awk -v name="$1" -v filter="${2:-}" '$1 ~ "^" name "[{ ]" && index($1, filter) { sum += $2 } END { printf "%.0f\n", sum }'
}

machine_info() {
  machine_header
  echo "- load: wrk -t1 -c$CONNECTIONS -d$DURATION --latency -s bench/clients.lua (core 1), warm-up $WARMUP, rounds $ROUNDS"
  echo "- node A (serving, core 0): $NODE_A_JVM_OPTS; node B (member, core 1): $NODE_B_JVM_OPTS"
}

install_tools
for tool in curl java; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
ensure_gateway_jar
for port in "$UPSTREAM_PORT" "$NODE_A_PORT" "$NODE_A_ADMIN" "$NODE_B_PORT" "$NODE_B_ADMIN" "$MEMBER_A" "$MEMBER_B"; do
  if port_in_use "$port"; then
    die "127.0.0.1:$port is already in use"
  fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgate-bench.XXXXXX")
CLUSTER=gridgate-bench-$$-$RANDOM
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_nginx upstream 1 "$UPSTREAM_PORT"
start_node node-a 0 "$NODE_A_PORT" "$NODE_A_ADMIN" "$MEMBER_A" "$NODE_A_JVM_OPTS"
NODE_A_PID=$LAST_PID
start_node node-b 1 "$NODE_B_PORT" "$NODE_B_ADMIN" "$MEMBER_B" "$NODE_B_JVM_OPTS"
wait_ready node-a "$NODE_A_PID" "http://127.0.0.1:$NODE_A_PORT/open/" 240 "$TMP/node-a/gateway.log"
wait_ready node-b "$LAST_PID" "http://127.0.0.1:$NODE_B_PORT/open/" 240 "$TMP/node-b/gateway.log"

: >"$TMP/results"
for keys in $KEY_SETS; do
  export KEYS=$keys
  calls_before=$(metric_sum gridgate_rate_limit_grid_calls_total)
  decisions_before=$(metric_sum gridgate_rate_limit_decisions_total)
  compare_paths "$NODE_A_PORT" "$keys-keys" /open/ /limited/ -- -s "$BENCH_DIR/clients.lua"
  calls=$(($(metric_sum gridgate_rate_limit_grid_calls_total) - calls_before))
  decisions=$(($(metric_sum gridgate_rate_limit_decisions_total) - decisions_before))
  echo "$keys $calls $decisions" >>"$TMP/grid"
done

echo
machine_info
echo
print_comparison /open/
awk '{ printf "- %s keys: grid calls per limited request (warm-up included): %.5f (%d calls, %d decisions)\n", $1, ($3 > 0 ? $2 / $3 : 0), $2, $3 }' "$TMP/grid"
