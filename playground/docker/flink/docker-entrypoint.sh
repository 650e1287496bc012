#!/usr/bin/env bash
# A Flink 2.1 process the way the official image starts one: `jobmanager`, `taskmanager` or `flink`
# (the command line client, also /opt/flink/bin/flink), with
# FLINK_PROPERTIES (YAML lines) as its configuration and memory sized by Flink's BashJavaUtils.
set -euo pipefail
FLINK_HOME=/opt/flink
CONF="$FLINK_HOME/conf"
mkdir -p "$CONF" "$FLINK_HOME/log"
props="${FLINK_PROPERTIES:-}"
{
  printf '%s\n' "$props"
  # Defaults for what FLINK_PROPERTIES leaves out (a key twice is an error in Flink's YAML).
  while IFS=': ' read -r key value; do
    grep -q "^${key}:" <<<"$props" || echo "${key}: ${value}"
  done <<DEFAULTS
jobmanager.rpc.address: jobmanager
rest.address: jobmanager
rest.bind-address: 0.0.0.0
jobmanager.bind-host: 0.0.0.0
taskmanager.bind-host: 0.0.0.0
taskmanager.host: $(hostname -i | awk '{print $1}')
jobmanager.memory.process.size: 1024m
taskmanager.memory.process.size: 1728m
taskmanager.numberOfTaskSlots: 4
blob.server.port: 6124
taskmanager.rpc.port: 6122
DEFAULTS
} | grep -v '^$' > "$CONF/config.yaml"
CP="$(ls "$FLINK_HOME"/lib/*.jar | paste -sd: -)"
OPENS=(--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED)
resources() {
  java -cp "$CP" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF" \
    | grep '^BASH_JAVA_UTILS_EXEC_RESULT:' | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}
case "${1:-}" in
  jobmanager) params="$(resources GET_JM_RESOURCE_PARAMS)"
    main=org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint ;;
  taskmanager) params="$(resources GET_TM_RESOURCE_PARAMS)"
    main=org.apache.flink.runtime.taskexecutor.TaskManagerRunner ;;
  flink) shift # Flink's command line client, as bin/flink runs it
    FLINK_CONF_DIR="$CONF" exec java "${OPENS[@]}" -Dlog4j.configurationFile="$CONF/log4j-console.properties" \
      -cp "$CP" org.apache.flink.client.cli.CliFrontend "$@" ;;
  *) exec "$@" ;;
esac
jvm="$(sed -n 1p <<<"$params")"
dynamic="$(sed -n 2p <<<"$params")"
# shellcheck disable=SC2086 # the two lines are lists of arguments
exec java $jvm "${OPENS[@]}" -Dlog4j.configurationFile="$CONF/log4j-console.properties" \
  -Dlog.file="$FLINK_HOME/log/$1.log" -cp "$CP" "$main" --configDir "$CONF" $dynamic
