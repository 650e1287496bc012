#!/usr/bin/env bash
# One Thermocline role per container: coordinator | tablet-server | tiering | gateway | demo | status.
# Settings come from the environment (see docker-compose.yml); extra arguments pass through.
set -euo pipefail
HOME_DIR=/opt/thermocline
ZOOKEEPER="${ZOOKEEPER:-zookeeper:2181}"
BOOTSTRAP="${BOOTSTRAP_SERVERS:-coordinator:9123}"
WAREHOUSE="${LAKE_WAREHOUSE:-/lake}"
FLINK_REST="${FLINK_REST:-jobmanager:8081}"
# Servers bind to the container's own name, which is also what they register for others to reach.
HOST="$(hostname)"
java_run() {
  exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Dlog4j2.configurationFile="$HOME_DIR/conf/log4j2.properties" \
    ${JAVA_OPTS:-} -cp "$HOME_DIR/lib/*" "$@"
}
# The jars a Flink cluster needs for Thermocline's jobs, as Flink's pipeline.jars list.
job_jars() {
  ls "$HOME_DIR"/job-lib/*.jar | sed 's|^|file://|' | paste -sd ';' -
}

role="${1:?role: coordinator | tablet-server | tiering | gateway | demo | status}"
shift
case "$role" in
  coordinator)
    java_run io.thermocline.server.tools.CoordinatorMain zookeeper.address="$ZOOKEEPER" bind.host="$HOST" \
      bind.port=9123 metrics.port=9249 lake.catalog.warehouse="$WAREHOUSE" \
      default.replication-factor="${REPLICATION_FACTOR:-3}" "$@" ;;
  tablet-server)
    java_run io.thermocline.server.tools.TabletServerMain tablet-server.id="${TABLET_SERVER_ID:?}" \
      zookeeper.address="$ZOOKEEPER" bind.host="$HOST" bind.port=9124 metrics.port=9249 data.dir=/data \
      kv.snapshot.dir=/kv-snapshots lake.catalog.warehouse="$WAREHOUSE" "$@" ;;
  tiering)
    java_run io.thermocline.tiering.TieringMain --bootstrap-servers "$BOOTSTRAP" --warehouse "$WAREHOUSE" \
      --flink-rest "$FLINK_REST" --job-jars "$HOME_DIR/job-lib" "$@" ;;
  gateway)
    java_run io.thermocline.gateway.GatewayMain --bootstrap-servers "$BOOTSTRAP" --port 8765 \
      --conf gateway.host=0.0.0.0 --conf flink.execution.target=remote \
      --conf flink.rest.address="${FLINK_REST%:*}" --conf flink.rest.port="${FLINK_REST##*:}" \
      --conf "flink.pipeline.jars=$(job_jars)" "$@" ;;
  demo)
    java_run io.thermocline.playground.demo.DemoCommand --bootstrap-servers "$BOOTSTRAP" "$@" ;;
  status)
    java_run io.thermocline.playground.status.StatusCommand --bootstrap-servers "$BOOTSTRAP" "$@" ;;
  *)
    echo "unknown role '$role': coordinator | tablet-server | tiering | gateway | demo | status" >&2
    exit 64 ;;
esac
