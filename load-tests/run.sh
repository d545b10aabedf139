#!/usr/bin/env bash
# Starts a 3-node GridGate cluster with demo upstreams on loopback, runs one Gatling simulation
# against it, stops everything it started (also on failure and Ctrl-C) and keeps the HTML report.
#
#   load-tests/run.sh SIMULATION [-Dgridgate.NAME=VALUE ...]
#
# SIMULATION: throughput | mixed | accuracy | failover | push | smoke (see load-tests/README.md).
# Extra arguments go to Maven, so -D properties reach the simulation. Exit code: Maven's (non-zero
# when an assertion fails). Everything of a run lands in load-tests/results/<simulation>-<time>/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH_DIR=$ROOT/bench
LOAD_DIR=$ROOT/load-tests
GATEWAY_JAR=${GATEWAY_JAR:-gateway-node/target/gateway-node.jar}
NODE_JVM_OPTS=${NODE_JVM_OPTS:--Xms128m -Xmx384m -XX:+UseSerialGC -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}
MVN_ARGS=${MVN_ARGS:-}             # e.g. -o once the Gatling artifacts are in ~/.m2
KILL_AFTER=${KILL_AFTER:-20}       # failover: seconds after the simulation starts until node 3 gets SIGKILL
BASE_PORT=${BASE_PORT:-18300}      # ports BASE+1.. are used, all on 127.0.0.1
ACCURACY_LIMIT=${ACCURACY_LIMIT:-25}  # (c): fixed_window limit per ACCURACY_WINDOW seconds on /limited/
ACCURACY_WINDOW=${ACCURACY_WINDOW:-5}
USER_LIMIT=${USER_LIMIT:-10}          # (b): per-user fixed_window limit per USER_WINDOW seconds on /jwt/
USER_WINDOW=${USER_WINDOW:-5}
BREAKER_FAILURES=${BREAKER_FAILURES:-5}
BREAKER_OPEN_FOR=${BREAKER_OPEN_FOR:-2}
KEEP_TMP=1                         # bench/lib.sh's cleanup keeps the run folder
UPSTREAM_PORT=                     # read by render() of bench/lib.sh; the templates here use UPSTREAM_1..3

source "$BENCH_DIR/lib.sh"

usage() {
  echo "usage: $0 throughput|mixed|accuracy|failover|push|smoke [-Dgridgate.NAME=VALUE ...]" >&2
  exit 2
}

simulation_class() {
  case "$1" in
    throughput) echo ProxyThroughputSimulation ;;
    mixed) echo MixedTrafficSimulation ;;
    accuracy) echo RateLimitAccuracySimulation ;;
    failover) echo FailoverSimulation ;;
    push) echo PushUnderLoadSimulation ;;
    smoke) echo SmokeSimulation ;;
    *) usage ;;
  esac
}

node_port() { echo $((BASE_PORT + $1 * 10 + $2)); } # node_port NODE KIND: KIND 1 http, 2 admin, 3 member

start_node() { # start_node N -> sets LAST_PID
  local n=$1 dir=$RUN/node-$1 opts
  read -ra opts <<<"$NODE_JVM_OPTS"
  mkdir -p "$dir"
  render "$LOAD_DIR/cluster/gateway.yaml.in" "$dir/gateway.yaml" \
    HTTP_PORT="$(node_port "$n" 1)" ADMIN_PORT="$(node_port "$n" 2)" MEMBER_PORT="$(node_port "$n" 3)" \
    MEMBER_1="$(node_port 1 3)" MEMBER_2="$(node_port 2 3)" MEMBER_3="$(node_port 3 3)" \
    CLUSTER="$CLUSTER" DATA_DIR="$dir/data" JWT_SECRET="$JWT_SECRET" \
    UPSTREAM_1="$((BASE_PORT + 1))" UPSTREAM_2="$((BASE_PORT + 2))" UPSTREAM_3="$((BASE_PORT + 3))" \
    DEAD_PORT="$DEAD_PORT" ACCURACY_LIMIT="$ACCURACY_LIMIT" ACCURACY_WINDOW="$ACCURACY_WINDOW" \
    USER_LIMIT="$USER_LIMIT" USER_WINDOW="$USER_WINDOW" \
    BREAKER_FAILURES="$BREAKER_FAILURES" BREAKER_OPEN_FOR="${BREAKER_OPEN_FOR}s"
  start_server "$dir/gateway.log" env GRIDGATE_ADMIN_TOKEN="$ADMIN_TOKEN" \
    java "${opts[@]}" -Dhazelcast.phone.home.enabled=false -jar "$GATEWAY_JAR" --config "$dir/gateway.yaml"
}

wait_cluster_ready() { # every node's /ready answers 200 and sees 3 members
  local n i body
  for n in 1 2 3; do
    for ((i = 0; i < 240; i++)); do
      body=$(curl -fsS --max-time 1 "http://127.0.0.1:$(node_port "$n" 2)/ready" 2>/dev/null) || body=
      [[ $body == *'"members":3'* ]] && break
      is_alive "${NODE_PIDS[n]}" || { cat "$RUN/node-$n/gateway.log" >&2; die "node-$n exited while starting"; }
      sleep 0.5
    done
    [[ $body == *'"members":3'* ]] || { tail -50 "$RUN/node-$n/gateway.log" >&2; die "node-$n not ready with 3 members after 120 s"; }
  done
  log "cluster $CLUSTER ready after $SECONDS s: 3 nodes on 127.0.0.1:$(node_port 1 1),$(node_port 2 1),$(node_port 3 1)"
}

