#!/usr/bin/env bash
# Config push propagation across 3 gateway node JVMs on loopback: p50/p99/max of the push's answer
# and of "applied on every node", and where the time goes. See bench/README.md.
#
# Runs the benchmark class PushPropagationProcessBenchmark through Maven (offline); the nodes are
# started by the test fixture NodeProcesses, each in its own JVM, and killed when the run ends.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
BENCH_DIR=$PWD/bench
PUSHES=${PUSHES:-200}
WARMUP_PUSHES=${WARMUP_PUSHES:-20}
MAX_SECONDS=${MAX_SECONDS:-300}
ROUTES=${ROUTES:-0}
ROUNDS=${ROUNDS:-1}
NODE_JVM_OPTS=${NODE_JVM_OPTS:--XX:TieredStopAtLevel=4}
BASELINE_REV=${BASELINE_REV:-}
KEEP_TMP=${KEEP_TMP:-0}

source "$BENCH_DIR/lib.sh"

command -v mvn >/dev/null || die "mvn is required"
TMP=$(mktemp -d)
BASELINE_DIR=
remove_baseline() {
  [[ -z $BASELINE_DIR ]] || git worktree remove --force "$BASELINE_DIR" >/dev/null 2>&1 || true
}
trap 'rc=$?; remove_baseline; (exit $rc); cleanup' EXIT INT TERM

BENCH_CLASS=gateway-node/src/test/java/io/gridgate/cluster/PushPropagationProcessBenchmark.java
if [[ -n $BASELINE_REV ]]; then
  BASELINE_DIR=$TMP/baseline
  log "checking out $BASELINE_REV as the baseline in $BASELINE_DIR"
  git worktree add --detach "$BASELINE_DIR" "$BASELINE_REV" >/dev/null 2>&1 || die "cannot check out $BASELINE_REV"
  cp "$BENCH_CLASS" "$BASELINE_DIR/$BENCH_CLASS"
fi

run() { # run NAME DIR: one benchmark run of the tree in DIR, its report appended to $TMP/NAME.md
  local name=$1 dir=$2
  log "$name: $PUSHES pushes after $WARMUP_PUSHES warm-up pushes (at most ${MAX_SECONDS}s), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "#### $name (load average before: $(cut -d' ' -f1-3 /proc/loadavg))" >>"$TMP/$name.md"
  if ! (cd "$dir" && mvn -B -o -q -pl gateway-node test -Dtest=PushPropagationProcessBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false -Dpushes="$PUSHES" -Dwarmup="$WARMUP_PUSHES" \
    -Dmax.seconds="$MAX_SECONDS" -Droutes="$ROUTES" -Dnode.jvm="$NODE_JVM_OPTS" -Dreport.file="$TMP/$name.md") >"$TMP/$name.log" 2>&1; then
    tail -n 60 "$TMP/$name.log" >&2
    die "$name: the benchmark failed (log above)"
  fi
}

for ((round = 1; round <= ROUNDS; round++)); do
  run current "$PWD"
  [[ -z $BASELINE_DIR ]] || run baseline "$BASELINE_DIR"
done

machine_header
echo "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- node JVMs: NodeProcesses' options plus $NODE_JVM_OPTS; rounds $ROUNDS"
echo
echo "## current ($(git rev-parse --short HEAD))"
cat "$TMP/current.md"
if [[ -n $BASELINE_DIR ]]; then
  echo
  echo "## baseline ($BASELINE_REV)"
  cat "$TMP/baseline.md"
fi
