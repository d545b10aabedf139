#!/usr/bin/env bash
# The data plane against nginx, in one run: a plain route and a full-chain route (HS256 JWT +
# cluster token bucket + cluster circuit breaker + metrics) of one clustered gateway node, next to
# nginx as a reverse proxy and the upstream direct, all answering the same 1 KB JSON body, in
# interleaved rounds. See bench/README.md.
#
# CPU layout (2 cores). LOOPS=1: the gateway (1 event loop) and the nginx proxy (1 worker) on core 0,
# the nginx upstream and wrk on core 1. LOOPS=2: the gateway with 2 event loops and nginx with
# 2 workers, both unpinned; the upstream and wrk stay on core 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
UPSTREAM_PORT=${UPSTREAM_PORT:-18500}
NGINX_PORT=${NGINX_PORT:-18501}
GATEWAY_PORT=${GATEWAY_PORT:-18502}
GATEWAY_ADMIN_PORT=${GATEWAY_ADMIN_PORT:-18503}
MEMBER_PORT=${MEMBER_PORT:-18504}
BASELINE_PORT=${BASELINE_PORT:-18505}
BASELINE_ADMIN_PORT=${BASELINE_ADMIN_PORT:-18506}
BASELINE_MEMBER_PORT=${BASELINE_MEMBER_PORT:-18507}
NGINX_HEADERS_PORT=${NGINX_HEADERS_PORT:-18508}
# NGINX_HEADERS=1 adds a second nginx doing the header work the gateway's plain route does by
# default (bench/nginx-gateway-headers.conf): the peer for "the same work", beside bare nginx
NGINX_HEADERS=${NGINX_HEADERS:-0}
# QUOTA=50 holds each proxy (nginx and the gateways, not the upstream) to 50 % of one core (lib.sh)
QUOTA=${QUOTA:-}
BASELINE_JAR=${BASELINE_JAR:-}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-node/target/gateway-node.jar}
LOOPS=${LOOPS:-1}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:ActiveProcessorCount=$LOOPS}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-30s}
ROUNDS=${ROUNDS:-3}
KEEP_TMP=${KEEP_TMP:-0}
NGINX_WORKERS=$LOOPS

source "$BENCH_DIR/lib.sh"

case $LOOPS in
  1) PROXY_CORES=0 ;;
  2) PROXY_CORES=0,1 ;;
  *) die "LOOPS must be 1 or 2" ;;
esac

start_node() { # start_node NAME JAR HTTP_PORT ADMIN_PORT MEMBER_PORT: one clustered member -> sets LAST_PID
  local name=$1 jar=$2 http=$3 admin=$4 member=$5 opts
  read -ra opts <<<"$GATEWAY_JVM_OPTS"
  mkdir -p "$TMP/$name"
  render "$BENCH_DIR/data-plane.yaml.in" "$TMP/$name/gateway.yaml" HTTP_PORT="$http" ADMIN_PORT="$admin" \
    MEMBER_PORT="$member" CLUSTER="bench-data-plane-$name-$$" DATA_DIR="$TMP/$name/data" LOOPS="$LOOPS" \
    HS_SECRET="$HS_SECRET"
  quota_wrapper "$name"
  start_server "$TMP/$name.log" "${QUOTA_CMD[@]}" taskset -c "$PROXY_CORES" \
    java "${opts[@]}" -Dhazelcast.phone.home.enabled=false -jar "$jar" --config "$TMP/$name/gateway.yaml"
  wait_ready "$name" "$LAST_PID" "http://127.0.0.1:$http/plain/" 240 "$TMP/$name.log"
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "X-HS-Token: $TOKEN" "http://127.0.0.1:$http/chain/kb") == 200 ]] ||
    die "$name: /chain/kb does not accept the token"
  [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http/chain/kb") == 401 ]] ||
    die "$name: /chain/kb answers without a token"
}

to_ms() { # to_ms 850.00us|1.23ms|1.02s -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n
  }'
}

machine_info() {
  machine_header
  echo "- nginx: $(nginx -v 2>&1)"
  echo "- layout: LOOPS=$LOOPS (gateway event loops = nginx workers = $LOOPS, on core(s) $PROXY_CORES; upstream and wrk on core 1)"
  echo "- load: wrk -t1 -c$CONNECTIONS -d$DURATION --latency, 1 KB JSON answers, warm-up $WARMUP per target, $ROUNDS interleaved rounds"
  if [[ -n $QUOTA ]]; then
    echo "- CPU quota: each proxy held to $QUOTA % of one core (cgroup, 100 ms period): req/s compares CPU per request; latencies include the throttling"
  fi
  echo "- gateway: $GATEWAY_JAR, one clustered member, JVM options: $GATEWAY_JVM_OPTS"
  if [[ -n $BASELINE_JAR ]]; then
    echo "- baseline: $BASELINE_JAR, same options, its own one-member cluster"
  fi
}