urls() { # urls KIND: the nodes' base URLs for port KIND, comma-separated
  local n out=()
  for n in 1 2 3; do out+=("http://127.0.0.1:$(node_port "$n" "$1")"); done
  (IFS=,; echo "${out[*]}")
}

save_metrics() { # each live node's /metrics into its folder; prints the grid calls that missed their deadline
  local n failures
  for n in 1 2 3; do
    curl -fsS --max-time 5 "http://127.0.0.1:$(node_port "$n" 2)/metrics" >"$RUN/node-$n/metrics.txt" 2>/dev/null || rm -f "$RUN/node-$n/metrics.txt"
  done
  failures=$(cat "$RUN"/node-*/metrics.txt 2>/dev/null |
    awk '/^gridgate_rate_limit_grid_failures_total/ { sum += $NF } END { printf "%d", sum }')
  log "rate-limit grid calls that missed their deadline (gridgate_rate_limit_grid_failures_total, live nodes): $failures"
}

report_summary() { # the report's path and the assertions as one plain "N passed, N failed" line
  local report passed failed
  report=$(ls -dt "$RUN"/gatling/*/ 2>/dev/null | head -1)
  [[ -n $report ]] && log "report: ${report#"$ROOT"/}index.html" || log "no report in $RUN/gatling (see $RUN/maven.log)"
  log "node logs: ${RUN#"$ROOT"/}/node-*/gateway.log"
  passed=$(grep -c ' : true (actual' "$RUN/maven.log" || true)
  failed=$(grep -c ' : false (actual' "$RUN/maven.log" || true)
  echo "gatling: $passed passed, $failed failed"
}

(($# >= 1)) || usage
NAME=$1
shift
CLASS=io.gridgate.load.$(simulation_class "$NAME")
for tool in curl java mvn; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
ensure_gateway_jar
DEAD_PORT=$((BASE_PORT + 9))
for port in $((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3)) "$DEAD_PORT" \
  $(for n in 1 2 3; do for k in 1 2 3; do node_port "$n" "$k"; done; done); do
  if port_in_use "$port"; then
    die "127.0.0.1:$port is already in use (set BASE_PORT to move the whole block)"
  fi
done

RUN=$LOAD_DIR/results/$NAME-$(date +%Y%m%d-%H%M%S)
TMP=$RUN
mkdir -p "$RUN"
CLUSTER=gridgate-load-$$-$RANDOM
ADMIN_TOKEN=load-admin-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
JWT_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_server "$RUN/upstreams.log" java -Xmx128m -XX:+UseSerialGC -jar "$GATEWAY_JAR" demo-upstreams \
  $((BASE_PORT + 1)) $((BASE_PORT + 2)) $((BASE_PORT + 3))
NODE_PIDS=()
for n in 1 2 3; do
  start_node "$n"
  NODE_PIDS[n]=$LAST_PID
done
wait_cluster_ready

start_server "$RUN/maven.log" mvn -B $MVN_ARGS -pl load-tests gatling:test -Dgatling.skip=false \
  -Dgatling.simulationClass="$CLASS" -Dgatling.resultsFolder="$RUN/gatling" \
  -Dgridgate.urls="$(urls 1)" -Dgridgate.adminUrls="$(urls 2)" -Dgridgate.adminToken="$ADMIN_TOKEN" \
  -Dgridgate.jwtSecret="$JWT_SECRET" -Dgridgate.accuracy.limit="$ACCURACY_LIMIT" \
  -Dgridgate.accuracy.window="$ACCURACY_WINDOW" -Dgridgate.user.limit="$USER_LIMIT" \
  -Dgridgate.user.window="$USER_WINDOW" -Dgridgate.breaker.failures="$BREAKER_FAILURES" \
  -Dgridgate.breaker.openFor="$BREAKER_OPEN_FOR" "$@"
MVN_PID=$LAST_PID
tail -n +1 -f --pid="$MVN_PID" "$RUN/maven.log" | grep --line-buffered -v '^[0-9:,]* |-' &
TAIL_PID=$!
if [[ $NAME == failover ]]; then
  start_server "$RUN/kill.log" bash -c 'until grep -q "Simulation .* started" "$1"; do sleep 0.2; done
    sleep "$2"; kill -KILL "$3"; echo "node-3 (pid $3) got SIGKILL at $(date +%T.%3N)"' _ \
    "$RUN/maven.log" "$KILL_AFTER" "${NODE_PIDS[3]}"
  log "node-3 gets SIGKILL $KILL_AFTER s after the simulation starts"
fi
rc=0
wait "$MVN_PID" || rc=$?
wait "$TAIL_PID" || true
save_metrics
[[ $NAME != failover ]] || cat "$RUN/kill.log" >&2
report_summary
exit "$rc"
