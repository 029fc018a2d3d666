#!/usr/bin/env bash
# bench/run.sh [--quick | --mock <pods>] - upstream-guard's load and scale benchmark, all figures in one run:
#   1. in-process decision latency (JMH): p50/p99/p99.9 per review on synthetic clusters of 1k/10k/100k pods
#   2. HTTP over TLS (wrk): /validate side by side with two floors in the same server (/bench/allow answers without
#      parsing; /bench/parse-allow parses the review as /validate does, then answers), 1/16/64 connections, after a
#      warm-up that lasts until the JIT compilers are quiet
#   3. memory: heap of the whole view per pod, all kinds (ClusterIndex + the informers' stores), reduced vs full pod;
#      server RSS per cluster size with the JVM flags the image ships, under the memory limit shipped for that size
#   4. startup: process start to first answer and to ready, from manifests and against a CRUD mock API server
#   5. overload: far more connections than cores against a small max-in-flight; every answer checked
# Figures go to stdout and bench/target/results/*.md. --quick (CI): every part, shorter and smaller, to prove the
# harness runs; its figures are not to be quoted. --mock <pods>: part 4 alone, against a mock API server holding a
# cluster of that size, under the memory limit of that size (the rows of docs/deploy.md's memory table). Every process
# started here is killed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

QUICK=false
MOCK_ONLY=""
case "${1:-}" in
  --quick) QUICK=true ;;
  --mock)
    # only part 4 against the mock API server, with that many pods: the rows of the memory table in docs/deploy.md
    [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "usage: bench/run.sh --mock <pods>" >&2; exit 2; }
    MOCK_ONLY=$2 ;;
  "") ;;
  *) echo "usage: bench/run.sh [--quick | --mock <pods>]" >&2; exit 2 ;;
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
  MEMORY_SIZES=(10000)
  MOCK_PODS=100
  OVERLOAD_CONNECTIONS=(256)
  OVERLOAD_SECONDS=3
  OVERLOAD_WARMUP=3
else
  SIZES=(1000 10000 100000)
  HTTP_PODS=10000
  HTTP_SECONDS=10
  # warm-up in 5 s rounds of the mix until the JIT compilers use < 5 % of a core for two rounds: on 2 cores C2 takes
  # 40-60 s to settle under load, and figures taken before that measure the compiler, not the code
  HTTP_WARMUP_MAX=150
  HTTP_REVIEWS=(deployment-update mix ingress-create service-update)
  MEMORY_SIZES=(10000 100000)
  # the CRUD mock takes one create per request and gets slower as it fills: ~5 min for 10k pods on 2 cores
  MOCK_PODS=10000
  OVERLOAD_CONNECTIONS=(256 1024)
  OVERLOAD_SECONDS=20
  OVERLOAD_WARMUP=60
fi
if [ -n "$MOCK_ONLY" ]; then
  MOCK_PODS=$MOCK_ONLY
  SIZES=()
  MEMORY_SIZES=()
fi
# the overload run's server: reviews queued or being judged at once (the shipped default is 64)
OVERLOAD_MAX_IN_FLIGHT=8
if $QUICK; then CONCURRENCY=(16); else CONCURRENCY=(1 16 64); fi
FLOORS=(/bench/allow /bench/parse-allow)

