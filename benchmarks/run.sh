#!/usr/bin/env bash
# Runs the JMH suite with the settings used for benchmarks/README.md.
#   benchmarks/run.sh                  # with `java` on the PATH (or $JAVA_HOME/bin/java)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 benchmarks/run.sh
#   benchmarks/run.sh TrainStep        # only benchmarks matching a regex
# Results: benchmarks/target/jmh-<java version>.txt (human) and .json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
FILTER="${1:-.*}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
if [[ ! -f "$JAR" ]]; then
  (cd "$ROOT" && mvn -q -B -ntp -pl benchmarks -am package -DskipTests)
fi
VER="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.version =/{print $2}')"
OUT="$ROOT/benchmarks/target/jmh-$VER"
# The forks get --add-modules jdk.incubator.vector from each benchmark's @Fork annotation.
"$JAVA" -jar "$JAR" "$FILTER" -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff "$OUT.json" | tee "$OUT.txt"
