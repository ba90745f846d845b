#!/usr/bin/env bash
# Benchmark (not a test): cold pull of a ~300 MB single-layer gzip image (about 20,000 files) from a loopback
# docker-registry into a fresh ocimount root, through the daemon's socket. Prints the wall time of each run and
# the median. Usage: scripts/bench-pull.sh [runs]   (as root; installs docker-registry, skopeo, umoci)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
export DEBIAN_FRONTEND=noninteractive
for p in docker-registry skopeo umoci; do command -v $p >/dev/null || { apt-get update -qq; apt-get install -y -qq docker-registry skopeo umoci >/dev/null; break; }; done
[ -f target/ocimount.jar ] || mvn -B -q -ntp package -DskipTests
jar=$PWD/target/ocimount.jar
w=$(mktemp -d /var/tmp/ocimount-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$w"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: 127.0.0.1:%s}\n' "$w" "$port" > "$w/reg.yml"
docker-registry serve "$w/reg.yml" >"$w/reg.log" 2>&1 &
umoci init --layout "$w/l" && umoci new --image "$w/l:big" && umoci unpack --image "$w/l:big" "$w/b" >/dev/null
python3 - "$w/b/rootfs/data" <<'PY'
import os, sys, random
root = sys.argv[1]; rnd = random.Random(42); total = 0; i = 0
while total < 300 * 1024 * 1024:
    d = os.path.join(root, "d%03d" % (i // 200)); os.makedirs(d, exist_ok=True)
    size = rnd.choice([1024, 4096, 16384, 40960])
    # half random (incompressible), half text-like, so gzip works about as hard as on a real image
    data = os.urandom(size // 2) + (b"line of text %d\n" % i) * (size // 32)
    with open(os.path.join(d, "f%05d" % i), "wb") as f: f.write(data)
    total += len(data); i += 1
print("files:", i, "bytes:", total)
PY
umoci repack --image "$w/l:big" "$w/b"
skopeo copy -q --dest-tls-verify=false "oci:$w/l:big" "docker://127.0.0.1:$port/bench/big:v1"
times=()
for r in $(seq "$runs"); do
  rm -rf "$w/root" "$w/run"
  java -jar "$jar" daemon --root "$w/root" --state-dir "$w/run" >"$w/daemon.log" 2>&1 &
  dpid=$!
  for _ in $(seq 100); do [ -S "$w/run/ocimount.sock" ] && break; sleep 0.1; done
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  s=$(date +%s.%N)
  java -jar "$jar" --socket "$w/run/ocimount.sock" pull "127.0.0.1:$port/bench/big:v1" >/dev/null
  e=$(date +%s.%N)
  kill $dpid; wait $dpid 2>/dev/null || true
  t=$(python3 -c "print(round($e-$s,2))"); times+=("$t"); echo "run $r: ${t}s"
done
size=$(du -sb "$w/root/content" | cut -f1)
echo "median cold pull (fetch + verify + store, ${size} bytes stored): $(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}')s"
