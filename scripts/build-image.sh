#!/usr/bin/env bash
# Builds the ocimount image with `ocimount pack`, as root, from Debian's packages and the shaded jar:
#   scripts/build-image.sh --tag REF (--push | --oci-layout DIR) [--platform OS/ARCH]... [--jar FILE]
#                          [--cache DIR] [--config FILE] [--cds]
# An OCI index for linux/amd64 and linux/arm64/v8 (or the --platform given). Each platform's image holds, bottom first:
#   1. that architecture's Java 17 runtime: Debian's openjdk-17-jre-headless and the four libraries the JVM links
#      against, unpacked with dpkg -x (scripts/lib/debian-jre.sh), /usr/bin/java pointing into it   (per platform)
#   2. /etc: root in passwd/group, the CA certificates of Debian's ca-certificates as the PEM bundle and the JRE's
#      cacerts (made here, reproducibly: scripts/lib/CaKeystore.java), and /tmp                          (shared)
#   3. /usr/lib/ocimount/ocimount.jar                                                                   (shared)
#   4. with --cds only: an AppCDS archive /usr/lib/ocimount/ocimount.jsa of the classes a daemon start with a few
#      RPCs and the CLI's commands load, dumped by that platform's JVM in a chroot of layers 1-3 (arm64 under
#      qemu-aarch64-static); ocimount-cli.jsa links to it                                            (per platform)
# An upgrade of the jar changes layer 3 only; the runtime layers are reused. The image runs the daemon with the
# unit's flags (Entrypoint: java and its flags, Cmd: daemon); any other ocimount command can be given instead.
# Reproducible: the same jar and the same Debian packages give the same digest (every mtime is SOURCE_DATE_EPOCH,
# default the commit time of HEAD). Not with --cds: JDK 17 does not dump an archive byte for byte the same twice
# (two dumps of one class list by one JVM differ in millions of bytes), so the default image does without one and
# its JVM maps the JRE's own archive of the JDK's classes (lib/server/classes.jsa, from the package). Prints the
# digest and REF@digest, as pack does. Debian's .debs are kept in --cache (default /var/cache/ocimount-build).
set -euo pipefail
shopt -s inherit_errexit
repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/debian-jre.sh
. "$repo/scripts/lib/debian-jre.sh"
# shellcheck source=scripts/lib/cds-training.sh
. "$repo/scripts/lib/cds-training.sh"
log() { echo "build-image: $*" >&2; }
usage() { sed -n '3,5p' "$0" | sed 's/^# *//' >&2; exit 2; }

tag='' out=() platforms=() jar=$repo/target/ocimount.jar cache=/var/cache/ocimount-build config='' cds=0
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=${2:?}; shift 2 ;;
    --push) out+=(--push); shift ;;
    --oci-layout) out+=(--oci-layout "${2:?}"); shift 2 ;;
    --platform) platforms+=("${2:?}"); shift 2 ;;
    --jar) jar=${2:?}; shift 2 ;;
    --cache) cache=${2:?}; shift 2 ;;
    --config) config=${2:?}; shift 2 ;;
    --cds) cds=1; shift ;;
    *) usage ;;
  esac