# ---- the JVM flags the image ships -----------------------------------------------------------------------------
# The image's run-java.sh (ubi9/openjdk-17-runtime) builds the command line from its java-default-options: the heap
# ceiling from JAVA_MAX_MEM_RATIO, the GC from GC_CONTAINER_OPTIONS (default ParallelGC) with its heap-sizing flags,
# ExitOnOutOfMemoryError, then JAVA_OPTS_APPEND. server_java_opts does the same from the ENV lines of
# src/main/docker/Dockerfile.jvm, and stands in for the container's memory limit with -XX:MaxRAM: the JVM sizes its
# heap from it exactly as from a cgroup limit. BENCH_SERVER_JAVA_OPTS replaces all of it.
dockerfile_env() { sed -n "s/^ENV $1=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" src/main/docker/Dockerfile.jvm | tail -1; }
JAVA_MAX_MEM_RATIO=$(dockerfile_env JAVA_MAX_MEM_RATIO)
GC_CONTAINER_OPTIONS=$(dockerfile_env GC_CONTAINER_OPTIONS)
IMAGE_JAVA_OPTS="-XX:MaxRAMPercentage=${JAVA_MAX_MEM_RATIO:-80} ${GC_CONTAINER_OPTIONS:--XX:+UseParallelGC}"
IMAGE_JAVA_OPTS+=" -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90"
IMAGE_JAVA_OPTS+=" -XX:+ExitOnOutOfMemoryError $(dockerfile_env JAVA_OPTS_APPEND)"
# The memory limit each cluster size runs under: the rows of the table in docs/deploy.md ("Memory") and values.yaml,
# the shipped default (deploy/base/050-deployment.yaml) for 1,001-10,000 pods
SHIPPED_LIMIT_MIB=$(awk '/limits:/{l=1} l&&/memory:/{v=$2; if (v ~ /Gi$/) {sub("Gi","",v); v*=1024} else sub("Mi","",v); print v; exit}' deploy/base/050-deployment.yaml)
limit_mib_for() {
  if [ "$1" -le 1000 ]; then echo 512
  elif [ "$1" -le 10000 ]; then echo "$SHIPPED_LIMIT_MIB"
  elif [ "$1" -le 30000 ]; then echo 3072
  else echo 8192; fi
}
server_java_opts() { # server_java_opts <pods>
  if [ -n "${BENCH_SERVER_JAVA_OPTS:-}" ]; then echo "$BENCH_SERVER_JAVA_OPTS"; return; fi
  echo "$IMAGE_JAVA_OPTS -XX:MaxRAM=$(limit_mib_for "$1")m"
}
load_now() { cut -d' ' -f1-3 /proc/loadavg; }

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
    || [ -n "$(find src/main/java src/main/resources pom.xml -newer "$APP_JAR" -print -quit)" ]; then
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
  echo "| server JVM flags (the image's) | ${BENCH_SERVER_JAVA_OPTS:-$IMAGE_JAVA_OPTS}, and -XX:MaxRAM = the memory limit of the size (below) |"
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
if [ -z "$MOCK_ONLY" ]; then
log "1. in-process decision (JMH)"
LOAD_JMH=$(load_now)
if $QUICK; then
  java -Xmx3g -cp "$CP" dev.upstreamguard.bench.DecisionMain quick "$OUT/decision.md" > "$WORK/jmh.log" 2>&1 \
    || { tail -40 "$WORK/jmh.log" >&2; exit 1; }
else
  java -Xmx1g -cp "$CP" dev.upstreamguard.bench.DecisionMain full "$OUT/decision.md" > "$WORK/jmh.log" 2>&1 \
    || { tail -40 "$WORK/jmh.log" >&2; exit 1; }
fi
cp "$WORK/jmh.log" "$OUT/jmh.log"
echo -e "\nLoad average (1/5/15 min) at the start of this part: $LOAD_JMH, at its end: $(load_now)." >> "$OUT/decision.md"
cat "$OUT/decision.md"
fi

# ---- 3a. heap of the whole view --------------------------------------------------------------------------------
for pods in "${MEMORY_SIZES[@]:-}"; do
  [ -n "$pods" ] || continue
  log "3. heap of the whole view, all kinds, $pods pods"
  load_before=$(load_now)
  # the per-pod comparison with a full pod cache once, at 10k (100k full pods would need 2 GB)
  compare=""
  [ "$pods" = 10000 ] && ! $QUICK && compare=--compare-full
  bench_java -Xmx3g dev.upstreamguard.bench.MemoryMain "$pods" "$OUT/memory-$pods.md" $compare >/dev/null
  echo -e "\nLoad average (1/5/15 min) at the start of this part: $load_before, at its end: $(load_now)." >> "$OUT/memory-$pods.md"
  cat "$OUT/memory-$pods.md"
done

