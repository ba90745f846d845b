#!/usr/bin/env bash
# Benchmark (not a test): cold pull + unpack of the same images with ocimount and with containerd, from one
# loopback docker-registry, alternating A B A B with the page cache dropped before each run.
#   single: one gzip layer, ~300 MB of files (about 20,000), like the issue asks
#   five:   the same kind of content split over 5 gzip layers
# containerd (its own root and config, overlayfs snapshotter) is started afresh with an empty root for every
# run and driven by `ctr images pull --plain-http`, timed end to end. ocimount is one daemon for the whole
# benchmark, as on a node: every run pulls into an empty store (the previous image is removed and the store
# checked empty), timed end to end through the CLI (its JVM start included) and as the daemon measured the
# PullImage call. The daemon's first pull also pays for JIT compilation; it is printed on its own line.
# Prints every run, each median, the ratios ocimount/containerd, and the ocimount daemon's peak RSS.
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
# shellcheck disable=SC2046 # one pid per word is what kill needs
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: 127.0.0.1:%s}\n' "$w" "$port" > "$w/reg.yml"
docker-registry serve "$w/reg.yml" >"$w/reg.log" 2>&1 &

fill() { python3 scripts/lib/fill-tree.py "$1" "$2" "$3"; }  # DIR BYTES SEED
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

start_ocimount() {
  rm -rf "$w/oci"
  java -jar "$jar" daemon --root "$w/oci/root" --state-dir "$w/oci/run" >"$w/daemon.log" 2>&1 &
  opid=$!
  local i
  for i in $(seq 200); do grep -q "serving on" "$w/daemon.log" 2>/dev/null && break; sleep 0.05; done
}

run_ocimount() { # image -> "cli-seconds daemon-seconds"
  local ref="127.0.0.1:$port/bench/$1:v1"
  drop_caches
  local s e; s=$(now)
  java -jar "$jar" --socket "$w/oci/run/ocimount.sock" pull "$ref" >/dev/null
  e=$(now)
  local ms; ms=$(grep -o "pulled $ref .* in [0-9]* ms" "$w/daemon.log" | tail -1 | grep -o 'in [0-9]* ms' | grep -o '[0-9]*')
  java -jar "$jar" --socket "$w/oci/run/ocimount.sock" rmi "$ref" >/dev/null
  local left; left=$(find "$w/oci/root/snapshots" "$w/oci/root/content/blobs" -mindepth 2 -maxdepth 2 | wc -l)
  [ "$left" -eq 0 ] || { echo "store not empty after rmi: $left entries" >&2; exit 1; }
  python3 -c "print(round($e-$s,2), round($ms/1000,2))"
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
  local snaps; snaps=$(ctr --address "$w/ctd/containerd.sock" snapshots ls | tail -n +2 | wc -l)
  [ "$snaps" -gt 0 ] || { echo "containerd did not unpack" >&2; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  python3 -c "print(round($e-$s,2))"
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

start_ocimount
first=yes
for img in single five; do
  ours=(); ourd=(); theirs=()
  for r in $(seq "$runs"); do
    read -r a d < <(run_ocimount "$img"); b=$(run_containerd "$img")
    [ "$first" = yes ] && { echo "first pull after the daemon started (JIT still cold): ${a}s end to end, ${d}s in the daemon"; first=no; }
    ours+=("$a"); ourd+=("$d"); theirs+=("$b")
    echo "$img run $r: ocimount ${a}s (daemon ${d}s)  containerd ${b}s"
  done
  mo=$(median "${ours[@]}"); md=$(median "${ourd[@]}"); mc=$(median "${theirs[@]}")
  echo "$img: median ocimount ${mo}s end to end (${md}s in the daemon), containerd ${mc}s;" \
       "ratio ocimount/containerd $(python3 -c "print(round($mo/$mc,2))") end to end, $(python3 -c "print(round($md/$mc,2))") daemon-measured"
done
echo "ocimount daemon peak RSS: $(( $(awk '/VmHWM/ {print $2}' "/proc/$opid/status") / 1024 )) MiB"
