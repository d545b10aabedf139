# Shared by the benchmark scripts in bench/ and by load-tests/run.sh: logging, tool installation, servers in their own
# process groups, readiness checks, template rendering, nginx and wrk. Source it after setting
# BENCH_DIR, and TMP before starting servers; scripts install their own EXIT trap (cleanup).

PATH=$PATH:/usr/sbin:/sbin # nginx lives in /usr/sbin

log() { printf '==> %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

install_tools() {
  local missing=() sudo=()
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nginx >/dev/null || missing+=(nginx)
  command -v taskset >/dev/null || missing+=(util-linux)
  ((${#missing[@]} > 0)) || return 0
  ((EUID == 0)) || sudo=(sudo)
  log "installing ${missing[*]} with apt-get"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# --- processes ---------------------------------------------------------------
# Every server runs in its own process group (setsid) so that stopping it also
# stops its children (nginx workers), whatever state the leader is in.
SERVER_PIDS=()
WRK_PID=

start_server() { # start_server LOGFILE CMD... -> sets LAST_PID
  local logfile=$1
  shift
  setsid "$@" >"$logfile" 2>&1 &
  LAST_PID=$!
  SERVER_PIDS+=("$LAST_PID")
}

is_alive() { # false for exited processes, zombies included
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [[ $state != Z ]]
}

stop_group() { # TERM the group led by $1, give it 10 s, then KILL what is left
  local pid=$1 i
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    is_alive "$pid" || break
    sleep 0.2
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  [[ -z $WRK_PID ]] || stop_group "$WRK_PID"
  for ((i = ${#SERVER_PIDS[@]} - 1; i >= 0; i--)); do
    stop_group "${SERVER_PIDS[i]}"
  done
  for i in "${QUOTA_GROUPS[@]}"; do
    rmdir "$i" 2>/dev/null || true
  done
  if [[ $KEEP_TMP == 1 ]]; then
    log "kept temp dir $TMP"
  else
    rm -rf "$TMP"
  fi
  exit "$rc"
}

# --- CPU quota ------------------------------------------------------------------
# QUOTA=N holds each proxy to N % of one core (its own cgroup, v1 cpu controller, period 100 ms), so
# the proxy, not wrk or the upstream, limits the run: req/s then compares CPU per request. Needs root.
CGROUP_CPU=/sys/fs/cgroup/cpu
QUOTA_CMD=()
QUOTA_GROUPS=()
quota_wrapper() { # quota_wrapper NAME -> QUOTA_CMD: a prefix that runs the next start_nginx/start_node in its cgroup (empty without QUOTA)
  QUOTA_CMD=()
  [[ -n ${QUOTA:-} ]] || return 0
  local dir=$CGROUP_CPU/gridgate-bench-$$-$1
  mkdir "$dir" 2>/dev/null || die "QUOTA needs root and cgroup v1's cpu controller: cannot create $dir"
  QUOTA_GROUPS+=("$dir")
  echo 100000 >"$dir/cpu.cfs_period_us"
  echo $((QUOTA * 1000)) >"$dir/cpu.cfs_quota_us"
  QUOTA_CMD=(sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$dir")
}

cpu_ticks() { # cpu_ticks PGID -> user + system CPU clock ticks (1/100 s) of every process in the group
  local total=0 pid
  for pid in $(ps -o pid= -g "$1"); do
    [[ -r /proc/$pid/stat ]] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() { # wait_ready NAME PID URL TRIES LOGFILE...: wait for the upstream's body, 0.5 s between tries
  local name=$1 pid=$2 url=$3 tries=$4 i
  shift 4
  for ((i = 0; i < tries; i++)); do
    if [[ $(curl -fsS --max-time 1 "$url" 2>/dev/null) == "hello from upstream" ]]; then
      log "$name is up on $url"
      return 0
    fi
    is_alive "$pid" || break
    sleep 0.5
  done
  printf -- '----- %s output (%s) -----\n' "$name" "$*" >&2
  cat "$@" >&2 || true
  if is_alive "$pid"; then
    die "$name did not answer 200 \"hello from upstream\" on $url after $tries tries"
  fi
  die "$name exited before answering on $url"
}

render() { # render TEMPLATE OUTPUT [NAME=VALUE...]: substitute the @VAR@ placeholders (and @NAME@ for each pair)
  local template=$1 output=$2 pair extra=()
  shift 2
  for pair in "$@"; do
    extra+=(-e "s|@${pair%%=*}@|${pair#*=}|g")
  done
  # the pairs come first, so a pair may override a default placeholder such as @TMP@
  sed "${extra[@]}" \
    -e "s|@TMP@|$TMP|g" \
    -e "s|@UPSTREAM_PORT@|$UPSTREAM_PORT|g" \
    -e "s|@NGINX_PORT@|${NGINX_PORT:-}|g" \
    -e "s|@GATEWAY_PORT@|${GATEWAY_PORT:-}|g" \
    -e "s|@GATEWAY_ADMIN_PORT@|${GATEWAY_ADMIN_PORT:-}|g" \
    -e "s|@NGINX_WORKERS@|${NGINX_WORKERS:-1}|g" \
    -e "s|@PROXY_DIR@|proxy|g" \
    -e "s|@PROXY_HTTP_EXTRA@|$BENCH_DIR/nginx-nothing.conf|g" \
    -e "s|@PROXY_EXTRA@|$BENCH_DIR/nginx-nothing.conf|g" \
    "$template" >"$output"
}

machine_header() { # the heading and the lines every report starts its machine section with
  echo "## Machine"
  echo
  echo "- nproc: $(nproc)"
  echo "- CPU: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "- java: $(java -version 2>&1 | head -n1)"
}

ensure_gateway_jar() { # builds $GATEWAY_JAR when it is missing
  [[ -f $GATEWAY_JAR ]] && return 0
  command -v mvn >/dev/null || die "$GATEWAY_JAR is missing and mvn is not installed"
  log "$GATEWAY_JAR is missing: building it (mvn -B -q -DskipTests -pl gateway-node -am package)"
  mvn -B -q -DskipTests -pl gateway-node -am package
  [[ -f $GATEWAY_JAR ]] || die "the build finished but $GATEWAY_JAR is still missing"
}

start_nginx() { # start_nginx NAME CORE PORT [TEMPLATE [NAME=VALUE...]]: bench/nginx-TEMPLATE.conf.in (default NAME) -> sets LAST_PID
  local name=$1 core=$2 port=$3 template=${4:-$1} dir=$TMP/$1
  shift $(($# < 4 ? $# : 4))
  mkdir -p "$dir"
  render "$BENCH_DIR/nginx-$template.conf.in" "$dir/nginx.conf" "$@"
  start_server "$dir/stderr.log" "${QUOTA_CMD[@]}" taskset -c "$core" \
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
  QUOTA_CMD=()
  wait_ready "nginx-$name" "$LAST_PID" "http://127.0.0.1:$port/" 40 "$dir/stderr.log" "$dir/error.log"
}

# --- load ----------------------------------------------------------------------
run_wrk() { # run_wrk PORT DURATION OUTFILE [PATH [WRK_ARGS...]]
  local port=$1 duration=$2 out=$3 path=${4:-/}
  shift $(($# < 4 ? $# : 4))
  setsid taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$duration" --latency "$@" "http://127.0.0.1:$port$path" >"$out" 2>&1 &
  WRK_PID=$!
  if ! wait "$WRK_PID"; then
    cat "$out" >&2
    die "wrk against port $port failed"
  fi
  WRK_PID=
}

parse_wrk() { # parse_wrk FILE -> "rps p50 p99 errors" (errors: one word)
  awk '
    /^Requests\/sec:/            { rps = $2 }
    /^ +50% /                    { p50 = $2 }
    /^ +99% /                    { p99 = $2 }
    /Socket errors:/             { gsub(/,/, ""); sock = $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/  { bad = $5 }
    END {
      if (rps == "") exit 1
      err = sock + bad
      detail = err == 0 ? "0" : sprintf("%d(non-2xx/3xx=%d,socket=%d)", err, bad, sock)
      print rps, p50, p99, detail
    }' "$1"
}


# --- comparing routes of one gateway ------------------------------------------------
compare_paths() { # compare_paths PORT LABEL PATH... [-- WRK_ARGS...]: warm-up, then $ROUNDS interleaved rounds
  local port=$1 label=$2 paths=() wrk_args=() path name out row round
  shift 2
  while (($# > 0)) && [[ $1 != -- ]]; do
    paths+=("$1")
    shift
  done
  (($# > 0)) && shift && wrk_args=("$@")
  for path in "${paths[@]}"; do
    log "$label: warm-up $path for $WARMUP"
    run_wrk "$port" "$WARMUP" "$TMP/warmup.txt" "$path" "${wrk_args[@]}"
  done
  for ((round = 1; round <= ROUNDS; round++)); do
    for path in "${paths[@]}"; do
      name=$(path_name "$path")
      out=$TMP/wrk-$label-$name-$round.txt
      log "$label, round $round/$ROUNDS: $path for $DURATION"
      run_wrk "$port" "$DURATION" "$out" "$path" "${wrk_args[@]}"
      row=$(parse_wrk "$out") || {
        cat "$out" >&2
        die "could not parse the wrk output for $path"
      }
      echo "$label $name $round $row" >>"$TMP/results"
    done
  done
}

path_name() { # /jwt-rs/ -> jwt-rs
  local name=${1//\//}
  echo "${name:-root}"
}

print_comparison() { # print_comparison BASELINE_PATH: the rows of $TMP/results and each route's ratio to the baseline
  local baseline
  baseline=$(path_name "$1")
  echo "## Results"
  echo
  echo "| set | route | round | requests/s | p50 | p99 | errors |"
  echo "|---|---|---:|---:|---:|---:|---|"
  awk '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$TMP/results"
  echo
  awk -v base="$baseline" '{ sum[$1 " " $2] += $4; n[$1 " " $2]++; sets[$1] = 1; routes[$2] = 1 }
    END {
      for (s in sets) for (r in routes) if (r != base && (s " " r) in sum)
        printf "- %s: %s/%s requests/s: %.3f\n", s, r, base, (sum[s " " r] / n[s " " r]) / (sum[s " " base] / n[s " " base])
    }' "$TMP/results" | sort
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

jwt() { # jwt ALG KID ISSUER SIGN_CMD...: a token valid for two hours, signed by SIGN_CMD (reads the input on stdin)
  local alg=$1 kid=$2 issuer=$3 now input
  shift 3
  now=$(date +%s)
  input=$(printf '{"alg":"%s","typ":"JWT","kid":"%s"}' "$alg" "$kid" | b64url).$(printf \
    '{"iss":"%s","sub":"bench-user","aud":"bench","iat":%d,"exp":%d,"jti":"bench-%s"}' "$issuer" "$now" $((now + 7200)) "$kid" | b64url)
  printf '%s.%s' "$input" "$(printf %s "$input" | "$@" | b64url)"
}