# ---- the server ------------------------------------------------------------------------------------------------
SERVER_PID=""
server_args() {
  echo "-Dquarkus.http.ssl-port=$HTTPS_PORT -Dquarkus.http.port=$HTTP_PORT -Dquarkus.management.port=$MGMT_PORT"
  echo "-Dquarkus.tls.webhook.key-store.pem.0.cert=$WORK/certs/tls.crt"
  echo "-Dquarkus.tls.webhook.key-store.pem.0.key=$WORK/certs/tls.key"
  # the periodic whole-cluster audit would land in the middle of a run; it is not on the request path
  echo "-Dupstream-guard.audit.enabled=false -Dbench.floor-endpoint=true"
}

# start_server <log> <pods> <extra -D...>: starts the packaged app with the image's JVM flags under the memory limit
# of that cluster size; sets SERVER_PID and START_MS
start_server() {
  local logfile=$1 pods=$2
  shift 2
  START_MS=$(now_ms)
  # shellcheck disable=SC2046
  java $(server_java_opts "$pods") $(server_args) "$@" -jar "$APP_JAR" > "$logfile" 2>&1 &
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
# the peak RSS of the process so far: what a memory limit has to hold
hwm_kib() { awk '/VmHWM/{print $2}' "/proc/$1/status"; }
# heap used, every generation (G1, Parallel or Serial)
heap_used_kib() { jcmd "$1" GC.heap_info 2>/dev/null | awk '/garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub("K,?","",v); sum+=v}} END{print sum+0}'; }
heap_max_mib() { jcmd "$1" VM.flags 2>/dev/null | grep -o ' -XX:MaxHeapSize=[0-9]*' | awk -F= '{printf "%d", $2 / 1048576}'; }
# after_full_gc: full GCs in the server until it has settled; sets RSS_GC (KiB) and HEAP_USED (KiB)
after_full_gc() {
  for _ in 1 2 3; do jcmd "$SERVER_PID" GC.run >/dev/null 2>&1 || true; done
  sleep 1
  RSS_GC=$(rss_kib "$SERVER_PID")
  HEAP_USED=$(heap_used_kib "$SERVER_PID")
}
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

# ---- 2 + 3b + 4a + 5. the server on each cluster size ----------------------------------------------------------
echo "| pods in the cluster | manifests (JSON) | memory limit (-XX:MaxRAM) | max heap | start to first answer | start to ready | RSS when ready | peak RSS | RSS after GC | heap used after GC | peak RSS ÷ limit |" > "$OUT/server.md"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" >> "$OUT/server.md"
LOAD_SERVER=$(load_now)
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

# warm_until_quiet <connections> <max seconds>: the mix against /validate in rounds until the JIT compilers use < 5 %
# of a core for two rounds; sets warmup_s
warm_until_quiet() {
  local conns=$1 max=$2 warm_start quiet=0 jit_before jit
  warm_start=$(date +%s)
  while [ $(( $(date +%s) - warm_start )) -lt "$max" ]; do
    jit_before=$(jit_ticks "$SERVER_PID")
    run_wrk /validate mix "$conns" "$($QUICK && echo 2 || echo 5)"
    jit=$(( $(jit_ticks "$SERVER_PID") - jit_before ))
    # < 5 % of one core over the 5 s round
    if [ $(( jit * 100 / CLK_TCK )) -lt 25 ]; then quiet=$((quiet + 1)); else quiet=0; fi
    log "   warm-up: JIT compilers used $(( jit * 1000 / CLK_TCK )) ms of CPU in the last round"
    [ "$quiet" -ge 2 ] && break
  done
  warmup_s=$(( $(date +%s) - warm_start ))
}

# the management port's counter of reviews answered "overloaded" (or "late", ...), as Prometheus scrapes it
fault_count() {
  curl -s --max-time 5 "http://127.0.0.1:$MGMT_PORT/q/metrics" \
    | awk -v why="$1" '$1 == "upstream_guard_faults_total{why=\"" why "\"}" { printf "%d", $2; found = 1 } END { if (!found) printf "0" }'
}
# reviews judged, every kind and decision (upstream_guard_reviews_total)
judged_count() {
  curl -s --max-time 5 "http://127.0.0.1:$MGMT_PORT/q/metrics" \
    | awk '/^upstream_guard_reviews_total\{/ { sum += $2 } END { printf "%d", sum }'
}

OVERLOAD_TSV="$WORK/overload.tsv"
: > "$OVERLOAD_TSV"
# run_overload <connections> <seconds>: wrk/overload.lua against /validate?timeout=3s; appends a TSV line
run_overload() {
  local conns=$1 secs=$2 out line before_o before_l before_j before_cpu after_cpu
  before_o=$(fault_count overloaded)
  before_l=$(fault_count late)
  before_j=$(judged_count)
  before_cpu=$(cpu_ticks "$SERVER_PID")
  out=$(BENCH_BODIES="$WORK/reviews/deployment-update.json" wrk -t2 -c"$conns" -d"${secs}s" --timeout 10s \
    -s "$ROOT/bench/wrk/overload.lua" "https://127.0.0.1:$HTTPS_PORT/validate?timeout=3s" 2>&1) \
    || { echo "$out" >&2; return 1; }
  after_cpu=$(cpu_ticks "$SERVER_PID")
  line=$(echo "$out" | grep '^RESULT') || { echo "$out" >&2; return 1; }
  # the metrics once the answers still in flight when wrk stopped have been given
  sleep "$($QUICK && echo 1 || echo 3)"
  echo -e "$conns\t$line\t$(( $(fault_count overloaded) - before_o ))\t$(( $(fault_count late) - before_l ))\t$(( after_cpu - before_cpu ))\t$(load_now)\t$(( $(judged_count) - before_j ))" >> "$OVERLOAD_TSV"
}

overload_table() {
  {
  echo "| connections | seconds | sent | answered | in flight when wrk stopped | judged | \"overloaded\" | \"late\" | malformed (non-200, wrong or unknown uid) | denied | answered after 3 s | unanswered after 3 s | socket errors / wrk timeouts | server: judged + \"overloaded\" + \"late\" (metrics Δ) | answers/s | judged p50 ms | judged p99 ms | judged max ms | \"overloaded\" p99 ms | load (1/5/15) |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  awk -F'\t' '
    function val(s, k,   m) { if (match(s, " " k "=[0-9.]+")) { m = substr(s, RSTART + length(k) + 2, RLENGTH - length(k) - 2); return m + 0 } return 0 }
    {
      l = " " $2
      printf "| %d | %.0f | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d / %d | %d + %d + %d = %d |  %.0f | %.1f | %.1f | %.1f | %.1f | %s |\n", $1,
        val(l, "seconds"), val(l, "sent"), val(l, "answers"), val(l, "unanswered_at_end"), val(l, "judged"),
        val(l, "overloaded"), val(l, "late"), val(l, "bad_status") + val(l, "bad_uid"), val(l, "denied"),
        val(l, "over_3s"), val(l, "stuck_at_end"), val(l, "socket_errors"), val(l, "timeouts"), $7, $3, $4, $7 + $3 + $4,
        val(l, "answers") / val(l, "seconds"), val(l, "judged_p50_us") / 1000, val(l, "judged_p99_us") / 1000,
        val(l, "judged_max_us") / 1000, val(l, "overloaded_p99_us") / 1000, $6
    }' "$OVERLOAD_TSV"
  echo
  echo "The packaged app on the $(printf "%'d" "$HTTP_PODS")-pod cluster with upstream-guard.admission.max-in-flight=$OVERLOAD_MAX_IN_FLIGHT"
  echo "(the image's JVM flags, $(limit_mib_for "$HTTP_PODS") MiB limit), after a warm-up of ${overload_warmup_s:-?} s at $OVERLOAD_MAX_IN_FLIGHT connections;"
  echo "wrk (2 threads, on the same $(nproc) cores) POSTs the 24 KB Deployment UPDATE to /validate?timeout=3s, each request with a"
  echo "uid of its own; bench/wrk/overload.lua checks every answer (200, an AdmissionReview answering a uid that was sent and"
  echo "not answered yet, allowed) and times it from hand-over to the last byte read. Judged: answered on its merits;"
  echo "\"overloaded\": shed at the door, allowed with the warning; \"late\": the deadline (3 s less the 250 ms margin) had"
  echo "passed before a worker took it. Server side: upstream_guard_reviews_total (every kind and decision) and"
  echo "upstream_guard_faults_total{why=\"overloaded\"|\"late\"} on the management port, before and a moment after the run: they"
  echo "count the requests in flight when wrk stopped too, which the server answered after wrk stopped reading, so their sum"
  echo "is to equal \"sent\". Peak server RSS over the overload runs: $(( ${rss_overload:-0} / 1024 )) MiB."
  } > "$OUT/overload.md"
  cat "$OUT/overload.md"
}

for pods in "${SIZES[@]:-}"; do
  [ -n "$pods" ] || continue
  log "server on $pods pods: writing manifests"
  bench_java dev.upstreamguard.bench.FixtureMain manifests "$pods" "$WORK/m$pods" >/dev/null
  size=$(du -sm "$WORK/m$pods" | cut -f1)
  start_server "$WORK/server-$pods.log" "$pods" -Dupstream-guard.cluster.manifests="$WORK/m$pods"
  wait_answer_and_ready 600 "$WORK/server-$pods.log"
  rss_ready=$(rss_kib "$SERVER_PID")
  hwm=$(hwm_kib "$SERVER_PID")
  after_full_gc
  limit=$(limit_mib_for "$pods")
  printf '| %s | %s MiB | %s MiB | %s MiB | %s s | %s s | %s MiB | %s MiB | %s MiB | %s MiB | %s %% |\n' "$(printf "%'d" "$pods")" \
    "$size" "$limit" "$(heap_max_mib "$SERVER_PID")" "$(secs "$FIRST_MS")" "$(secs "$READY_MS")" "$((rss_ready / 1024))" \
    "$((hwm / 1024))" "$((RSS_GC / 1024))" "$(( ${HEAP_USED:-0} / 1024 ))" "$(( hwm * 100 / 1024 / limit ))" >> "$OUT/server.md"

  if [ "$pods" = "$HTTP_PODS" ]; then
    log "2. HTTP on $pods pods: warm-up until the JIT compilers are quiet (at most $HTTP_WARMUP_MAX s)"
    LOAD_HTTP=$(load_now)
    for f in "${FLOORS[@]}"; do run_wrk "$f" mix 16 "$($QUICK && echo 1 || echo 2)"; done
    warm_until_quiet 16 "$HTTP_WARMUP_MAX"
    $QUICK || for f in "${FLOORS[@]}"; do run_wrk "$f" mix 16 5; done
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
    echo -e "\nLoad average (1/5/15 min) at the start of this part: $LOAD_HTTP, at its end: $(load_now). Peak server RSS: $(( $(hwm_kib "$SERVER_PID") / 1024 )) MiB (limit $limit MiB)." >> "$OUT/http.md"
    tail -2 "$OUT/http.md"
    stop_server

    log "5. overload on $pods pods: max-in-flight $OVERLOAD_MAX_IN_FLIGHT, ${OVERLOAD_CONNECTIONS[*]} connections"
    start_server "$WORK/server-overload.log" "$pods" -Dupstream-guard.cluster.manifests="$WORK/m$pods" \
      -Dupstream-guard.admission.max-in-flight="$OVERLOAD_MAX_IN_FLIGHT"
    wait_answer_and_ready 600 "$WORK/server-overload.log"
    # as many connections as places: nothing shed while the JIT compiles
    warm_until_quiet "$OVERLOAD_MAX_IN_FLIGHT" "$OVERLOAD_WARMUP"
    overload_warmup_s=$warmup_s
    for c in "${OVERLOAD_CONNECTIONS[@]}"; do
      log "5. overload: $c connections, $OVERLOAD_SECONDS s"
      run_overload "$c" "$OVERLOAD_SECONDS"
    done
    rss_overload=$(hwm_kib "$SERVER_PID")
    overload_table
  fi
  stop_server
  rm -rf "$WORK/m$pods"
done
if [ -z "$MOCK_ONLY" ]; then
  echo -e "\nLoad average (1/5/15 min) at the start of this part: $LOAD_SERVER, at its end: $(load_now)." >> "$OUT/server.md"
  cat "$OUT/server.md"
else
  rm -f "$OUT/server.md"
fi

# ---- 4b. startup against the CRUD mock API server --------------------------------------------------------------
log "4. startup against a CRUD mock API server with $MOCK_PODS pods"
if [ -z "$MOCK_PID" ]; then
  # java itself in the background (not through a function or a pipe), so $! is the process to kill
  # the mock keeps every object as JSON and serves whole lists: ~3 GiB of heap holds 10k pods with room
  java -Xmx$(( MOCK_PODS > 10000 ? 3 * MOCK_PODS / 10000 + 1 : 3 ))g -cp "$CP" dev.upstreamguard.bench.MockApiMain \
    "$MOCK_PODS" "$WORK/mock.url" > "$WORK/mock.log" 2>&1 &
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
LOAD_MOCK=$(load_now)
start_server "$WORK/server-mock.log" "$MOCK_PODS" -Dkubernetes.master="$MOCK_URL" -Dkubernetes.trust.certificates=true \
  -Dkubernetes.auth.tryKubeConfig=false -Dkubernetes.auth.tryServiceAccount=false -Dkubernetes.namespace=default
wait_answer_and_ready 600 "$WORK/server-mock.log"
rss_mock=$(rss_kib "$SERVER_PID")
counts=$(curl -s "http://127.0.0.1:$MGMT_PORT/q/health/ready" | tr -d ' \n' | grep -o '"Pod":[0-9]*' || true)
# then reviews for a while (the mix, 16 connections), as a guard in service sees them
run_wrk /validate mix 16 "$($QUICK && echo 2 || echo 20)"
rss_mock_load=$(rss_kib "$SERVER_PID")
hwm_mock=$(hwm_kib "$SERVER_PID")
after_full_gc
heap_max_mock=$(heap_max_mib "$SERVER_PID")
stop_server
kill -KILL "$MOCK_PID" 2>/dev/null || true
wait "$MOCK_PID" 2>/dev/null || true
limit=$(limit_mib_for "$MOCK_PODS")
{
  echo "| source | pods | memory limit (-XX:MaxRAM) | max heap | start to first answer | start to ready (every informer synced) | RSS when ready | RSS after $($QUICK && echo 2 || echo 20) s of reviews | peak RSS | RSS after GC | heap used after GC | peak RSS ÷ limit |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '| CRUD mock API server (%s) | %s | %s MiB | %s MiB | %s s | %s s | %s MiB | %s MiB | %s MiB | %s MiB | %s MiB | %s %% |\n' \
    "$(grep -o 'created in [0-9.]* s' "$WORK/mock.log" | sed 's/created/filled/')" "${counts#\"Pod\":}" "$limit" \
    "$heap_max_mock" "$(secs "$FIRST_MS")" "$(secs "$READY_MS")" "$((rss_mock / 1024))" "$((rss_mock_load / 1024))" \
    "$((hwm_mock / 1024))" "$((RSS_GC / 1024))" "$(( ${HEAP_USED:-0} / 1024 ))" "$(( hwm_mock * 100 / 1024 / limit ))"
  echo
  echo "Before ready, /validate answers allowed with a \"cluster cache not synced yet\" warning: the first answer comes before readiness."
  echo "The image's JVM flags under the limit shipped for this size; the informers list every kind in one response each"
  echo "(the mock serves no pages). Load average (1/5/15 min) at the start of this part: $LOAD_MOCK, at its end: $(load_now)."
} > "$OUT/startup.md"
cat "$OUT/startup.md"

echo "| load after the run (1/5/15 min) | $(cut -d' ' -f1-3 /proc/loadavg) |" >> "$OUT/machine.md"
log "done: figures in bench/target/results/"
