#!/usr/bin/env bash
# Freshness of union reads against the Iceberg table alone (lake freshness 1 min); writes
# results/freshness.md. Argument: rounds (default 5), about a minute each.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
JAR="$HERE/target/benchmarks.jar"
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT" -path '*/src/main/*' -newer "$JAR" -name '*.java' -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests)
fi
mkdir -p "$HERE/results"
java --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.lang=ALL-UNNAMED -cp "$JAR" io.thermocline.benchmarks.FreshnessBenchmark \
  "$HERE/results/freshness.md" "${1:-5}"
