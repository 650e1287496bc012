#!/usr/bin/env bash
# The one entry point of Thermocline's benchmarks; each writes its report into benchmarks/results/.
#
#   run.sh all                      every side-by-side scenario: Thermocline against Apache Kafka 4.1, Apache
#                                   Fluss 0.9.1 (both from Maven Central), Redis (Debian's redis-server,
#                                   installed here when missing) and Iceberg's Flink sink -> versus.md (~45 min)
#   run.sh smoke                    the same, one node, one run, tiny data -> versus-smoke.md (CI runs it)
#   run.sh SCENARIO[,SCENARIO...]   some of them: append, latency, projection, kv, lake, union-read
#                                   -> versus-SCENARIO.md
#   run.sh foundation [JMH args]    log append, projected read, batch codec against raw baselines -> foundation.md
#   run.sh lake-writer [JMH args]   tiering's Arrow-to-Parquet writer against Iceberg's generic one -> tiering.md
#   run.sh freshness [ROUNDS]       a union read against the Iceberg table alone, right after a write -> freshness.md
#   run.sh chaos [--minutes M] [--faults-per-kind N] [--rate ROWS_PER_S] [--kinds K,...] [--report NAME]
#                                   a cluster of OS processes under writers, a reader and faults (kill -9, SIGSTOP),
#                                   everything checked against a model -> chaos.md (default 15 min, 20 faults each;
#                                   kinds: kill-leader, pause-leader, kill-coordinator, pause-coordinator, kill-tiering)
#   run.sh tiering-torture [COMMITS] two tiering jobs with auto-maintenance, one killed every 3 lake commits, then
#                                   the lake's offsets history dropped; every row in the lake once -> tiering-torture.md
#   run.sh sql-serving [--smoke]    key lookups by a prepared SELECT over the JDBC gateway, with its fast path and
#                                   as Flink jobs, beside the Java client and Redis, 1 and 16 connections
#                                   -> sql-serving.md (~11 min)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/.."
JAR="$HERE/target/benchmarks.jar"
PEERS_CP="$HERE/peers/target/peers-classpath.txt"
LAKE_CP="$HERE/peers-lake/target/peers-lake-classpath.txt"
JAVA=(java --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED)
WHAT="${1:-}"
if [ -z "$WHAT" ]; then
  sed -n '2,20p' "$0" | cut -c3- >&2
  exit 64
fi
shift

if [ ! -f "$JAR" ] || [ ! -f "$PEERS_CP" ] || [ ! -f "$LAKE_CP" ] || [ -n "$(find "$ROOT" -path '*/src/main/*' \
    -newer "$JAR" -name '*.java' -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q install -DskipTests -pl benchmarks/peers-lake,benchmarks -am)
fi
mkdir -p "$HERE/results"

install_redis() {
  if ! command -v redis-server > /dev/null; then
    echo "Installing redis-server from Debian's packages..." >&2
    if [ "$(id -u)" -eq 0 ]; then apt-get install -y -q redis-server; else sudo apt-get install -y -q redis-server; fi
  fi
}

versus() {
  "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.versus.VersusBenchmark "$PEERS_CP" "$LAKE_CP" "$HERE/results" "$@"
}

case "$WHAT" in
  all) install_redis; versus ;;
  smoke) install_redis; versus --smoke ;;
  foundation)
    "${JAVA[@]}" -jar "$JAR" 'LogAppendBenchmark|ProjectedReadBenchmark|BatchCodecBenchmark' \
      -rf json -rff "$HERE/results/foundation.json" "$@"
    "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.FoundationReport \
      "$HERE/results/foundation.json" "$HERE/results/foundation.md" ;;
  lake-writer)
    "${JAVA[@]}" -jar "$JAR" LakeWriterBenchmark -rf json -rff "$HERE/results/tiering.json" "$@"
    "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.TieringReport \
      "$HERE/results/tiering.json" "$HERE/results/tiering.md" ;;
  freshness)
    "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.FreshnessBenchmark "$HERE/results/freshness.md" "${1:-5}" ;;
  chaos)
    "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.chaos.ChaosBenchmark "$HERE/results" "$@" ;;
  sql-serving)
    install_redis
    "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.versus.SqlServingBenchmark "$HERE/results" "$@" ;;
  tiering-torture)
    "${JAVA[@]}" -cp "$JAR" io.thermocline.benchmarks.chaos.ChaosBenchmark "$HERE/results" \
      --tiering-torture "${1:-200}" --report tiering-torture.md ;;
  *)
    if [[ ",$WHAT," == *,kv,* ]]; then install_redis; fi
    versus --only "$WHAT" ;;
esac
