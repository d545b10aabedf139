#!/usr/bin/env bash
# Two gateway builds measured AT THE SAME TIME on the same core (0), each loaded by its own wrk
# (core 1) through the plain route to one nginx upstream (core 1). Both share the core and whatever
# else the machine does, so the ratio of the requests they served in a round is the inverse ratio of
# their CPU per request, steady where back-to-back runs swing by ±10 %. An A/A run (one jar twice)
# shows the harness's own spread (±5 % per round here). See bench/README.md.
#
#   A=old.jar B=new.jar bench/side-by-side.sh            # 6 rounds of 15 s after a 30 s warm-up
#   A=x.jar B='x.jar|-Dsome.flag=1' bench/side-by-side.sh # one jar with and without JVM options (commas for spaces)
#   BROWSER_HEADERS=1 A=... B=... bench/side-by-side.sh  # requests carry a browser's dozen headers, not just Host
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
UPSTREAM_PORT=${UPSTREAM_PORT:-18700}
A_PORT=${A_PORT:-18710}
B_PORT=${B_PORT:-18712}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-30s}
ROUNDS=${ROUNDS:-6}
GATEWAY_JVM_OPTS=${GATEWAY_JVM_OPTS:--XX:+UseParallelGC -Xms512m -Xmx512m -XX:ActiveProcessorCount=1}
KEEP_TMP=${KEEP_TMP:-0}
BROWSER_HEADERS=${BROWSER_HEADERS:-0}
WRK_HEADERS=()
if [[ $BROWSER_HEADERS == 1 ]]; then
  WRK_HEADERS=(-H "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
    -H "Accept: application/json, text/plain, */*" -H "Accept-Language: en-US,en;q=0.9,de;q=0.8"
    -H "Accept-Encoding: gzip, deflate, br" -H "Referer: https://app.example.com/orders?page=2"
    -H "Origin: https://app.example.com" -H "Cookie: session=3f9a1c2e7b8d4f60a1b2c3d4e5f60718; theme=dark; lang=en"
    -H "Sec-Fetch-Mode: cors" -H "Sec-Fetch-Site: same-site" -H "Cache-Control: no-cache" -H "X-Client-Version: 4.12.0")
fi
[[ -n ${A:-} && -n ${B:-} ]] || {
  echo "usage: A=a.jar B=b.jar [ROUNDS=6 DURATION=15s WARMUP=30s] $0" >&2
  exit 2
}

source "$BENCH_DIR/lib.sh"

start_side() { # start_side NAME SPEC PORT: SPEC is JAR[|JVM,OPTIONS]
  local name=$1 spec=$2 port=$3 jar extra opts
  jar=${spec%%|*}
  extra=""
  [[ $spec == *"|"* ]] && extra=${spec#*|}
  [[ -f $jar ]] || die "$jar does not exist"
  read -ra opts <<<"$GATEWAY_JVM_OPTS ${extra//,/ }"
  mkdir -p "$TMP/$name"
  render "$BENCH_DIR/gateway.yaml.in" "$TMP/$name/gateway.yaml" GATEWAY_PORT="$port" GATEWAY_ADMIN_PORT="$((port + 1))" \
    TMP="$TMP/$name"
  start_server "$TMP/$name.log" taskset -c 0 \
    java "${opts[@]}" -Dhazelcast.phone.home.enabled=false -jar "$jar" --config "$TMP/$name/gateway.yaml" --standalone
  wait_ready "$name" "$LAST_PID" "http://127.0.0.1:$port/" 120 "$TMP/$name.log"
}

both() { # both DURATION TAG: one wrk per side, at once
  local pids=()
  for side in A B; do
    local port=${side}_PORT
    setsid taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$1" "${WRK_HEADERS[@]}" "http://127.0.0.1:${!port}/" >"$TMP/$side-$2.txt" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" || die "a wrk run failed (see $TMP)"
}

requests() { awk '/requests in/ {print $1}' "$1"; }

install_tools
TMP=$(mktemp -d "${TMPDIR:-/tmp}/gridgate-side.XXXXXX")
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_nginx upstream 1 "$UPSTREAM_PORT"
start_side A "$A" "$A_PORT"
start_side B "$B" "$B_PORT"
log "warm-up both for $WARMUP"
both "$WARMUP" warm
echo "| round | A requests | B requests | B / A |"
echo "|---:|---:|---:|---:|"
ratios=()
for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round/$ROUNDS for $DURATION"
  both "$DURATION" "$round"
  a=$(requests "$TMP/A-$round.txt")
  b=$(requests "$TMP/B-$round.txt")
  grep -q "Non-2xx\|Socket errors" "$TMP/A-$round.txt" "$TMP/B-$round.txt" && die "errors in round $round (see $TMP)"
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
  ratios+=("$ratio")
  echo "| $round | $a | $b | $ratio |"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1; s += $1 } END {
  printf "\n- A = %s\n- B = %s\n- B/A: mean %.3f, median %.3f over %d rounds\n", ENVIRON["A"], ENVIRON["B"], s / NR,
    (NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2), NR }'
