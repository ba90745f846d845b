#!/usr/bin/env bash
# Benchmark (not a test): the CLI as a node runs it (installed, with its AppCDS archive), whole process timed by
# farm-bench against the floor of any Java gRPC client (one Version call and exit, same JVM flags and archive
# trained the same way; crictl is not packaged on Debian) and against a bare JVM start.
# Usage: scripts/bench-cli.sh [runs]   (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
mvn -B -q -ntp -o package test-compile -DskipTests 2>/dev/null || mvn -B -q -ntp package test-compile -DskipTests
w=$(mktemp -d /tmp/ocimount-bench-cli.XXXXXX)
cleanup() { kill "${dpid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT
# shellcheck source=scripts/lib/installed.sh
source scripts/lib/installed.sh
installed "$w/inst"
# shellcheck disable=SC2086 # the unit's command line, word by word
$DAEMON daemon --root "$w/root" --state-dir "$w/run" --config "$w/none.toml" >"$w/daemon.log" 2>&1 &
dpid=$!
for _ in $(seq 200); do grep -q "serving on" "$w/daemon.log" 2>/dev/null && break; sleep 0.05; done
sock=$w/run/ocimount.sock
lib=$w/inst/usr/lib/ocimount
jar cf "$w/floor.jar" -C target/test-classes io/ocimount/bench/GrpcCallFloor.class  # CDS takes jars, not directories
cp="$lib/ocimount.jar:$w/floor.jar"
# the floor's archive, trained like the CLI's
java -XX:ArchiveClassesAtExit="$w/floor.jsa" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off \
  -Xlog:cds+dynamic=off -cp "$cp" io.ocimount.bench.GrpcCallFloor "$sock"
floor="java -XX:SharedArchiveFile=$w/floor.jsa -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp $cp io.ocimount.bench.GrpcCallFloor $sock"
echo "== ocimount images (installed CLI) vs one Java gRPC call"
# shellcheck disable=SC2086
farm-bench -n "$runs" --timeout 600 --vs "$floor" -- $CLI --socket "$sock" images
echo "== ocimount version (installed CLI) vs one Java gRPC call"
# shellcheck disable=SC2086
farm-bench -n "$runs" --timeout 600 --vs "$floor" -- $CLI --socket "$sock" version
echo "== one Java gRPC call vs a bare JVM start (java -version, same flags)"
# shellcheck disable=SC2086
farm-bench -n "$runs" --timeout 600 --vs "java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version" -- $floor
