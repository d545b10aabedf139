#!/usr/bin/env bash
# GridGate developer entry point.
#   ./gridgate.sh demo   build if needed, start 3 demo upstreams and a gateway node on loopback
#   ./gridgate.sh test   run every test: unit and integration (Maven), the container image check and
#                        the Gatling smoke; ./gridgate.sh test MAVEN_ARGS... runs Maven only (-Dtest=...)
set -euo pipefail
cd "$(dirname "$0")"

JAR=gateway-node/target/gateway-node.jar
JAVA_OPTS=${JAVA_OPTS:-"-Xms256m -Xmx1g -XX:+UseParallelGC -Djava.util.concurrent.ForkJoinPool.common.parallelism=2"}
export GRIDGATE_ADMIN_TOKEN=${GRIDGATE_ADMIN_TOKEN:-demo-admin-token}

build_if_needed() {
  if [[ ! -f $JAR ]] || [[ -n $(find gateway-node/src pom.xml gateway-node/pom.xml -newer "$JAR" -type f -print -quit) ]]; then
    echo "Building the gateway node jar..."
    mvn -B -q -DskipTests -pl gateway-node -am package
  fi
}

# Debian tools the tests use: jq (image check), promtool and prometheus (alert rules, dashboard
# queries), curl (load tests); installed when missing and apt-get can (root).
ensure_test_tools() {
  local missing=()
  command -v jq >/dev/null || missing+=(jq)
  command -v promtool >/dev/null || missing+=(prometheus)
  command -v curl >/dev/null || missing+=(curl)
  if ((${#missing[@]} > 0)) && [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]}..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

run_tests() {
  if (($# > 0)); then
    mvn -B verify "$@"
    return
  fi
  ensure_test_tools
  mvn -B verify
  echo "Building and checking the container image (k8s/README.md)..."
  mvn -B -q -Pimage -pl gateway-node -am package -DskipTests
  k8s/image/verify-image.sh gateway-node/target/gateway-node-image.tar
  echo "Gatling smoke (load-tests/README.md)..."
  load-tests/run.sh smoke
}

demo() {
  build_if_needed
  local pids=()
  cleanup() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
  }
  trap cleanup EXIT INT TERM
  java $JAVA_OPTS -jar "$JAR" demo-upstreams 18081 18082 18083 &
  pids+=($!)
  java $JAVA_OPTS -jar "$JAR" --config cluster-config/gateway.yaml "$@" &
  pids+=($!)
  local ready=""
  for _ in $(seq 1 120); do
    ready=$(curl -fs http://127.0.0.1:9901/ready) && break
    sleep 0.5
  done
  # node.cluster.config_source: file in the demo file: an edit is pushed as a new version at start
  local file_line="  config   cluster-config/gateway.yaml is served (config_source: file: edit it and run the demo again)"
  if [[ $ready == *'"differs":true'* ]]; then
    file_line="  WARNING  the served config differs from cluster-config/gateway.yaml: $(sed -n 's/.*"summary":"\([^"]*\)".*/\1/p' <<<"$ready")"
  fi
  cat <<TXT

GridGate demo is up.
  gateway  http://127.0.0.1:8080      admin  http://127.0.0.1:9901 (token: $GRIDGATE_ADMIN_TOKEN)
  upstreams demo-18081, demo-18082, demo-18083 on 127.0.0.1
  cluster  Hazelcast 'gridgate-demo' on 127.0.0.1:5701, event bus 127.0.0.1:5801 (one member; more can join, see docs/operations.md)
$file_line

Try:
  curl -i http://127.0.0.1:8080/api/hello/world           # round-robin, /api/hello/world -> /hello/world
  curl 'http://127.0.0.1:8080/users/42?f=all'              # template rewrite -> /v2/accounts/42?fields=all&source=gateway, JSON answer trimmed
  curl http://127.0.0.1:8080/overview/42                   # API composition: {account, activity} from two upstreams in one answer
  curl -H 'X-Canary: true' http://127.0.0.1:8080/api/x     # header routing to the weighted pool
  for i in 1 2 3 4; do curl -s http://127.0.0.1:8080/weighted/ | grep service; done   # 3:1 split
  curl -H 'X-User: alice' http://127.0.0.1:8080/sticky/    # consistent hashing on X-User
  curl -H 'Host: ops.internal.example' http://127.0.0.1:8080/anything   # host routing
  for i in $(seq 12); do curl -s -o /dev/null -w '%{http_code} ' http://127.0.0.1:8080/api/hello/x; done; echo   # 10 then 429s (10 a minute per client, cluster-wide)
  curl -i -X POST http://127.0.0.1:8080/api/hello/x        # 405 with Allow
  curl -si http://127.0.0.1:8080/cached/hello | grep -i x-cache; curl -si http://127.0.0.1:8080/cached/hello | grep -iE 'x-cache|^age'   # Miss, then Hit with Age (docs/caching.md)
  curl -i http://127.0.0.1:8080/nowhere                    # 404 JSON
  curl -H "Authorization: Bearer $GRIDGATE_ADMIN_TOKEN" http://127.0.0.1:9901/admin/config   # versioned config
Press Ctrl-C to stop (the gateway drains in-flight requests first).
TXT
  wait -n "${pids[@]}"
}

case "${1:-}" in
  demo) shift; demo "$@" ;;
  test) shift; run_tests "$@" ;;
  *) echo "usage: $0 demo|test" >&2; exit 2 ;;
esac
