#!/usr/bin/env bash
# Primary-key tables against Redis (Debian's redis-server, installed here when missing):
# upserts, point lookups and batched lookups, into results/kv.md. Arguments: keys, lookups per round.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
JAR="$HERE/target/benchmarks.jar"
if ! command -v redis-server > /dev/null; then
  echo "Installing redis-server from Debian's packages..." >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q redis-server; else sudo apt-get install -y -q redis-server; fi
fi
if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/storage" "$HERE/src" -newer "$JAR" -name '*.java' -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests)
fi
mkdir -p "$HERE/results"
java --add-opens=java.base/java.nio=ALL-UNNAMED -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$JAR" io.thermocline.benchmarks.KvBenchmark "$HERE/results/kv.md" "$@"
