#!/usr/bin/env bash
# Runs the foundation benchmarks (log append vs raw FileChannel, projected vs full read, batch
# build/decode) and writes results/foundation.{json,md}. Extra arguments go to JMH, e.g. -f 3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
JAR="$HERE/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/storage" "$HERE/src" -newer "$JAR" -name '*.java' -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests)
fi
mkdir -p "$HERE/results"
java --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$JAR" \
  'LogAppendBenchmark|ProjectedReadBenchmark|BatchCodecBenchmark' \
  -rf json -rff "$HERE/results/foundation.json" "$@"
java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$JAR" io.thermocline.benchmarks.FoundationReport \
  "$HERE/results/foundation.json" "$HERE/results/foundation.md"
