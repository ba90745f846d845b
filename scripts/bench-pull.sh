#!/usr/bin/env bash
# Benchmark (not a test): cold pull + unpack of the same images with ocimount and with containerd, from one
# loopback docker-registry, alternating A B A B with the page cache dropped before each run.
#   single: one gzip layer, ~300 MB of files (about 20,000), like the issue asks
#   five:   the same kind of content split over 5 gzip layers
# Each tool gets a fresh root per run. ocimount is timed end to end through its CLI (JVM start included);
# containerd is driven by ctr (`ctr images pull --plain-http`, overlayfs snapshotter, its own root and config).
# Prints every run, each median, the ratio ocimount/containerd, and the ocimount daemon's peak RSS.
# Usage: scripts/bench-pull.sh [runs]   (as root; installs docker-registry, skopeo, umoci, containerd)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
export DEBIAN_FRONTEND=noninteractive
need=()
for c in docker-registry:docker-registry skopeo:skopeo umoci:umoci ctr:containerd; do
  command -v "${c%%:*}" >/dev/null || need+=("${c#*:}")
done
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq; apt-get install -y -qq "${need[@]}" >/dev/null; fi
[ -f target/ocimount.jar ] || mvn -B -q -ntp package -DskipTests
jar=$PWD/target/ocimount.jar
w=$(mktemp -d /var/tmp/ocimount-bench.XXXXXX)
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: 127.0.0.1:%s}\n' "$w" "$port" > "$w/reg.yml"
docker-registry serve "$w/reg.yml" >"$w/reg.log" 2>&1 &

# fill DIR with BYTES of files: half random, half text-like, so gzip works about as hard as on a real image
fill() {
  python3 - "$1" "$2" "$3" <<'PY'
import os, sys, random
root, limit, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed); total = 0; i = 0
while total < limit:
    d = os.path.join(root, "d%03d" % (i // 200)); os.makedirs(d, exist_ok=True)
    size = rnd.choice([1024, 4096, 16384, 40960])
    data = os.urandom(size // 2) + (b"line of text %d\n" % i) * (size // 32)
    with open(os.path.join(d, "f%05d" % i), "wb") as f: f.write(data)
    total += len(data); i += 1
print("  %s: %d files, %d bytes" % (root, i, total))
PY
}
echo "building images..."
umoci init --layout "$w/l"
umoci new --image "$w/l:single" && umoci unpack --image "$w/l:single" "$w/b1" >/dev/null
fill "$w/b1/rootfs/data" $((300 * 1024 * 1024)) 42
umoci repack --image "$w/l:single" "$w/b1"
umoci new --image "$w/l:five"
for i in 1 2 3 4 5; do
  rm -rf "$w/b5"; umoci unpack --image "$w/l:five" "$w/b5" >/dev/null
  fill "$w/b5/rootfs/layer$i" $((60 * 1024 * 1024)) "$i"
  umoci repack --image "$w/l:five" "$w/b5"
done
rm -rf "$w/b1" "$w/b5"
for t in single five; do skopeo copy -q --dest-tls-verify=false "oci:$w/l:$t" "docker://127.0.0.1:$port/bench/$t:v1"; done
rm -rf "$w/l"

cat > "$w/containerd.toml" <<EOF
version = 2
root = "$w/ctd/root"
state = "$w/ctd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$w/ctd/containerd.sock"
EOF

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
now() { date +%s.%N; }

run_ocimount() { # image -> seconds
  rm -rf "$w/oci"
  java -jar "$jar" daemon --root "$w/oci/root" --state-dir "$w/oci/run" >"$w/daemon.log" 2>&1 &
  local pid=$! i
  for i in $(seq 200); do grep -q "serving on" "$w/daemon.log" 2>/dev/null && break; sleep 0.05; done
  drop_caches
  local s e; s=$(now)
  java -jar "$jar" --socket "$w/oci/run/ocimount.sock" pull "127.0.0.1:$port/bench/$1:v1" >/dev/null
  e=$(now)
  local hwm; hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  [ "$hwm" -gt "$(cat "$w/rss" 2>/dev/null || echo 0)" ] && echo "$hwm" > "$w/rss"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "print(round($e-$s,2))"
}

run_containerd() { # image -> seconds
  rm -rf "$w/ctd"; mkdir -p "$w/ctd"
  containerd --config "$w/containerd.toml" >"$w/ctd.log" 2>&1 &
  local pid=$! i
  for i in $(seq 200); do [ -S "$w/ctd/containerd.sock" ] && ctr --address "$w/ctd/containerd.sock" version >/dev/null 2>&1 && break; sleep 0.05; done
  drop_caches
  local s e; s=$(now)
  ctr --address "$w/ctd/containerd.sock" images pull --plain-http "127.0.0.1:$port/bench/$1:v1" >/dev/null
  e=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "print(round($e-$s,2))"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

for img in single five; do
  ours=(); theirs=()
  for r in $(seq "$runs"); do
    a=$(run_ocimount "$img"); b=$(run_containerd "$img")
    ours+=("$a"); theirs+=("$b")
    echo "$img run $r: ocimount ${a}s  containerd ${b}s"
  done
  mo=$(median "${ours[@]}"); mc=$(median "${theirs[@]}")
  echo "$img: median ocimount ${mo}s, containerd ${mc}s, ratio ocimount/containerd $(python3 -c "print(round($mo/$mc,2))")"
done
echo "ocimount daemon peak RSS: $(( $(cat "$w/rss") / 1024 )) MiB"
