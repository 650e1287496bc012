#!/usr/bin/env bash
# Builds the base images the compose setup needs when no image registry can be reached, from
# Debian's packages (debootstrap) and Maven Central, and tags them with the names verify.sh passes
# as build arguments. A user who can pull public images does not need this script.
#
#   playground/docker/build-base.sh            # thermocline/java-base:17 (Debian bookworm + OpenJDK 17)
set -euo pipefail
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
JAVA_IMAGE="${JAVA_IMAGE:-thermocline/java-base:17}"
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
