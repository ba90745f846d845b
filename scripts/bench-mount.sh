#!/usr/bin/env bash
# Benchmark (not a test): server-side latency of image-volume mounts (p50/p99 over N mounts of a warm image with a
# sub path) and mount+unmount pairs per second with 16 concurrent callers. Runs in a private mount namespace.
# Usage: scripts/bench-mount.sh [mounts]   (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp package test-compile -DskipTests
exec unshare -m --propagation private java -cp "target/test-classes:target/ocimount.jar" io.ocimount.bench.MountBench "${1:-1000}"
