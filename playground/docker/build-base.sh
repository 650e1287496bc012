#!/usr/bin/env bash
# Builds the base images the compose setup needs when no image registry can be reached, from
# Debian's packages (debootstrap) and Maven Central, and tags them with the names verify.sh passes
# as build arguments. A user who can pull public images does not need this script.
#
#   playground/docker/build-base.sh
#     thermocline/java-base:17      Debian bookworm + OpenJDK 17 (for eclipse-temurin:17-jre)
#     thermocline/flink:2.1.1       Flink's jars from Maven Central on it (for flink:2.1.1-java17)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
JAVA_IMAGE="${JAVA_IMAGE:-thermocline/java-base:17}"
FLINK_IMAGE="${FLINK_IMAGE:-thermocline/flink:2.1.1}"
WORK="${WORK_DIR:-/var/tmp/thermocline-base}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "build-base.sh needs $1 (apt-get install $2)" >&2; exit 2; }; }
need docker docker.io
need debootstrap debootstrap

if docker image inspect "$JAVA_IMAGE" >/dev/null 2>&1; then
  echo "$JAVA_IMAGE exists"
else
  rootfs="$WORK/rootfs"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  echo "debootstrap bookworm with OpenJDK 17 into $rootfs (a few minutes)..."
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,procps,netcat-openbsd \
    bookworm "$rootfs" "$MIRROR" > "$WORK/debootstrap.log" 2>&1 \
    || { echo "debootstrap failed; see $WORK/debootstrap.log" >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' \
    --change 'ENV PATH=/usr/lib/jvm/java-17-openjdk-amd64/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    - "$JAVA_IMAGE"
  rm -rf "$rootfs"
  echo "built $JAVA_IMAGE"
fi

if docker image inspect "$FLINK_IMAGE" >/dev/null 2>&1; then
  echo "$FLINK_IMAGE exists"
else
  context="$WORK/flink"
  rm -rf "$context" && mkdir -p "$context/lib"
  cp "$ROOT"/playground/docker/flink/* "$context/"
  # Flink's lib/ as the test cluster has it (test-flink's flink-lib execution). Maven Central has no
  # flink-metrics-prometheus 2.1: this image reports no metrics to Prometheus.
  (cd "$ROOT" && mvn -B -q -pl test-flink dependency:build-classpath@flink-lib)
  tr ':' '\n' < "$ROOT/test-flink/target/classes/io/thermocline/testflink/flink-lib.classpath" \
    | xargs -I{} cp {} "$context/lib/"
  docker build -q --build-arg JAVA_IMAGE="$JAVA_IMAGE" -t "$FLINK_IMAGE" "$context"
  echo "built $FLINK_IMAGE"
fi
