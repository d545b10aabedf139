#!/usr/bin/env bash
# Cost of authentication at the gateway: an open route next to the same route behind an HS256
# JWT, an RS256 JWT and an API key, through one gateway node, in one run. See bench/README.md.
#
# CPU layout (2 cores): the gateway on core 0; the nginx upstream and wrk on core 1.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
UPSTREAM_PORT=${UPSTREAM_PORT:-18200}
GATEWAY_PORT=${GATEWAY_PORT:-18202}
GATEWAY_ADMIN_PORT=${GATEWAY_ADMIN_PORT:-18203}
GATEWAY_JAR=${GATEWAY_JAR:-gateway-node/target/gateway-node.jar}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:ActiveProcessorCount=1}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
KEEP_TMP=${KEEP_TMP:-0}
ADMIN_TOKEN=bench-admin-token-$$

source "$BENCH_DIR/lib.sh"

machine_info() {
  machine_header
  echo "- load: wrk -t1 -c$CONNECTIONS -d$DURATION --latency (core 1), warm-up $WARMUP, rounds $ROUNDS"
  echo "- gateway (core 0, standalone): $GATEWAY_JVM_OPTS"
}

install_tools
command -v openssl >/dev/null || die "openssl is required (apt-get install openssl)"
for tool in curl java; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
ensure_gateway_jar
for port in "$UPSTREAM_PORT" "$GATEWAY_PORT" "$GATEWAY_ADMIN_PORT"; do
  if port_in_use "$port"; then
    die "127.0.0.1:$port is already in use"
  fi
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgate-bench.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

HS_SECRET=$(openssl rand -hex 32)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$TMP/rsa.pem" 2>/dev/null
RS_PEM=$(openssl pkey -in "$TMP/rsa.pem" -pubout | awk '{printf "%s\\\\n", $0}')
HS_TOKEN=$(jwt HS256 hs bench-hs openssl dgst -sha256 -hmac "$HS_SECRET" -binary)
RS_TOKEN=$(jwt RS256 rs bench-rs openssl dgst -sha256 -sign "$TMP/rsa.pem" -binary)

start_nginx upstream 1 "$UPSTREAM_PORT"
render "$BENCH_DIR/auth.yaml.in" "$TMP/gateway.yaml" HS_SECRET="$HS_SECRET" RS_PEM="$RS_PEM"
read -ra jvm_opts <<<"$GATEWAY_JVM_OPTS"
start_server "$TMP/gateway.log" env GRIDGATE_ADMIN_TOKEN="$ADMIN_TOKEN" taskset -c 0 \
  java "${jvm_opts[@]}" -Dhazelcast.phone.home.enabled=false -jar "$GATEWAY_JAR" --config "$TMP/gateway.yaml" --standalone
wait_ready gateway "$LAST_PID" "http://127.0.0.1:$GATEWAY_PORT/open/" 120 "$TMP/gateway.log"

curl -fsS -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:$GATEWAY_ADMIN_PORT/admin/consumers/bench" \
  -d '{"groups": ["bench"]}' >/dev/null
API_KEY=$(curl -fsS -X POST -H "Authorization: Bearer $ADMIN_TOKEN" \
  "http://127.0.0.1:$GATEWAY_ADMIN_PORT/admin/consumers/bench/keys" | sed -e 's/.*"key":"\([^"]*\)".*/\1/')
for path in /jwt-hs/ /jwt-rs/ /api-key/; do
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $RS_TOKEN" -H "X-HS-Token: $HS_TOKEN" \
    -H "X-API-Key: $API_KEY" "http://127.0.0.1:$GATEWAY_PORT$path") == 200 ]] ||
    die "$path does not accept its credential: $(curl -s -H "Authorization: Bearer $RS_TOKEN" -H "X-HS-Token: $HS_TOKEN" -H "X-API-Key: $API_KEY" "http://127.0.0.1:$GATEWAY_PORT$path")"
done

: >"$TMP/results"
compare_paths "$GATEWAY_PORT" auth /open/ /jwt-hs/ /jwt-rs/ /api-key/ -- \
  -H "Authorization: Bearer $RS_TOKEN" -H "X-HS-Token: $HS_TOKEN" -H "X-API-Key: $API_KEY"

echo
machine_info
echo
print_comparison /open/
