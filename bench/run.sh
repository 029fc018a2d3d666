#!/usr/bin/env bash
# bench/run.sh [--quick] - upstream-guard's load and scale benchmark, all figures in one run:
#   1. in-process decision latency (JMH): p50/p99/p99.9 per review on synthetic clusters of 1k/10k/100k pods
#   2. HTTP over TLS (wrk): /validate side by side with two floors in the same server (/bench/allow answers without
#      parsing; /bench/parse-allow parses the review as /validate does, then answers), 1/16/64 connections, after a
#      warm-up that lasts until the JIT compilers are quiet
#   3. memory: heap per cached pod (reduced vs full fabric8 Pod), server RSS per cluster size
#   4. startup: process start to first answer and to ready, from manifests and against a CRUD mock API server
# Figures go to stdout and bench/target/results/*.md. --quick (CI): every part, shorter and smaller, to prove the
# harness runs; its figures are not to be quoted. Every process started here is killed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

QUICK=false
case "${1:-}" in
  --quick) QUICK=true ;;
  "") ;;
  *) echo "usage: bench/run.sh [--quick]" >&2; exit 2 ;;
esac

OUT="$ROOT/bench/target/results"
WORK="$(mktemp -d /tmp/upstream-guard-bench.XXXXXX)"
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -TERM "$p" 2>/dev/null || true
  done
  sleep 0.5
  for p in "${PIDS[@]:-}"; do
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

T_START=$(date +%s)
log() { echo "bench [$(( $(date +%s) - T_START )) s]: $*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { awk -v m="$1" 'BEGIN { printf "%.2f", m / 1000 }'; }

# ---- tools -----------------------------------------------------------------------------------------------------
need() { command -v "$1" >/dev/null 2>&1; }
if ! need wrk; then
  log "installing wrk"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
for t in java mvn curl openssl wrk jcmd; do
  need "$t" || { echo "bench: $t is required" >&2; exit 1; }
done

# ---- settings --------------------------------------------------------------------------------------------------
if $QUICK; then
  # every part once, small: a 1k-pod server for HTTP and RSS, 100 pods in the mock API server
  SIZES=(1000)
  HTTP_PODS=1000
  HTTP_SECONDS=2
  HTTP_WARMUP_MAX=2
  HTTP_REVIEWS=(deployment-update)
  MEMORY_PODS=1000
  MOCK_PODS=100
else
  SIZES=(1000 10000 100000)
  HTTP_PODS=10000
  HTTP_SECONDS=10
  # warm-up in 5 s rounds of the mix until the JIT compilers use < 5 % of a core for two rounds: on 2 cores C2 takes
  # 40-60 s to settle under load, and figures taken before that measure the compiler, not the code
  HTTP_WARMUP_MAX=150
  HTTP_REVIEWS=(deployment-update mix ingress-create service-update)
  MEMORY_PODS=10000
  # the CRUD mock takes one create per request and gets slower as it fills: ~5 min for 10k pods on 2 cores
  MOCK_PODS=10000
fi
if $QUICK; then CONCURRENCY=(16); else CONCURRENCY=(1 16 64); fi
FLOORS=(/bench/allow /bench/parse-allow)
# the server as packaged, with a fixed heap so RSS compares across sizes (the Deployment's limit is 512Mi)
SERVER_JAVA_OPTS=(${BENCH_SERVER_JAVA_OPTS:--Xmx1g})

# free ports, so a test or another server on the machine does not get in the way
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p=$1
  while ! port_free "$p"; do p=$((p + 1)); done
  echo "$p"
}
HTTPS_PORT=$(pick_port 18443)
MGMT_PORT=$(pick_port 19000)
HTTP_PORT=$(pick_port 18080)

