#!/usr/bin/env bash
# Benchmark (not a test): a directory of ~300 MB (about 20,000 files) to a single-layer image in a loopback
# docker-registry, with `ocimount pack --push` (CLI JVM start included; the installed CLI, as scripts/install.sh
# leaves it with its AppCDS archive, and plain `java -jar`) and with the usual hand route, umoci
# (init, new, insert) then skopeo copy to the registry. containerd has no pack command, so umoci + skopeo is the
# peer here. Alternates A B A B with the page cache dropped before each run, pushes each run to a fresh
# repository, prints every run, the medians, the ratio ocimount / (umoci + skopeo), and whether ocimount gave
# the same digest every run.
# Usage: scripts/bench-pack.sh [runs]   (as root; installs docker-registry, skopeo, umoci)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
export DEBIAN_FRONTEND=noninteractive
need=()
for c in docker-registry:docker-registry skopeo:skopeo umoci:umoci; do
  command -v "${c%%:*}" >/dev/null || need+=("${c#*:}")
done
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq; apt-get install -y -qq "${need[@]}" >/dev/null; fi
[ -f target/ocimount.jar ] || mvn -B -q -ntp package -DskipTests
jar=$PWD/target/ocimount.jar
w=$(mktemp -d /var/tmp/ocimount-bench-pack.XXXXXX)
# shellcheck disable=SC2046 # one pid per word is what kill needs
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: %s/data}}\nhttp: {addr: 127.0.0.1:%s}\n' "$w" "$port" > "$w/reg.yml"
docker-registry serve "$w/reg.yml" >"$w/reg.log" 2>&1 &

echo "building the source tree..."
python3 scripts/lib/fill-tree.py "$w/src" $((300 * 1024 * 1024)) 42
# shellcheck source=scripts/lib/installed.sh
source scripts/lib/installed.sh
installed "$w/inst"
sleep 1

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

run_ocimount() { # run how -> "seconds digest"; how: the installed CLI's command line, or java -jar
  drop_caches
  local s e d; s=$(now)
  # shellcheck disable=SC2086 # a command line, word by word
  d=$($2 pack "$w/src" --tag "127.0.0.1:$port/bench/ocimount$1$RANDOM:v1" --push --config /nonexistent 2>/dev/null | head -1)
  e=$(now)
  echo "$(python3 -c "print(round($e-$s,2))") $d"
}

run_umoci() { # run -> seconds
  rm -rf "$w/layout"
  drop_caches
  local s e; s=$(now)
  umoci init --layout "$w/layout"
  umoci new --image "$w/layout:v1"
  umoci insert --image "$w/layout:v1" "$w/src" /
  skopeo copy -q --dest-tls-verify=false "oci:$w/layout:v1" "docker://127.0.0.1:$port/bench/umoci$1:v1"
  e=$(now)
  python3 -c "print(round($e-$s,2))"
}

ours=(); jars=(); theirs=(); digests=()
for r in $(seq "$runs"); do
  read -r a d < <(run_ocimount "$r" "$PACK"); b=$(run_umoci "$r"); read -r c dj < <(run_ocimount "$r" "java -jar $jar")
  ours+=("$a"); jars+=("$c"); theirs+=("$b"); digests+=("$d" "$dj")
  echo "run $r: ocimount pack --push ${a}s installed, ${c}s java -jar ($d)  umoci + skopeo ${b}s"
done
mo=$(median "${ours[@]}"); mj=$(median "${jars[@]}"); mu=$(median "${theirs[@]}")
same=$(printf '%s\n' "${digests[@]}" | sort -u | wc -l)
echo "median: ocimount ${mo}s installed, ${mj}s java -jar; umoci + skopeo ${mu}s"
echo "ratio ocimount/(umoci+skopeo): $(python3 -c "print(round($mo/$mu,2))") installed, $(python3 -c "print(round($mj/$mu,2))") java -jar"
echo "ocimount digests over $((2 * runs)) packs: $([ "$same" -eq 1 ] && echo "all the same" || echo "$same different")"
