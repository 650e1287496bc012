#!/usr/bin/env bash
# Lays out what the Thermocline image holds, from a Maven build of the repository (run after
#   mvn -B package -DskipTests -pl playground,flink-connector,tiering-job -am):
#   DEST/lib   every Thermocline process's classpath (the launcher's), in order in lib/classpath
#   DEST/jobs  the connector jar and the tiering application jar, for Flink
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${1:?usage: assemble.sh DEST}"
mkdir -p "$DEST/lib" "$DEST/jobs"
jars=("$SRC"/playground/target/thermocline-playground-*[0-9T].jar)
while IFS= read -r jar; do jars+=("$jar"); done < <(tr ':' '\n' < "$SRC/playground/target/runtime-classpath.txt")
cp "${jars[@]}" "$DEST/lib/"
# The launcher's order: classes found in two jars (Avatica's, and the copy inside Flink's planner)
# must come from the same one every time, which lib/* does not promise.
for jar in "${jars[@]}"; do basename "$jar"; done > "$DEST/lib/classpath"
cp "$SRC"/flink-connector/target/thermocline-flink-2.1-*[0-9T].jar "$DEST/jobs/thermocline-flink-2.1.jar"
cp "$SRC"/tiering-job/target/thermocline-tiering-*[0-9T].jar "$DEST/jobs/thermocline-tiering.jar"
