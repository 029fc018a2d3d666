#!/usr/bin/env bash
# bench/check.sh [PODS] - how long `upstream-guard check` takes from the packaged jar, as a pre-commit hook runs it:
# a 50-object bundle (CheckBundleMain) against a snapshot of a PODS-pod synthetic cluster (FixtureMain, default 1000),
# every apply order. Prints one line per run: wall-clock seconds of the whole process, JVM start included.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PODS="${1:-1000}"
WORK="$(mktemp -d /tmp/upstream-guard-check-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

APP_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
PLAIN_JAR="$ROOT/target/upstream-guard-0.1.0-SNAPSHOT.jar"
if [ ! -f "$APP_JAR" ] || [ -n "$(find src/main pom.xml -newer "$APP_JAR" -print -quit)" ]; then
  mvn -B -q package -DskipTests
fi
mvn -B -q -f bench/pom.xml process-classes
CP="$ROOT/bench/target/classes:$PLAIN_JAR:$(cat "$ROOT/bench/target/classpath.txt")"
java -cp "$CP" dev.upstreamguard.bench.FixtureMain manifests "$PODS" "$WORK/snapshot" 2>/dev/null
java -cp "$CP" dev.upstreamguard.bench.CheckBundleMain "$WORK/bundle.yaml" 2>/dev/null

echo "| order | exit | seconds (wall, whole process) | summary |"
echo "|---|---|---|---|"
for order in helm argocd flux kubectl; do
  start=$(date +%s%N)
  set +e
  summary=$(java -jar "$APP_JAR" check -f "$WORK/bundle.yaml" --cluster "$WORK/snapshot" --order "$order" | tail -n 1)
  code=$?
  set -e
  end=$(date +%s%N)
  echo "| $order | $code | $(awk -v n=$((end - start)) 'BEGIN { printf "%.2f", n / 1e9 }') | $summary |"
done
