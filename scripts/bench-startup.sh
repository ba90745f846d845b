#!/usr/bin/env bash
# Benchmark (not a test): the daemon's time from JVM launch to its first answered RPC, with and without the
# AppCDS archive scripts/install.sh ships. Usage: scripts/bench-startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp package test-compile -DskipTests
jar=$PWD/target/ocimount.jar
w=$(mktemp -d /tmp/ocimount-startup.XXXXXX)
trap 'kill "${tpid:-}" 2>/dev/null || true; rm -rf "$w"' EXIT
# the same training run as scripts/install.sh, for this jar's path
java -XX:ArchiveClassesAtExit="$w/ocimount.jsa" -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" \
  daemon --root "$w/root" --state-dir "$w/run" --config "$w/none.toml" >"$w/train.log" 2>&1 &
tpid=$!
for _ in $(seq 200); do grep -q "serving on" "$w/train.log" 2>/dev/null && break; sleep 0.05; done
for cmd in version images imagefsinfo volumes; do java -jar "$jar" --socket "$w/run/ocimount.sock" "$cmd" >/dev/null; done
kill -TERM "$tpid"; wait "$tpid" 2>/dev/null || true
java -cp "target/test-classes:target/ocimount.jar" io.ocimount.bench.StartupBench "$jar" "$w/ocimount.jsa" "${1:-5}"
