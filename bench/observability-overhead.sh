#!/usr/bin/env bash
# Cost of observability on the data plane, in one run: the same route through a node without an
# access log ("quiet": per-request metrics only, as every node has them), a node writing the JSON
# access log for every request to a file ("logged"), and optionally a node from another build
# (BASELINE_JAR, e.g. one built before per-request metrics existed: "baseline"). See bench/README.md.
#
# CPU layout (2 cores): the nodes on core 0, loaded one at a time; the nginx upstream and wrk on core 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
UPSTREAM_PORT=${UPSTREAM_PORT:-18400}
FIRST_NODE_PORT=${FIRST_NODE_PORT:-18402}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-node/target/gateway-node.jar}
BASELINE_JAR=${BASELINE_JAR:-}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:ActiveProcessorCount=1}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
KEEP_TMP=${KEEP_TMP:-0}

source "$BENCH_DIR/lib.sh"

install_tools
command -v java >/dev/null || die "java is required"
ensure_gateway_jar
[[ -z $BASELINE_JAR || -f $BASELINE_JAR ]] || die "BASELINE_JAR=$BASELINE_JAR does not exist"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgate-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_nginx upstream 1 "$UPSTREAM_PORT"
read -ra jvm_opts <<<"$GATEWAY_JVM_OPTS"
NODES=()
start_node() { # start_node NAME JAR ACCESS_LOG_LINE: a standalone node on the next two ports
  local name=$1 jar=$2 access_log=$3 port=$((FIRST_NODE_PORT + 2 * ${#NODES[@]}))
  for p in "$port" $((port + 1)); do
    port_in_use "$p" && die "127.0.0.1:$p is already in use"
  done
  GATEWAY_PORT=$port GATEWAY_ADMIN_PORT=$((port + 1)) \
    render "$BENCH_DIR/observability.yaml.in" "$TMP/$name.yaml" NAME="$name" ACCESS_LOG="$access_log"
  start_server "$TMP/$name.log" taskset -c 0 \
    java "${jvm_opts[@]}" -Dhazelcast.phone.home.enabled=false -jar "$jar" --config "$TMP/$name.yaml" --standalone
  wait_ready "$name" "$LAST_PID" "http://127.0.0.1:$port/" 120 "$TMP/$name.log"
  NODES+=("$name:$port")
}
start_node quiet "$GATEWAY_JAR" ""
start_node logged "$GATEWAY_JAR" "  access_log: {enabled: true, output: \"$TMP/access.log\", headers: [user-agent]}"
if [[ -n $BASELINE_JAR ]]; then
  start_node baseline "$BASELINE_JAR" ""
fi

: >"$TMP/results"
for node in "${NODES[@]}"; do
  log "${node%%:*}: warm-up for $WARMUP"
  run_wrk "${node##*:}" "$WARMUP" "$TMP/warmup.txt"
done
for ((round = 1; round <= ROUNDS; round++)); do
  for node in "${NODES[@]}"; do
    log "${node%%:*}, round $round/$ROUNDS for $DURATION"
    run_wrk "${node##*:}" "$DURATION" "$TMP/wrk-${node%%:*}-$round.txt"
    echo "node ${node%%:*} $round $(parse_wrk "$TMP/wrk-${node%%:*}-$round.txt")" >>"$TMP/results"
  done
done

echo
machine_header
echo "- load: wrk -t1 -c$CONNECTIONS -d$DURATION --latency (core 1), warm-up $WARMUP, rounds $ROUNDS"
echo "- nodes (core 0, standalone, one at a time under load): $GATEWAY_JVM_OPTS"
echo "- access log lines written by 'logged': $(wc -l <"$TMP/access.log")"
[[ -n $BASELINE_JAR ]] && echo "- baseline: $BASELINE_JAR"
echo
print_comparison quiet
