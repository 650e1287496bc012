#!/usr/bin/env bash
# Runs the tiering write-path benchmark (Arrow vectors to Parquet vs Iceberg generic records) and
# writes results/tiering.{json,md}. Extra arguments go to JMH, e.g. -f 3.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
JAR="$HERE/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/storage" "$ROOT/lake" "$ROOT/tiering-operators" "$HERE/src" -newer "$JAR" -name '*.java' -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests)
fi
mkdir -p "$HERE/results"
java --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$JAR" LakeWriterBenchmark \
  -rf json -rff "$HERE/results/tiering.json" "$@"
java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$JAR" io.thermocline.benchmarks.TieringReport \
  "$HERE/results/tiering.json" "$HERE/results/tiering.md"