mkdir -p "$OUT"
rm -f "$OUT"/*.md

# ---- build -----------------------------------------------------------------------------------------------------
APP_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
PLAIN_JAR="$ROOT/target/upstream-guard-0.1.0-SNAPSHOT.jar"
if [ ! -f "$APP_JAR" ] || [ ! -f "$PLAIN_JAR" ] \
    || [ -n "$(find src/main pom.xml -newer "$APP_JAR" -print -quit)" ]; then
  log "building the app (mvn package -DskipTests)"
  mvn -B -q package -DskipTests
fi
log "building the bench module"
mvn -B -q -f bench/pom.xml process-classes
CP="$ROOT/bench/target/classes:$PLAIN_JAR:$(cat "$ROOT/bench/target/classpath.txt")"
bench_java() { java -cp "$CP" "$@" 2> >(grep -v '^SLF4J' >&2); }

# ---- the machine -----------------------------------------------------------------------------------------------
{
  echo "| what | value |"
  echo "|---|---|"
  echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
  echo "| mode | $($QUICK && echo 'quick (--quick): figures prove the harness, do not quote them' || echo full) |"
  echo "| cores (nproc) | $(nproc) |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
  echo "| memory | $(free -m | awk '/Mem:/{print $2 " MiB"}') |"
  echo "| JDK | $(java -version 2>&1 | head -1), $(java -version 2>&1 | sed -n 3p) |"
  echo "| load before the run (1/5/15 min) | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo "| server JVM flags | ${SERVER_JAVA_OPTS[*]} |"
} > "$OUT/machine.md"
cat "$OUT/machine.md"

# ---- fixtures --------------------------------------------------------------------------------------------------
bench_java dev.upstreamguard.bench.FixtureMain reviews "$WORK/reviews" >&2
bash certs/gen-certs.sh --out "$WORK/certs" >/dev/null 2>&1

# --quick fills its small mock API server (part 4) beside the other parts: its figures are not quoted, and that keeps
# the whole run near a minute. A full run starts it when nothing else runs.
MOCK_PID=""
if $QUICK; then
  java -Xmx1g -cp "$CP" dev.upstreamguard.bench.MockApiMain "$MOCK_PODS" "$WORK/mock.url" > "$WORK/mock.log" 2>&1 &
  MOCK_PID=$!
  PIDS+=("$MOCK_PID")
fi

# ---- 1. in-process decision ------------------------------------------------------------------------------------
log "1. in-process decision (JMH)"
if $QUICK; then
  java -Xmx3g -cp "$CP" dev.upstreamguard.bench.DecisionMain quick "$OUT/decision.md" > "$WORK/jmh.log" 2>&1 \
    || { tail -40 "$WORK/jmh.log" >&2; exit 1; }
else
  java -Xmx1g -cp "$CP" dev.upstreamguard.bench.DecisionMain full "$OUT/decision.md" > "$WORK/jmh.log" 2>&1 \
    || { tail -40 "$WORK/jmh.log" >&2; exit 1; }
fi
cp "$WORK/jmh.log" "$OUT/jmh.log"
cat "$OUT/decision.md"

# ---- 3a. heap per cached pod -----------------------------------------------------------------------------------
log "3. heap per cached pod"
bench_java -Xmx2g dev.upstreamguard.bench.MemoryMain "$MEMORY_PODS" "$OUT/memory.md" >/dev/null
cat "$OUT/memory.md"

# ---- the server ------------------------------------------------------------------------------------------------
SERVER_PID=""
server_args() {
  echo "-Dquarkus.http.ssl-port=$HTTPS_PORT -Dquarkus.http.port=$HTTP_PORT -Dquarkus.management.port=$MGMT_PORT"
  echo "-Dquarkus.tls.webhook.key-store.pem.0.cert=$WORK/certs/tls.crt"
  echo "-Dquarkus.tls.webhook.key-store.pem.0.key=$WORK/certs/tls.key"
  # the periodic whole-cluster audit would land in the middle of a run; it is not on the request path
  echo "-Dupstream-guard.audit.enabled=false -Dbench.floor-endpoint=true"
}

# start_server <log> <extra -D...>: starts the packaged app; sets SERVER_PID and START_MS
start_server() {
  local logfile=$1
  shift
  START_MS=$(now_ms)
  # shellcheck disable=SC2046
  java "${SERVER_JAVA_OPTS[@]}" $(server_args) "$@" -jar "$APP_JAR" > "$logfile" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then
    # not SIGTERM: the graceful shutdown waits out its 5 s delay, and nothing here needs it
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

# wait_answer_and_ready <timeout s> <log>: sets FIRST_MS (first 200 from /validate over TLS) and READY_MS
wait_answer_and_ready() {
  local deadline=$(( $(now_ms) + $1 * 1000 )) code
  FIRST_MS=""
  READY_MS=""
  while [ "$(now_ms)" -lt "$deadline" ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench: the server died; its log:" >&2; tail -30 "$2" >&2; return 1; }
    if [ -z "$FIRST_MS" ]; then
      code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 -X POST -H 'Content-Type: application/json' \
        --data-binary @"$WORK/reviews/service-update.json" "https://127.0.0.1:$HTTPS_PORT/validate" || true)
      [ "$code" = 200 ] && FIRST_MS=$(( $(now_ms) - START_MS ))
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT_PORT/q/health/ready" || true)
    if [ "$code" = 200 ]; then
      READY_MS=$(( $(now_ms) - START_MS ))
      [ -n "$FIRST_MS" ] || FIRST_MS=$READY_MS
      return 0
    fi
    sleep 0.05
  done
  echo "bench: the server was not ready in $1 s; its log:" >&2
  tail -30 "$2" >&2
  return 1
}

rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
heap_used_kib() { jcmd "$1" GC.heap_info 2>/dev/null | awk '/garbage-first heap|def new generation|PSYoungGen/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub("K,?","",v); print v; exit}}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# CPU ticks of the JIT compiler threads of a process
jit_ticks() {
  local t sum=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in C1*|C2*) sum=$(( sum + $(awk '{print $14 + $15}' "$t/stat") )) ;; esac
  done
  echo "$sum"
}
CLK_TCK=$(getconf CLK_TCK)

# ---- 2 + 3b + 4a. the server on each cluster size --------------------------------------------------------------
echo "| pods in the cluster | manifests (JSON) | start to first answer | start to ready | RSS when ready | RSS after GC | heap used after GC |" > "$OUT/server.md"
echo "|---:|---:|---:|---:|---:|---:|---:|" >> "$OUT/server.md"
HTTP_TSV="$WORK/http.tsv"
: > "$HTTP_TSV"

run_wrk() { # run_wrk <endpoint> <review> <connections> <seconds> -> appends a TSV line
  local endpoint=$1 review=$2 conns=$3 secs=$4 threads=2 bodies out before after
  [ "$conns" -lt 2 ] && threads=1
  if [ "$review" = mix ]; then
    bodies="$WORK/reviews/deployment-update.json,$WORK/reviews/service-update.json,$WORK/reviews/ingress-create.json"
  else
    bodies="$WORK/reviews/$review.json"
  fi
  before=$(cpu_ticks "$SERVER_PID")
  out=$(BENCH_BODIES="$bodies" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 5s \
    -s "$ROOT/bench/wrk/review.lua" "https://127.0.0.1:$HTTPS_PORT$endpoint" 2>&1) || { echo "$out" >&2; return 1; }
  after=$(cpu_ticks "$SERVER_PID")
  local line
  line=$(echo "$out" | grep '^RESULT') || { echo "$out" >&2; return 1; }
  echo -e "$review\t$endpoint\t$conns\t$line\t$(( after - before ))" >> "$HTTP_TSV"
}

# http_table: /validate next to the floor, per review and concurrency
http_table() {
  local NPROC
  NPROC=$(nproc)
  {
  echo "| review | connections | /validate reviews/s | per core | per server CPU-second | p50 ms | p99 ms | server CPU µs/review | floor reviews/s | floor CPU µs/review | /validate ÷ floor | parse floor reviews/s | parse floor CPU µs/review | /validate ÷ parse floor |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' -v nproc="$NPROC" -v tck="$CLK_TCK" '
    function val(s, k,   m) { if (match(s, k "=[0-9.]+")) { m = substr(s, RSTART + length(k) + 1, RLENGTH - length(k) - 1); return m + 0 } return 0 }
    {
      key = $1 "\t" $3
      if (!(key in seen)) { order[++n] = key; seen[key] = 1 }
      rps[key, $2] = val($4, "rps"); p50[key, $2] = val($4, "p50_us"); p99[key, $2] = val($4, "p99_us")
      req[key, $2] = val($4, "requests"); bad[key, $2] = val($4, "socket_errors") + val($4, "non2xx"); cpu[key, $2] = $5
    }
    END {
      for (i = 1; i <= n; i++) {
        k = order[i]; split(k, kv, "\t"); v = "/validate"; f = "/bench/allow"; g = "/bench/parse-allow"
        cpuus = req[k, v] > 0 ? cpu[k, v] / tck * 1e6 / req[k, v] : 0
        cpuf = req[k, f] > 0 ? cpu[k, f] / tck * 1e6 / req[k, f] : 0
        cpug = req[k, g] > 0 ? cpu[k, g] / tck * 1e6 / req[k, g] : 0
        printf "| %s | %d | %.0f%s | %.0f | %.0f | %.2f | %.2f | %.0f | %.0f%s | %.0f | %.0f %% | %.0f%s | %.0f | %.0f %% |\n", kv[1], kv[2],
          rps[k, v], (bad[k, v] > 0 ? " (" bad[k, v] " errors)" : ""), rps[k, v] / nproc, (cpuus > 0 ? 1e6 / cpuus : 0),
          p50[k, v] / 1000, p99[k, v] / 1000, cpuus,
          rps[k, f], (bad[k, f] > 0 ? " (" bad[k, f] " errors)" : ""), cpuf, (rps[k, f] > 0 ? 100 * rps[k, v] / rps[k, f] : 0),
          rps[k, g], (bad[k, g] > 0 ? " (" bad[k, g] " errors)" : ""), cpug, (rps[k, g] > 0 ? 100 * rps[k, v] / rps[k, g] : 0)
      }
    }' "$HTTP_TSV"
  echo
  echo "Server on the $(printf "%'d" "$HTTP_PODS")-pod synthetic cluster, $HTTP_SECONDS s per run after a warm-up of ${warmup_s:-?} s"
  echo "(until the JIT compilers were quiet); TLS 1.3, keep-alive. Server RSS after the HTTP runs: $(( ${rss_load:-0} / 1024 )) MiB."
  echo "wrk runs on the same $NPROC cores as the server: \"per core\" = reviews/s ÷ $NPROC, and \"per server CPU-second\" ="
  echo "reviews per second of CPU the server process used (user+system over the run ÷ reviews, inverted), which does not"
  echo "depend on what else runs on the machine. Floor: /bench/allow (streams request.uid, parses nothing else); parse"
  echo "floor: /bench/parse-allow (reads the review into fabric8 objects as /validate does, decides nothing)."
  } > "$OUT/http.md"
  cat "$OUT/http.md"
}

for pods in "${SIZES[@]}"; do
  log "server on $pods pods: writing manifests"
  bench_java dev.upstreamguard.bench.FixtureMain manifests "$pods" "$WORK/m$pods" >/dev/null
  size=$(du -sm "$WORK/m$pods" | cut -f1)
  start_server "$WORK/server-$pods.log" -Dupstream-guard.cluster.manifests="$WORK/m$pods"
  wait_answer_and_ready 600 "$WORK/server-$pods.log"
  rss_ready=$(rss_kib "$SERVER_PID")
  for _ in 1 2 3; do jcmd "$SERVER_PID" GC.run >/dev/null 2>&1 || true; done
  sleep 1
  rss_gc=$(rss_kib "$SERVER_PID")
  heap=$(heap_used_kib "$SERVER_PID")
  printf '| %s | %s MiB | %s s | %s s | %s MiB | %s MiB | %s MiB |\n' "$(printf "%'d" "$pods")" "$size" \
    "$(secs "$FIRST_MS")" "$(secs "$READY_MS")" "$((rss_ready / 1024))" \
    "$((rss_gc / 1024))" "$(( ${heap:-0} / 1024 ))" >> "$OUT/server.md"

  if [ "$pods" = "$HTTP_PODS" ]; then
    log "2. HTTP on $pods pods: warm-up until the JIT compilers are quiet (at most $HTTP_WARMUP_MAX s)"
    warm_start=$(date +%s)
    quiet=0
    for f in "${FLOORS[@]}"; do run_wrk "$f" mix 16 "$($QUICK && echo 1 || echo 2)"; done
    while [ $(( $(date +%s) - warm_start )) -lt "$HTTP_WARMUP_MAX" ]; do
      jit_before=$(jit_ticks "$SERVER_PID")
      run_wrk /validate mix 16 "$($QUICK && echo 2 || echo 5)"
      jit=$(( $(jit_ticks "$SERVER_PID") - jit_before ))
      # < 5 % of one core over the 5 s round
      if [ $(( jit * 100 / CLK_TCK )) -lt 25 ]; then quiet=$((quiet + 1)); else quiet=0; fi
      log "   warm-up: JIT compilers used $(( jit * 1000 / CLK_TCK )) ms of CPU in the last round"
      [ "$quiet" -ge 2 ] && break
    done
    $QUICK || for f in "${FLOORS[@]}"; do run_wrk "$f" mix 16 5; done
    warmup_s=$(( $(date +%s) - warm_start ))
    : > "$HTTP_TSV"
    for review in "${HTTP_REVIEWS[@]}"; do
      for c in "${CONCURRENCY[@]}"; do
        log "2. HTTP $review, $c connections"
        run_wrk /validate "$review" "$c" "$HTTP_SECONDS"
        for f in "${FLOORS[@]}"; do run_wrk "$f" "$review" "$c" "$HTTP_SECONDS"; done
      done
    done
    rss_load=$(rss_kib "$SERVER_PID")
    http_table
  fi
  stop_server
  rm -rf "$WORK/m$pods"
done
cat "$OUT/server.md"

# ---- 4b. startup against the CRUD mock API server --------------------------------------------------------------
log "4. startup against a CRUD mock API server with $MOCK_PODS pods"
if [ -z "$MOCK_PID" ]; then
  # java itself in the background (not through a function or a pipe), so $! is the process to kill
  java -Xmx3g -cp "$CP" dev.upstreamguard.bench.MockApiMain "$MOCK_PODS" "$WORK/mock.url" > "$WORK/mock.log" 2>&1 &
  MOCK_PID=$!
  PIDS+=("$MOCK_PID")
fi
for _ in $(seq 1 1200); do
  [ -s "$WORK/mock.url" ] && break
  kill -0 "$MOCK_PID" 2>/dev/null || { cat "$WORK/mock.log" >&2; exit 1; }
  sleep 0.5
done
[ -s "$WORK/mock.url" ] || { echo "bench: the mock API server was not filled in 10 minutes" >&2; exit 1; }
MOCK_URL=$(cat "$WORK/mock.url")
start_server "$WORK/server-mock.log" -Dkubernetes.master="$MOCK_URL" -Dkubernetes.trust.certificates=true \
  -Dkubernetes.auth.tryKubeConfig=false -Dkubernetes.auth.tryServiceAccount=false -Dkubernetes.namespace=default
wait_answer_and_ready 600 "$WORK/server-mock.log"
rss_mock=$(rss_kib "$SERVER_PID")
counts=$(curl -s "http://127.0.0.1:$MGMT_PORT/q/health/ready" | tr -d ' \n' | grep -o '"Pod":[0-9]*' || true)
stop_server
kill -KILL "$MOCK_PID" 2>/dev/null || true
wait "$MOCK_PID" 2>/dev/null || true
{
  echo "| source | pods | start to first answer | start to ready (every informer synced) | RSS when ready |"
  echo "|---|---:|---:|---:|---:|"
  printf '| CRUD mock API server (%s) | %s | %s s | %s s | %s MiB |\n' "$(grep -o 'created in [0-9.]* s' "$WORK/mock.log" | sed 's/created/filled/')" \
    "${counts#\"Pod\":}" "$(secs "$FIRST_MS")" "$(secs "$READY_MS")" "$((rss_mock / 1024))"
  echo
  echo "Before ready, /validate answers allowed with a \"cluster cache not synced yet\" warning: the first answer comes before readiness."
} > "$OUT/startup.md"
cat "$OUT/startup.md"

echo "| load after the run (1/5/15 min) | $(cut -d' ' -f1-3 /proc/loadavg) |" >> "$OUT/machine.md"
log "done: figures in bench/target/results/"
