#!/usr/bin/env bash
# Thermocline side by side with Apache Kafka 4.1 and Apache Fluss 0.9.1 (from Maven Central, each
# in JVMs of its own), Redis (Debian's redis-server, installed here when missing) and Iceberg's Flink
# sink on this machine; writes results/versus.md and its PNG charts.
# --smoke: one node, one run, tiny data (seconds; what CI runs to keep the harness working).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
JAR="$HERE/target/benchmarks.jar"
PEERS_CP="$HERE/peers/target/peers-classpath.txt"
LAKE_CP="$HERE/peers-lake/target/peers-lake-classpath.txt"
if ! command -v redis-server > /dev/null; then
  echo "Installing redis-server from Debian's packages..." >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q redis-server; else sudo apt-get install -y -q redis-server; fi
fi
if [ ! -f "$JAR" ] || [ ! -f "$PEERS_CP" ] || [ ! -f "$LAKE_CP" ] || [ -n "$(find "$ROOT/storage" "$ROOT/lake" \
    "$ROOT/tiering-operators" "$ROOT/flink-catalog" "$HERE/src" "$HERE/peers/src" "$HERE/peers-lake/src" \
    -newer "$JAR" -name '*.java' -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests -pl benchmarks/peers-lake,benchmarks -am)
fi
java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$JAR" io.thermocline.benchmarks.versus.VersusBenchmark \
  "$PEERS_CP" "$LAKE_CP" "$HERE/results" "$@"