done
if [ -z "$tag" ] || [ ${#out[@]} -eq 0 ]; then usage; fi
[ ${#platforms[@]} -gt 0 ] || platforms=(linux/amd64 linux/arm64/v8)
arch_of() { # linux/arm64/v8 -> arm64
  local a=${1#*/}
  echo "${a%%/*}"
}
declare -A seen=()
for p in "${platforms[@]}"; do
  case "$p" in linux/amd64|linux/arm64|linux/arm64/v8) ;; *) log "$p: only linux/amd64 and linux/arm64 are built"; exit 2 ;; esac
  # linux/arm64 and linux/arm64/v8 are one platform (containerd's normalization): given twice, it is built once
  [ -z "${seen[$(arch_of "$p")]:-}" ] || { log "$p: given twice"; exit 2; }
  seen[$(arch_of "$p")]=1
done
[ "$(id -u)" = 0 ] || { log "run as root (dpkg --add-architecture, apt-get, mounts for the AppCDS chroot)"; exit 1; }
if [ ! -f "$jar" ]; then
  log "building the jar"
  (cd "$repo" && mvn -B -q -ntp package -DskipTests)
fi
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  # root in a checkout another user owns: git would refuse it as of "dubious ownership"
  if ! SOURCE_DATE_EPOCH=$(git -c safe.directory="$repo" -C "$repo" log -1 --format=%ct 2>/dev/null); then
    log "no SOURCE_DATE_EPOCH and no git commit to take it from: set SOURCE_DATE_EPOCH (seconds) for a reproducible image"
    exit 2
  fi
  log "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, the commit time of HEAD"
fi
export SOURCE_DATE_EPOCH

work=$(mktemp -d /tmp/ocimount-image.XXXXXX)
cleanup() {
  if [ -n "${CDS_TRAIN_PID:-}" ]; then kill "$CDS_TRAIN_PID" 2>/dev/null || true; wait "$CDS_TRAIN_PID" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
host_java() { java -XX:+UseSerialGC "$@"; } # C2 too: pack compresses for seconds

# 2: /etc, the same for every platform
base=$work/base
mkdir -p "$base/etc/ssl/certs/java" "$base/tmp" "$base/var/lib/ocimount/tmp" "$base/run/ocimount"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\n' >"$base/etc/passwd"
printf 'root:x:0:\n' >"$base/etc/group"
debian_arch_ready "$(dpkg --print-architecture)"
ca_deb=$(debian_debs all "$cache/debs" ca-certificates)
ca_version=$(basename "$ca_deb" _all.deb)
ca_version=${ca_version#ca-certificates_}
dpkg -x "$ca_deb" "$work/ca"
mapfile -t pems < <(find "$work/ca/usr/share/ca-certificates" -name '*.crt' | LC_ALL=C sort)
# a trust store without Debian's CAs would fail every TLS registry: Debian ships about 150
if [ ${#pems[@]} -lt 100 ]; then log "only ${#pems[@]} CA certificates in $ca_deb"; exit 1; fi
cat "${pems[@]}" >"$base/etc/ssl/certs/ca-certificates.crt"
java "$repo/scripts/lib/CaKeystore.java" "$base/etc/ssl/certs/java/cacerts" "${pems[@]}"

# 3: the jar, with the mtime the image gives it (the AppCDS archives record the jar's size and mtime)
app=$work/app
install -D -m 0644 "$jar" "$app/usr/lib/ocimount/ocimount.jar"
touch -d "@$SOURCE_DATE_EPOCH" "$app/usr/lib/ocimount/ocimount.jar"

# --cds: the classes a daemon start with a few RPCs and the CLI's commands load, recorded once on this machine's JVM
# (names only, the same for every architecture)
train() {
  mkdir -p "$work/train"
  cds_train "$jar" "$work/train" -XX:DumpLoadedClassList="$work/train/daemon.classlist"
  sort -u "$work/train/daemon.classlist" "$work/train/cli.classlist" >"$work/ocimount.classlist"
}

# dump ARCH JRE DEST: the AppCDS archive of JRE's JVM, made in a chroot of layers 1-3 (the jar at the path it has in
# the image: the archive is refused at run time for a jar elsewhere), written into layer 4's directory DEST. One
# archive of the daemon's and the CLI's classes serves both (ocimount-cli.jsa, which the systemd install's CLI
# wrapper names, is a link to it).
dump() {
  local arch=$1 jre=$2 dest=$3 m=$work/$1/mnt qemu=()
  mkdir -p "$m/merged" "$m/upper" "$m/work" "$dest/usr/lib/ocimount"
  cp "$work/ocimount.classlist" "$m/upper/ocimount.classlist"
  if [ "$arch" != "$(dpkg --print-architecture)" ]; then
    local emulator="qemu-aarch64-static"
    if [ "$arch" = amd64 ]; then emulator="qemu-x86_64-static"; fi
    if ! command -v "$emulator" >/dev/null; then
      log "apt-get install qemu-user-static (for $emulator)"
      apt-get install -y -qq qemu-user-static >/dev/null
    fi
    cp "$(command -v "$emulator")" "$m/upper/qemu"
    qemu=(/qemu)
  fi
  # shellcheck disable=SC2016 # expanded by the inner shell
  unshare -m --propagation private bash -euc '
    m=$1
    # lowerdir lists the top first: the jar over /etc over the JRE
    mount -t overlay overlay -o "lowerdir=$2:$3:$4,upperdir=$m/upper,workdir=$m/work" "$m/merged"
    mkdir -p "$m/merged/proc" "$m/merged/dev"
    mount -t proc proc "$m/merged/proc"
    mount --rbind /dev "$m/merged/dev"
    shift 4
    chroot "$m/merged" "$@" /usr/bin/java -Xshare:dump -XX:SharedClassListFile=/ocimount.classlist \
      -XX:SharedArchiveFile=/usr/lib/ocimount/ocimount.jsa -XX:+UseSerialGC -Xlog:cds=off \
      -cp /usr/lib/ocimount/ocimount.jar >/dev/null' _ "$m" "$app" "$base" "$jre" "${qemu[@]}"
  install -m 0644 "$m/upper/usr/lib/ocimount/ocimount.jsa" "$dest/usr/lib/ocimount/ocimount.jsa"
  ln -s ocimount.jsa "$dest/usr/lib/ocimount/ocimount-cli.jsa"
  rm -rf "$m"
}

layers=() jre_labels=()
for p in "${platforms[@]}"; do
  arch=$(arch_of "$p")
  # 1: the runtime of this architecture
  jre=$work/$arch/jre
  debian_jre "$arch" "$cache/debs" "$jre"
  jre_labels+=(--label "io.ocimount.image.jre.$arch=${DEBIAN_JRE_PACKAGES[0]#*=}")
  mkdir -p "$jre/usr/bin"
  ln -sfn "/usr/lib/jvm/java-17-openjdk-$arch/bin/java" "$jre/usr/bin/java"
  # manual pages and change logs are not run; each package's copyright file stays
  rm -rf "$jre/usr/share/man" "$jre/usr/share/lintian"
  find "$jre/usr/share/doc" -type f ! -name copyright -delete
  layers+=(--layer "$p=$jre")
done
layers+=(--layer "$base" --layer "$app")
if [ "$cds" = 1 ]; then
  train
  for p in "${platforms[@]}"; do
    arch=$(arch_of "$p")
    log "$arch: AppCDS archives"
    dump "$arch" "$work/$arch/jre" "$work/$arch/cds"
    layers+=(--layer "$p=$work/$arch/cds")
  done
fi

# the project's version: the first <version> after ocimount's <artifactId> in the pom
version=$(sed -n '/<artifactId>ocimount<\/artifactId>/,/<version>/ s/.*<version>\(.*\)<\/version>.*/\1/p' "$repo/pom.xml" | head -1)
run=(--entrypoint /usr/bin/java)
[ "$cds" = 1 ] && run+=(--entrypoint -XX:SharedArchiveFile=/usr/lib/ocimount/ocimount.jsa --entrypoint -Xshare:auto)
# the unit's JVM flags (systemd/ocimount.service's ExecStart up to the jar), but for its archive when there is none
read -ra unit <<<"$(sed -n 's/^ExecStart=\/usr\/bin\/java //p' "$repo/systemd/ocimount.service")"
for f in "${unit[@]}"; do
  case "$f" in
    -XX:SharedArchiveFile=*|-Xshare:*) ;;
    daemon) break ;;
    *) run+=(--entrypoint "$f") ;;
  esac
done
run+=(--cmd daemon --env LANG=C.UTF-8 --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  --label org.opencontainers.image.title=ocimount
  --label "org.opencontainers.image.description=Image volumes for Kubernetes nodes: OCI images mounted read-only"
  "${jre_labels[@]}" --label "io.ocimount.image.ca-certificates=${ca_version//%3a/:}")
[ -n "$version" ] && run+=(--label "org.opencontainers.image.version=$version")
cfg=()
[ -n "$config" ] && cfg=(--config "$config")
platform_args=()
for p in "${platforms[@]}"; do platform_args+=(--platform "$p"); done
# libdeflate pinned: without it pack would fall back to zlib and give another digest on a host that lacks it
if ! dpkg-query -W -f '${Status}' libdeflate0 2>/dev/null | grep -q 'ok installed'; then
  log "apt-get install libdeflate0 (pack's deflate)"
  apt-get install -y -qq libdeflate0 >/dev/null
fi
log "packing ${platforms[*]} (SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH)"
host_java -jar "$jar" pack --gzip libdeflate --tag "$tag" "${platform_args[@]}" "${layers[@]}" "${run[@]}" \
  "${out[@]}" "${cfg[@]}"
