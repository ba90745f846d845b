#!/usr/bin/env bash
# Benchmark (not a test): the daemon's memory as a node runs it (installed, the unit's JVM flags): RSS idle after
# start, after a small pull and after a large one (bench-pull.sh's single-layer kind, ~300 MB of files), the peak,
# Native Memory Tracking's summary at the end, and where the RSS lies (heap, CDS archives, other anonymous memory,
# code) from the process's own map. NMT runs in a second daemon, as it costs memory itself.
# Usage: scripts/bench-footprint.sh   (as root; installs docker-registry and umoci when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
for c in docker-registry:docker-registry umoci:umoci skopeo:skopeo; do command -v "${c%%:*}" >/dev/null || need+=("${c#*:}"); done
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq; apt-get install -y -qq "${need[@]}" >/dev/null; fi
mvn -B -q -ntp package -DskipTests # the jar of this checkout, never a stale one
w=$(mktemp -d /var/tmp/ocimount-footprint.XXXXXX)
# shellcheck disable=SC2046 # one pid per word is what kill needs
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT
# shellcheck source=scripts/lib/installed.sh
source scripts/lib/installed.sh
installed "$w/inst"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: 127.0.0.1:%s}\n' "$w" "$port" > "$w/reg.yml"
docker-registry serve "$w/reg.yml" >"$w/reg.log" 2>&1 &
echo "building images..."
mkdir -p "$w/small"; echo "hello" > "$w/small/hello.txt"
umoci init --layout "$w/l"
umoci new --image "$w/l:big" && umoci unpack --image "$w/l:big" "$w/b" >/dev/null
python3 scripts/lib/fill-tree.py "$w/b/rootfs/data" $((300 * 1024 * 1024)) 42 >/dev/null
umoci repack --image "$w/l:big" "$w/b"; rm -rf "$w/b"
skopeo copy -q --dest-tls-verify=false "oci:$w/l:big" "docker://127.0.0.1:$port/fp/big:v1"; rm -rf "$w/l"
# shellcheck disable=SC2086
$CLI pack "$w/small" --tag "127.0.0.1:$port/fp/small:v1" --push >/dev/null

rss() { # total, and anonymous + file-backed (libjvm, the CDS archives: shared and reclaimable)
  awk '/VmRSS/ {t=int($2/1024)} /RssAnon/ {a=int($2/1024)} /RssFile/ {f=int($2/1024)} END {printf "%d (anon %d, file %d)", t, a, f}' "/proc/$1/status"
}
hwm() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$1/status"; }
start() { # extra JVM flags -> pid in $dpid
  rm -rf "$w/root" "$w/run"
  # shellcheck disable=SC2086 # the unit's command line, word by word
  ${DAEMON/ -jar / $* -jar } daemon --root "$w/root" --state-dir "$w/run" --config "$w/none.toml" >"$w/daemon.log" 2>&1 &
  dpid=$!
  for _ in $(seq 400); do grep -q "serving on" "$w/daemon.log" 2>/dev/null && break; sleep 0.05; done
  sleep 15 # what start-up left to settle (JIT, the first housekeeping pass, a few of the unit's 5 s native trims)
}
pull() {
  # shellcheck disable=SC2086
  $CLI --socket "$w/run/ocimount.sock" pull "127.0.0.1:$port/fp/$1:v1" >/dev/null 2>&1
}
echo "daemon: $DAEMON"
start
# each figure once the daemon is idle again: 15 s after the pull, time for the compilations it set off to end and
# for the unit's periodic native trim to hand back what they freed (right after a pull, RSS is 10-15 MiB higher)
idle=$(rss "$dpid")
pull small; sleep 15; small=$(rss "$dpid")
pull big; peak=$(hwm "$dpid"); sleep 15; big=$(rss "$dpid")
echo "RSS idle after start: ${idle} MiB; after a small pull: ${small} MiB; after the large pull: ${big} MiB; peak: ${peak} MiB"
echo "threads: $(find "/proc/$dpid/task" -mindepth 1 -maxdepth 1 | wc -l)"
echo "where the RSS lies now (from /proc/$dpid/smaps, MiB):"
awk '/^[0-9a-f]+-[0-9a-f]+ / {name=$6; if (name=="") name="[anon]"} /^Rss:/ {r[name]+=$2} END {for (n in r) if (r[n] > 1024) printf "  %8.1f  %s\n", r[n]/1024, n}' \
  "/proc/$dpid/smaps" | sort -rn | head -8
kill "$dpid"; wait "$dpid" 2>/dev/null || true
start -XX:NativeMemoryTracking=summary
pull small; pull big
echo "Native Memory Tracking after both pulls (committed KiB; NMT itself costs a few MiB here):"
jcmd "$dpid" VM.native_memory summary | grep -E '^(Total|-)' | sed 's/reserved=[0-9]*KB, //'
