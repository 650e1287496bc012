#!/usr/bin/env bash
# One Thermocline role per container: zookeeper | coordinator | tablet-server | gateway | demo | status.
# (The tiering job runs on the Flink cluster from its application jar: see docker-compose.yml.)
# Settings come from the environment (see docker-compose.yml); extra arguments pass through.
set -euo pipefail
HOME_DIR=/opt/thermocline
ZOOKEEPER="${ZOOKEEPER:-zookeeper:2181}"
BOOTSTRAP="${BOOTSTRAP_SERVERS:-coordinator:9123}"
WAREHOUSE="${LAKE_WAREHOUSE:-/lake}"
FLINK_REST="${FLINK_REST:-jobmanager:8081}"
# The JDBC gateway runs on the connector jar, as Flink's lib/ holds it, so its jobs need no jars shipped.
CONNECTOR_JAR="$HOME_DIR/jobs/thermocline-flink-2.1.jar"
# Servers bind to the container's own name, which is also what they register for others to reach.
HOST="$(hostname)"
# CP_FIRST: jars ahead of lib/ on the classpath.
java_run() {
  exec java --add-opens=java.base/java.nio=ALL-UNNAMED -Dlog4j2.configurationFile="$HOME_DIR/conf/log4j2.properties" \
    ${JAVA_OPTS:-} -cp "${CP_FIRST:+$CP_FIRST:}$(sed "s|^|$HOME_DIR/lib/|" "$HOME_DIR/lib/classpath" | paste -sd: -)" "$@"
}
role="${1:?role: zookeeper | coordinator | tablet-server | gateway | demo | status}"
shift
case "$role" in
  zookeeper)
    java_run org.apache.zookeeper.server.ZooKeeperServerMain 2181 /data "$@" ;;
  coordinator)
    java_run io.thermocline.server.tools.CoordinatorMain zookeeper.address="$ZOOKEEPER" bind.host="$HOST" \
      bind.port=9123 metrics.port=9249 lake.catalog.warehouse="$WAREHOUSE" \
      default.replication-factor="${REPLICATION_FACTOR:-3}" "$@" ;;
  tablet-server)
    java_run io.thermocline.server.tools.TabletServerMain tablet-server.id="${TABLET_SERVER_ID:?}" \
      zookeeper.address="$ZOOKEEPER" bind.host="$HOST" bind.port=9124 metrics.port=9249 data.dir=/data \
      kv.snapshot.dir=/kv-snapshots lake.catalog.warehouse="$WAREHOUSE" "$@" ;;
  gateway)
    CP_FIRST="$CONNECTOR_JAR" java_run io.thermocline.gateway.GatewayMain \
      --bootstrap-servers "$BOOTSTRAP" --port 8765 --conf gateway.host=0.0.0.0 --conf flink.execution.target=remote \
      --conf flink.rest.address="${FLINK_REST%:*}" --conf flink.rest.port="${FLINK_REST##*:}" "$@" ;;
  demo)
    java_run io.thermocline.playground.demo.DemoCommand --bootstrap-servers "$BOOTSTRAP" "$@" ;;
  status)
    java_run io.thermocline.playground.status.StatusCommand --bootstrap-servers "$BOOTSTRAP" "$@" ;;
  *)
    echo "unknown role '$role': zookeeper | coordinator | tablet-server | gateway | demo | status" >&2
    exit 64 ;;
esac
