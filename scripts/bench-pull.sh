#!/usr/bin/env bash
# Benchmark (not a test): cold pull + unpack of the same images with ocimount and with containerd, from one
# loopback docker-registry, alternating A B A B with the page cache dropped before each run. ocimount runs as a
# node runs it: installed (scripts/install.sh into a scratch prefix, AppCDS archives trained), the daemon with the
# unit's JVM flags, the CLI through its wrapper.
#   single: one gzip layer, ~300 MB of files (about 20,000), like the issue asks
#   five:   the same kind of content split over 5 gzip layers
# containerd (its own root and config, overlayfs snapshotter) is started afresh with an empty root for every
# run and driven by `ctr images pull --plain-http`, timed end to end. Each run of ocimount starts a daemon and
# pulls twice into an empty store (the image removed and the store checked empty between): the first pull with
# the JIT still cold ("cold daemon", as the first pods after a node boots), the second on the same, now warm
# daemon; each timed end to end through the CLI (its JVM start included) and as the daemon measured the PullImage
# call. The floor: `gzip -dc` of the same layer blob, page cache dropped, in the same run.
# Prints every run, each median, the ratios ocimount/containerd and ocimount/gzip, and the daemons' peak RSS.
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
mvn -B -q -ntp package -DskipTests # the jar of this checkout, never a stale one
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
# shellcheck source=scripts/lib/installed.sh
source scripts/lib/installed.sh
installed "$w/inst"
echo "daemon: $DAEMON"

cat > "$w/containerd.toml" <<EOF
version = 2
root = "$w/ctd/root"
state = "$w/ctd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$w/ctd/containerd.sock"
EOF

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "warning: page cache not dropped: the pulls read it warm" >&2; }
now() { date +%s.%N; }

start_ocimount() {
  rm -rf "$w/oci"
  # shellcheck disable=SC2086 # the unit's command line, word by word
  $DAEMON daemon --root "$w/oci/root" --state-dir "$w/oci/run" --config "$w/none.toml" >"$w/daemon.log" 2>&1 &
  opid=$!
  for _ in $(seq 400); do grep -q "serving on" "$w/daemon.log" 2>/dev/null && break; sleep 0.05; done
}

stop_ocimount() { # sets peak (MiB); in the main shell, where the daemon is a child that wait can wait for
  peak=$(( $(awk '/VmHWM/ {print $2}' "/proc/$opid/status") / 1024 ))
  kill "$opid"; wait "$opid" 2>/dev/null || true
}

run_ocimount() { # image -> "cli-seconds daemon-seconds"
  local ref="127.0.0.1:$port/bench/$1:v1"
  drop_caches
  local s e; s=$(now)
  # shellcheck disable=SC2086
  $CLI --socket "$w/oci/run/ocimount.sock" pull "$ref" >/dev/null 2>&1
  e=$(now)
  local ms; ms=$(grep -o "pulled $ref .* in [0-9]* ms" "$w/daemon.log" | tail -1 | grep -o 'in [0-9]* ms' | grep -o '[0-9]*')
  # shellcheck disable=SC2086
  $CLI --socket "$w/oci/run/ocimount.sock" rmi "$ref" >/dev/null
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

run_gzip() { # image -> seconds of gzip -dc over its layer blobs, one after the other
  local blobs; blobs=$(layer_blobs "$1")
  drop_caches
  local s e; s=$(now)
  local b; for b in $blobs; do gzip -dc <"$b" >/dev/null; done
  e=$(now)
  python3 -c "print(round($e-$s,2))"
}

layer_blobs() { # image -> the registry's files of its gzip layers
  python3 - "$w/data/docker/registry/v2" "$1" <<'PY'
import json, os, sys
base, image = sys.argv[1], sys.argv[2]
def blob(d): return os.path.join(base, "blobs", "sha256", d[7:9], d[7:], "data")
link = os.path.join(base, "repositories", "bench", image, "_manifests", "tags", "v1", "current", "link")
manifest = json.load(open(blob(open(link).read().strip())))
print(" ".join(blob(l["digest"]) for l in manifest["layers"]))
PY
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(round($1/$2,2))"; }

peaks=()
for img in single five; do
  coldc=(); coldd=(); warmc=(); warmd=(); theirs=(); floor=()
  for r in $(seq "$runs"); do
    start_ocimount
    read -r a d < <(run_ocimount "$img")
    b=$(run_containerd "$img")
    read -r wa wd < <(run_ocimount "$img")
    g=$(run_gzip "$img")
    stop_ocimount; peaks+=("$peak")
    coldc+=("$a"); coldd+=("$d"); warmc+=("$wa"); warmd+=("$wd"); theirs+=("$b"); floor+=("$g")
    echo "$img run $r: ocimount cold daemon ${a}s (daemon ${d}s), warm ${wa}s (daemon ${wd}s)  containerd ${b}s  gzip -dc ${g}s"
  done
  mc=$(median "${theirs[@]}"); mg=$(median "${floor[@]}")
  for kind in cold warm; do
    if [ "$kind" = cold ]; then e2e=$(median "${coldc[@]}"); dm=$(median "${coldd[@]}"); else e2e=$(median "${warmc[@]}"); dm=$(median "${warmd[@]}"); fi
    echo "$img, $kind daemon: median ocimount ${e2e}s end to end (${dm}s in the daemon), containerd ${mc}s, gzip -dc ${mg}s;" \
         "ratio to containerd $(ratio "$e2e" "$mc") end to end, $(ratio "$dm" "$mc") daemon-measured;" \
         "to gzip -dc $(ratio "$dm" "$mg") daemon-measured"
  done
done
echo "ocimount daemons' peak RSS (MiB, one per run): ${peaks[*]}"
