#!/usr/bin/env bash
# Throughput/latency of the GridGate gateway next to nginx as a reverse proxy,
# both in front of the same nginx upstream, measured with wrk. See bench/README.md.
#
# CPU layout (2 cores): upstream nginx + wrk on core 1, the proxy under test on core 0.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
RESULTS_DIR=$BENCH_DIR/results

UPSTREAM_PORT=${UPSTREAM_PORT:-18000}
NGINX_PORT=${NGINX_PORT:-18001}
GATEWAY_PORT=${GATEWAY_PORT:-18002}
GATEWAY_ADMIN_PORT=${GATEWAY_ADMIN_PORT:-18003}
HTTP_PROXY_PORT=${HTTP_PROXY_PORT:-18004}
BASELINE_PORT=${BASELINE_PORT:-18005}
BASELINE_ADMIN_PORT=${BASELINE_ADMIN_PORT:-18006}
BASELINE_JAR=${BASELINE_JAR:-}
VERTX_HTTP1=${VERTX_HTTP1:-0}
VERTX_HTTP1_PORT=${VERTX_HTTP1_PORT:-18007}
VERTX_HTTP1_ADMIN_PORT=${VERTX_HTTP1_ADMIN_PORT:-18008}
HTTP_PROXY_REF=${HTTP_PROXY_REF:-1}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-node/target/gateway-node.jar}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:ActiveProcessorCount=1}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-1}
SKIP_GATEWAY=${SKIP_GATEWAY:-0}
PROFILE=${PROFILE:-0}
KEEP_TMP=${KEEP_TMP:-0}
if [[ $SKIP_GATEWAY == 1 ]]; then
  PROFILE=0 # nothing to profile
  HTTP_PROXY_REF=0 # it runs on the gateway jar's classpath
  VERTX_HTTP1=0 # the same jar, on Vert.x's HTTP/1.1 path
fi

source "$BENCH_DIR/lib.sh"

start_gateway() { # start_gateway NAME JAR PORT ADMIN_PORT [JVM options...] -> sets LAST_PID
  local name=$1 jar=$2 port=$3 admin=$4 opts
  shift 4
  read -ra opts <<<"$GATEWAY_JVM_OPTS"
  # Standalone mode must not talk to the outside world; keep Hazelcast quiet just in case.
  opts+=(-Dhazelcast.phone.home.enabled=false "$@")
  mkdir -p "$TMP/$name"
  render "$BENCH_DIR/gateway.yaml.in" "$TMP/$name/gateway.yaml" GATEWAY_PORT="$port" GATEWAY_ADMIN_PORT="$admin" \
    TMP="$TMP/$name"
  start_server "$TMP/$name.log" taskset -c 0 \
    java "${opts[@]}" -jar "$jar" --config "$TMP/$name/gateway.yaml" --standalone
  wait_ready "$name" "$LAST_PID" "http://127.0.0.1:$port/" 120 "$TMP/$name.log"
}

start_http_proxy_reference() { # vertx-http-proxy with the gateway's JVM options -> sets LAST_PID
  local opts lib=$TMP/lib
  mvn -B -q dependency:copy -Dartifact=io.vertx:vertx-http-proxy:5.0.7 -DoutputDirectory="$lib" >/dev/null ||
    die "could not fetch io.vertx:vertx-http-proxy:5.0.7"
  read -ra opts <<<"$GATEWAY_JVM_OPTS"
  start_server "$TMP/http-proxy.log" taskset -c 0 \
    java "${opts[@]}" -cp "$GATEWAY_JAR:$lib/vertx-http-proxy-5.0.7.jar" \
    "$BENCH_DIR/VertxHttpProxyReference.java" "$HTTP_PROXY_PORT" "$UPSTREAM_PORT"
  wait_ready vertx-http-proxy "$LAST_PID" "http://127.0.0.1:$HTTP_PROXY_PORT/" 120 "$TMP/http-proxy.log"
}

machine_info() {
  machine_header
  echo "- nginx: $(nginx -v 2>&1)"
  echo "- wrk: $( (wrk -v 2>&1 || true) | head -n1)"
  echo "- load: wrk -t1 -c$CONNECTIONS -d$DURATION --latency (pinned to core 1), warm-up $WARMUP, rounds $ROUNDS"
  if [[ $SKIP_GATEWAY != 1 ]]; then
    echo "- gateway: $GATEWAY_JAR, JVM options: $GATEWAY_JVM_OPTS"
  fi
  if [[ -n $BASELINE_JAR ]]; then
    echo "- gateway-baseline: $BASELINE_JAR, same JVM options"
  fi
  if [[ $VERTX_HTTP1 == 1 ]]; then
    echo "- gateway-vertx-http1: $GATEWAY_JAR with -Dgridgate.netty-http1=false (HTTP/1.1 served and forwarded by Vert.x), same JVM options"
  fi
}

