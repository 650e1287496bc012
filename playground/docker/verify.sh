#!/usr/bin/env bash
# Runs the compose setup as a user would and checks it: builds the images (on local base images
# from build-base.sh when the public ones cannot be pulled), starts every container, waits until
# they serve, writes the demo workload while a tablet server container is killed, runs the README's
# guided tour through the JDBC gateway, and tears everything down. Not part of `mvn -B verify`.
#
#   playground/docker/verify.sh          (from anywhere; needs docker, docker-compose, Java 17, Maven)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
OUT="${VERIFY_DIR:-$ROOT/playground/docker/target/verify}"
mkdir -p "$OUT"
COMPOSE=(docker-compose -p thermocline-verify -f playground/docker/docker-compose.yml)
ORDERS="${ORDERS:-4000}"
URL="jdbc:avatica:remote:url=http://127.0.0.1:8765;serialization=protobuf"
log() { echo "verify: $*"; }
fail() { echo "verify: FAILED: $*" >&2; exit 1; }
# Polls a command until it succeeds, up to $1 seconds.
await() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$what not within ${seconds}s"
    sleep 2
  done
}

if ! timeout 60 docker pull -q eclipse-temurin:17-jre >/dev/null 2>&1; then
  log "public images cannot be pulled: local bases from build-base.sh"
  playground/docker/build-base.sh
  export JAVA_IMAGE=thermocline/java-base:17 FLINK_IMAGE=thermocline/flink:2.1.1
  export ZOOKEEPER_IMAGE=thermocline:local ZOOKEEPER_COMMAND=zookeeper
fi

log "building Thermocline and the images"
[ -n "${SKIP_MAVEN:-}" ] || mvn -B -q -Dstyle.color=never package -DskipTests -pl playground,flink-connector,tiering-job -am
rm -rf playground/docker/dist && playground/docker/assemble.sh playground/docker/dist
DOCKER_BUILDKIT=0 docker build -q --build-arg JAVA_IMAGE="${JAVA_IMAGE:-eclipse-temurin:17-jre}" \
  -f playground/docker/Dockerfile.prebuilt -t thermocline:local . >/dev/null
DOCKER_BUILDKIT=0 docker build -q --build-arg FLINK_IMAGE="${FLINK_IMAGE:-flink:2.1.1-java17}" \
  -f playground/docker/Dockerfile.flink -t thermocline-flink:local . >/dev/null

teardown() {
  "${COMPOSE[@]}" logs --no-color > "$OUT/compose.log" 2>&1 || true
  "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
}
trap teardown EXIT
teardown
log "docker-compose up"
"${COMPOSE[@]}" up -d --no-build
await 240 "the cluster to serve (status)" "${COMPOSE[@]}" run --rm --no-deps -T demo status
await 240 "the JDBC gateway" bash -c "exec 3<>/dev/tcp/127.0.0.1/8765"
await 240 "the tiering job on Flink" bash -c \
  "curl -sf http://127.0.0.1:8081/jobs/overview | grep -q '\"name\":\"thermocline-tiering[^\"]*\",[^}]*\"state\":\"RUNNING\"'"
running="$("${COMPOSE[@]}" ps --services --filter status=running | sort | paste -sd' ' -)"
log "running: $running"

log "demo: $ORDERS orders; tablet-server-1 killed while it writes"
"${COMPOSE[@]}" run --rm --no-deps -T demo demo --orders "$ORDERS" --rate 400 > "$OUT/demo.log" 2>&1 &
demo=$!
await 120 "the demo to write" grep -q "orders (" "$OUT/demo.log"
"${COMPOSE[@]}" kill tablet-server-1 >/dev/null 2>&1
log "killed tablet-server-1"
wait "$demo" || fail "the demo failed after a tablet server was killed: $(tail -5 "$OUT/demo.log")"
grep -q "Wrote $ORDERS orders" "$OUT/demo.log" || fail "the demo did not write every order: $(tail -3 "$OUT/demo.log")"
"${COMPOSE[@]}" up -d --no-build tablet-server-1 >/dev/null 2>&1

log "guided tour through the JDBC gateway"
awk '/<!-- guided-sql/{f=1;next} /<!-- \/guided-sql/{f=0} f' README.md | grep -v '^```' > "$OUT/tour.sql"
./thermocline sql --url "$URL" -f "$OUT/tour.sql" > "$OUT/tour.out" 2>&1 || true
statements="$(grep -v '^ *--' "$OUT/tour.sql" | grep -c ';')"
errors="$(grep -ci 'error' "$OUT/tour.out" || true)"
answered="$(grep -cE 'rows? selected|No rows selected|No rows affected|row affected' "$OUT/tour.out" || true)"
[ "$errors" -eq 0 ] || fail "the tour had errors: $(grep -i -m3 'error' "$OUT/tour.out")"
orders="$(grep -A3 'orders_in_lake' "$OUT/tour.out" | grep -oE '\| [0-9]+ +\|' | head -1 | tr -dc 0-9)"
revenue_row="$(grep -A3 '| orders ' "$OUT/tour.out" | grep -oE '\| [0-9]+ +\|' | head -1 | tr -dc 0-9)"
[ "$revenue_row" = "$ORDERS" ] || fail "the union read counted ${revenue_row:-nothing}, not $ORDERS orders"

echo
echo "=== verify.sh summary ==="
echo "images: JAVA_IMAGE=${JAVA_IMAGE:-eclipse-temurin:17-jre} FLINK_IMAGE=${FLINK_IMAGE:-flink:2.1.1-java17} ZOOKEEPER_IMAGE=${ZOOKEEPER_IMAGE:-zookeeper:3.9}"
echo "containers running after up: $running"
echo "tiering job: running on Flink from its application jar (flink run)"
echo "demo: $(grep -o "Wrote .*" "$OUT/demo.log"), tablet-server-1 killed while writing"
echo "guided tour: $statements statements, $answered answered, 0 errors; union read counted $revenue_row orders, the lake held ${orders:-?}"
echo "logs: $OUT"