print_report() { # reads $TMP/results: "target round rps p50 p99 errors cpu_us_per_request"
  echo
  machine_info
  echo
  echo "## Results"
  echo
  echo "| target | round | requests/s | p50 | p99 | errors | CPU µs/request |"
  echo "|---|---:|---:|---:|---:|---|---:|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$TMP/results"
  echo
  while read -r name round rps p50 p99 errors cpu; do
    echo "$name $rps $(to_ms "$p99") $cpu"
  done <"$TMP/results" | awk '
    { rps[$1] += $2; p99[$1] += $3; cpu[$1] += $4; n[$1]++ }
    END {
      for (t in n) { rps[t] /= n[t]; p99[t] /= n[t]; cpu[t] /= n[t] }
      split("plain chain baseline-plain baseline-chain", gw, " ")
      for (i = 1; i <= 4; i++) if (gw[i] in n)
        printf "- %s/nginx: requests/s %.2f, p99 %.2f, CPU per request %.2f (nginx per gateway: %.2f)\n", gw[i],
          rps[gw[i]] / rps["nginx"], p99[gw[i]] / p99["nginx"], cpu[gw[i]] / cpu["nginx"], cpu["nginx"] / cpu[gw[i]]
      if ("nginx-headers" in n) for (i = 1; i <= 2; i++)
        printf "- %s/nginx-headers: requests/s %.2f, p99 %.2f, CPU per request %.2f\n", gw[i],
          rps[gw[i]] / rps["nginx-headers"], p99[gw[i]] / p99["nginx-headers"], cpu[gw[i]] / cpu["nginx-headers"]
      if ("baseline-plain" in n) printf "- plain/baseline-plain requests/s: %.2f\n", rps["plain"] / rps["baseline-plain"]
      printf "- nginx/direct requests/s: %.2f\n", rps["nginx"] / rps["direct"]
    }'
}

install_tools
command -v openssl >/dev/null || die "openssl is required (apt-get install openssl)"
for tool in curl java; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
ensure_gateway_jar
ports=("$UPSTREAM_PORT" "$NGINX_PORT" "$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT" "$MEMBER_PORT")
if [[ $NGINX_HEADERS == 1 ]]; then
  ports+=("$NGINX_HEADERS_PORT")
fi
if [[ -n $BASELINE_JAR ]]; then
  [[ -f $BASELINE_JAR ]] || die "BASELINE_JAR=$BASELINE_JAR does not exist"
  ports+=("$BASELINE_PORT" "$BASELINE_ADMIN_PORT" "$BASELINE_MEMBER_PORT")
fi
for port in "${ports[@]}"; do
  if port_in_use "$port"; then
    die "127.0.0.1:$port is already in use"
  fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgate-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

HS_SECRET=$(openssl rand -hex 32)
TOKEN=$(jwt HS256 hs bench-hs openssl dgst -sha256 -hmac "$HS_SECRET" -binary)

start_nginx upstream 1 "$UPSTREAM_PORT"
UPSTREAM_PID=$LAST_PID
quota_wrapper proxy
start_nginx proxy "$PROXY_CORES" "$NGINX_PORT"
NGINX_PID=$LAST_PID
start_node gateway "$GATEWAY_JAR" "$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT" "$MEMBER_PORT"
GATEWAY_PID=$LAST_PID
# name port path pid (the process group whose CPU time each request costs)
TARGETS=("direct $UPSTREAM_PORT /plain/kb $UPSTREAM_PID" "nginx $NGINX_PORT /plain/kb $NGINX_PID")
if [[ $NGINX_HEADERS == 1 ]]; then
  quota_wrapper headers
  start_nginx headers "$PROXY_CORES" "$NGINX_HEADERS_PORT" proxy PROXY_DIR=headers NGINX_PORT="$NGINX_HEADERS_PORT" \
    PROXY_HTTP_EXTRA="$BENCH_DIR/nginx-gateway-headers-http.conf" PROXY_EXTRA="$BENCH_DIR/nginx-gateway-headers.conf"
  TARGETS+=("nginx-headers $NGINX_HEADERS_PORT /plain/kb $LAST_PID")
fi
TARGETS+=("plain $GATEWAY_PORT /plain/kb $GATEWAY_PID" "chain $GATEWAY_PORT /chain/kb $GATEWAY_PID")
if [[ -n $BASELINE_JAR ]]; then
  start_node baseline "$BASELINE_JAR" "$BASELINE_PORT" "$BASELINE_ADMIN_PORT" "$BASELINE_MEMBER_PORT"
  TARGETS+=("baseline-plain $BASELINE_PORT /plain/kb $LAST_PID" "baseline-chain $BASELINE_PORT /chain/kb $LAST_PID")
fi

for target in "${TARGETS[@]:1}"; do # warm up every proxied target (the JIT of the gateways above all)
  read -r name port path _ <<<"$target"
  log "warm-up $name for $WARMUP"
  run_wrk "$port" "$WARMUP" "$TMP/warmup-$name.txt" "$path" -H "X-HS-Token: $TOKEN"
done

: >"$TMP/results"
for ((round = 1; round <= ROUNDS; round++)); do
  for target in "${TARGETS[@]}"; do
    read -r name port path pid <<<"$target"
    out=$TMP/wrk-$name-$round.txt
    log "round $round/$ROUNDS: $name for $DURATION"
    ticks=$(cpu_ticks "$pid")
    run_wrk "$port" "$DURATION" "$out" "$path" -H "X-HS-Token: $TOKEN"
    ticks=$(($(cpu_ticks "$pid") - ticks))
    row=$(parse_wrk "$out") || {
      cat "$out" >&2
      die "could not parse the wrk output for $name"
    }
    # CPU time per request of the proxy's processes (the upstream's for direct): a ratio that
    # holds on a busy machine, where req/s ratios swing with what else runs
    cpu=$(awk -v t="$ticks" -v q="$(awk '/requests in/ {print $1}' "$out")" 'BEGIN { printf "%.2f", (q > 0 ? t * 10000 / q : 0) }')
    echo "$name $round $row $cpu" >>"$TMP/results"
  done
done

print_report