print_report() { # reads $TMP/results: "target round rps p50 p99 errors"
  echo
  machine_info
  echo
  echo "## Results"
  echo
  echo "| target | requests/s | p50 | p99 | errors |"
  echo "|---|---:|---:|---:|---|"
  awk -v rounds="$ROUNDS" '{
    label = rounds > 1 ? $1 " #" $2 : $1
    printf "| %s | %s | %s | %s | %s |\n", label, $3, $4, $5, $6
  }' "$TMP/results"
  echo
  awk '
    { sum[$1] += $3; n[$1]++ }
    END {
      for (t in sum) mean[t] = sum[t] / n[t]
      if ("gateway" in mean) {
        printf "- gateway/nginx requests/s: %.2f\n", mean["gateway"] / mean["nginx"]
        printf "- gateway/direct requests/s: %.2f\n", mean["gateway"] / mean["direct"]
      }
      if ("gateway-baseline" in mean) {
        printf "- gateway/gateway-baseline requests/s: %.2f\n", mean["gateway"] / mean["gateway-baseline"]
        printf "- gateway-baseline/nginx requests/s: %.2f\n", mean["gateway-baseline"] / mean["nginx"]
      }
      if ("gateway-vertx-http1" in mean) {
        printf "- gateway/gateway-vertx-http1 requests/s: %.2f\n", mean["gateway"] / mean["gateway-vertx-http1"]
        printf "- gateway-vertx-http1/nginx requests/s: %.2f\n", mean["gateway-vertx-http1"] / mean["nginx"]
      }
      if ("vertx-http-proxy" in mean) {
        printf "- gateway/vertx-http-proxy requests/s: %.2f\n", mean["gateway"] / mean["vertx-http-proxy"]
      }
      printf "- nginx/direct requests/s: %.2f\n", mean["nginx"] / mean["direct"]
    }' "$TMP/results"
}

print_hot_methods() {
  echo
  echo "## Gateway hot methods (top frames of jdk.ExecutionSample, $JFR_FILE)"
  echo
  echo '```'
  jfr print --events jdk.ExecutionSample "$JFR_FILE" |
    awk '/stackTrace = \[/ { getline; sub(/^ +/, ""); sub(/ +line: [0-9]+$/, ""); print }' |
    sort | uniq -c | sort -rn | head -n 25
  echo '```'
}

# --- main ----------------------------------------------------------------------
install_tools
for tool in curl java; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgate-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

TARGETS=(direct:$UPSTREAM_PORT nginx:$NGINX_PORT)
ports=("$UPSTREAM_PORT" "$NGINX_PORT")
if [[ $SKIP_GATEWAY != 1 ]]; then
  TARGETS+=(gateway:$GATEWAY_PORT)
  ports+=("$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT")
fi
if [[ -n $BASELINE_JAR ]]; then
  [[ -f $BASELINE_JAR ]] || die "BASELINE_JAR=$BASELINE_JAR does not exist"
  TARGETS+=(gateway-baseline:$BASELINE_PORT)
  ports+=("$BASELINE_PORT" "$BASELINE_ADMIN_PORT")
fi
if [[ $VERTX_HTTP1 == 1 ]]; then
  TARGETS+=(gateway-vertx-http1:$VERTX_HTTP1_PORT)
  ports+=("$VERTX_HTTP1_PORT" "$VERTX_HTTP1_ADMIN_PORT")
fi
if [[ $HTTP_PROXY_REF == 1 ]]; then
  TARGETS+=(vertx-http-proxy:$HTTP_PROXY_PORT)
  ports+=("$HTTP_PROXY_PORT")
fi
for port in "${ports[@]}"; do
  if port_in_use "$port"; then
    die "127.0.0.1:$port is already in use"
  fi
done

start_nginx upstream 1 "$UPSTREAM_PORT"
start_nginx proxy 0 "$NGINX_PORT"
if [[ $SKIP_GATEWAY != 1 ]]; then
  if [[ $PROFILE == 1 ]]; then
    mkdir -p "$RESULTS_DIR"
    JFR_FILE=$RESULTS_DIR/gateway-$(date +%Y%m%d-%H%M%S).jfr
  fi
  ensure_gateway_jar
  if [[ $PROFILE == 1 ]]; then
    start_gateway gateway "$GATEWAY_JAR" "$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT" \
      "-XX:StartFlightRecording=name=bench,filename=$JFR_FILE,settings=profile" \
      -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints # samples inside inlined code name their own method
  else
    start_gateway gateway "$GATEWAY_JAR" "$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT"
  fi
  GATEWAY_PID=$LAST_PID
fi
if [[ -n $BASELINE_JAR ]]; then
  start_gateway gateway-baseline "$BASELINE_JAR" "$BASELINE_PORT" "$BASELINE_ADMIN_PORT"
fi
if [[ $VERTX_HTTP1 == 1 ]]; then
  start_gateway gateway-vertx-http1 "$GATEWAY_JAR" "$VERTX_HTTP1_PORT" "$VERTX_HTTP1_ADMIN_PORT" -Dgridgate.netty-http1=false
fi
if [[ $HTTP_PROXY_REF == 1 ]]; then
  start_http_proxy_reference
fi

for target in "${TARGETS[@]:1}"; do # warm up the proxies (the JIT of the gateway above all)
  log "warm-up ${target%%:*} for $WARMUP"
  run_wrk "${target#*:}" "$WARMUP" "$TMP/warmup-${target%%:*}.txt"
done

: >"$TMP/results"
for ((round = 1; round <= ROUNDS; round++)); do
  for target in "${TARGETS[@]}"; do
    name=${target%%:*}
    out=$TMP/wrk-$name-$round.txt
    log "round $round/$ROUNDS: $name for $DURATION"
    run_wrk "${target#*:}" "$DURATION" "$out"
    row=$(parse_wrk "$out") || {
      cat "$out" >&2
      die "could not parse the wrk output for $name"
    }
    echo "$name $round $row" >>"$TMP/results"
  done
done

if [[ $PROFILE == 1 ]]; then
  jcmd "$GATEWAY_PID" JFR.dump name=bench filename="$JFR_FILE" >/dev/null
fi

print_report
if [[ $PROFILE == 1 ]]; then
  print_hot_methods
fi
