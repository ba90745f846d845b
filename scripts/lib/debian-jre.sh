# shellcheck shell=bash
# Debian's Java 17 runtime of one architecture, from Debian's own packages: sourced by scripts/build-image.sh (the
# image's JRE) and native-tests/arm64/prepare.sh (the emulated test's JRE).
#
#   debian_jre ARCH DEBS ROOT   downloads openjdk-17-jre-headless:ARCH and the libraries the JVM links against into
#                               DEBS (kept: a second run downloads nothing), unpacks them with dpkg -x into ROOT (made
#                               afresh) and checks that every library of the JVM finds what it needs inside ROOT.
#                               Sets DEBIAN_JRE_PACKAGES to "name=version" of each package.
#   debian_debs ARCH DEBS PKG.. downloads PKG (name:ARCH) and prints the .deb paths, one per line.
#
# Which packages, and why so few: the JRE package's Depends list the libraries of the whole JRE, most of them for
# AWT, fonts, sound, smart cards, CUPS and NSS (libfreetype6, libharfbuzz0b, libfontconfig1, liblcms2-2,
# libjpeg62-turbo, libasound2, libpcsclite1, libcups2, libnss3), none of which a headless daemon loads (and some,
# like libpcsclite, libasound2 and libnss3, are dlopen'ed only on use). The libraries the JVM itself links against
# (libjvm, libjli, libjava, libzip, libnio, libnet, libmanagement*, libextnet, and the jffi and Netty epoll stubs the
# jar carries) need only libc6 (libc, libm, libdl, libpthread, librt and the loader), libgcc-s1, libstdc++6 and
# zlib1g (Debian builds libzip against the system zlib). Their own dependency closure (Depends and Pre-Depends,
# recursively, from apt-cache) adds gcc-12-base, which holds only documentation. libdeflate0 (about 70 KB) is what
# `ocimount pack` deflates with by default: without it pack falls back to zlib and gives other digests. java-common and
# ca-certificates-java are left out: their cacerts is made by a maintainer script, which dpkg -x does not run.

debian_jre_log() { echo "debian-jre: $*" >&2; }

# apt knows ARCH's packages: a foreign architecture is added to dpkg and its lists fetched once. That changes the
# host's apt setup for good (undo: dpkg --remove-architecture ARCH), so it is done only where the host's sources are
# Debian's, which carry every architecture; Ubuntu's amd64 mirrors, for one, have no arm64 (ports.ubuntu.com does),
# and an arm64 entry would make every later apt-get update fail there.
debian_arch_ready() {
  local arch=$1 id=''
  export DEBIAN_FRONTEND=noninteractive
  if [ "$arch" != "$(dpkg --print-architecture)" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
    if [ "$id" != debian ]; then
      debian_jre_log "$arch packages come from Debian's archive; this host is ${id:-unknown}, so its dpkg is left" \
        "alone: build only its own architecture (--platform linux/$(dpkg --print-architecture))"
      return 1
    fi
    debian_jre_log "dpkg --add-architecture $arch (undo: dpkg --remove-architecture $arch)"
    dpkg --add-architecture "$arch"
  fi
  if ! apt-cache show "openjdk-17-jre-headless:$arch" >/dev/null 2>&1; then
    debian_jre_log "apt-get update"
    apt-get update -qq
  fi
}

# the cache is root's alone: a .deb someone else could put there would be unpacked into the image. Earlier versions
# gave the directory to _apt for apt-get download; it is taken back.
debian_cache_dir() {
  local dir=$1 owner mode
  mkdir -p "$dir"
  owner=$(stat -c %U "$dir")
  mode=$(stat -c %a "$dir")
  if [ "$owner" = _apt ]; then
    chown root:root "$dir"
    chmod 0755 "$dir"
  elif [ "$owner" != root ] || (( 8#$mode & 8#022 )); then
    debian_jre_log "$dir: owned by $owner with mode $mode; the package cache must be root's and not writable by others"
    return 1
  fi
}

# FILE's SHA256 is the one of apt's index, which apt checked against the archive's signed Release file
debian_deb_ok() {
  [ -s "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]
}

debian_debs() {
  local arch=$1 debs=$2 name a ver sha file fetch i want=() files=() shas=()
  shift 2
  debian_cache_dir "$debs" || return 1
  # one apt-cache call for all: each package's candidate (the version apt would install), architecture and SHA256
  while read -r name a ver sha; do
    # the file name carries the version, so a newer candidate is fetched again
    file=$debs/${name}_${ver//:/%3a}_$a.deb
    files+=("$file")
    shas+=("$sha")
    if ! debian_deb_ok "$file" "$sha"; then
      rm -f "$file" # absent, cut short by an interrupted download, or not what the index says
      if [ "$a" = all ]; then want+=("$name=$ver"); else want+=("$name:$a=$ver"); fi
    fi
  done < <(apt-cache show --no-all-versions "$@" | awk '/^Package:/ {p = $2} /^Version:/ {v = $2}
    /^Architecture:/ {a = $2} /^SHA256:/ {h = $2} /^$/ {if (p) print p, a, v, h; p = ""}')
  if [ ${#files[@]} -ne $# ]; then debian_jre_log "no candidate for some of $* (apt-get update?)"; return 1; fi
  if [ ${#want[@]} -gt 0 ]; then
    debian_jre_log "apt-get download ${want[*]}"
    # apt-get download as root drops to the _apt user: it writes into a directory of its own, moved in after
    fetch=$(mktemp -d "$debs/.fetch.XXXXXX")
    chown _apt "$fetch" 2>/dev/null || true
    if ! (cd "$fetch" && apt-get download -qq "${want[@]}") || ! mv -f "$fetch"/*.deb "$debs"/; then
      rm -rf "$fetch"
      return 1
    fi
    rm -rf "$fetch"
  fi
  for i in "${!files[@]}"; do
    if ! debian_deb_ok "${files[$i]}" "${shas[$i]}"; then
      debian_jre_log "${files[$i]}: not the SHA256 apt's index gives (${shas[$i]})"
      return 1
    fi
  done
  printf '%s\n' "${files[@]}"
}

# the package names of apt-cache depends' output that are of ARCH: name:ARCH, or a bare name for the native one
debian_own_packages() {
  local arch=$1 native line
  native=$(dpkg --print-architecture)
  while IFS= read -r line; do
    case "$line" in
      " "*|"<"*) ;;
      *:"$arch") echo "$line" ;;
      *:*) ;;
      *) if [ "$arch" = "$native" ]; then echo "$line:$arch"; fi ;;
    esac
  done
}

debian_jre() {
  local arch=$1 debs=$2 root=$3 libs pkgs files deb ver missing so needs need found d triplet
  case "$root" in ''|/) debian_jre_log "debian_jre: no root directory given"; return 1 ;; esac
  command -v readelf >/dev/null || { debian_jre_log "readelf is missing (apt-get install binutils)"; return 1; }
  debian_arch_ready "$arch" || return 1
  mapfile -t libs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "libc6:$arch" "libgcc-s1:$arch" "libstdc++6:$arch" "zlib1g:$arch" "libdeflate0:$arch" |
    debian_own_packages "$arch" | sort -u)
  pkgs=("openjdk-17-jre-headless:$arch" "${libs[@]}")
  mapfile -t files < <(debian_debs "$arch" "$debs" "${pkgs[@]}")
  [ ${#files[@]} -eq ${#pkgs[@]} ] || return 1
  rm -rf "$root"
  mkdir -p "$root"
  DEBIAN_JRE_PACKAGES=()
  for deb in "${files[@]}"; do
    dpkg -x "$deb" "$root"
    deb=$(basename "$deb" .deb)
    ver=${deb#*_}
    ver=${ver%_*}
    DEBIAN_JRE_PACKAGES+=("${deb%%_*}=${ver//%3a/:}")
  done
  debian_jre_log "$arch: ${DEBIAN_JRE_PACKAGES[*]}"

  # every library the JVM and the daemon load must find what it links against inside the root
  case "$arch" in amd64) triplet=x86_64-linux-gnu ;; arm64) triplet=aarch64-linux-gnu ;; *) triplet=$arch-linux-gnu ;; esac
  missing=0
  for so in "$root/usr/lib/jvm/java-17-openjdk-$arch"/lib/server/libjvm.so \
    "$root/usr/lib/jvm/java-17-openjdk-$arch"/lib/{libjli,libjava,libzip,libnio,libnet,libjimage,libverify,libmanagement,libmanagement_ext,libextnet}.so; do
    [ -e "$so" ] || { debian_jre_log "missing $so"; missing=1; continue; }
    needs=$(readelf -d "$so") || { debian_jre_log "readelf -d $so failed"; missing=1; continue; }
    while IFS= read -r need; do
      case "$need" in libjvm.so|libjava.so|libjli.so|libnet.so|libnio.so|libmanagement.so) continue ;; esac
      found=
      for d in "lib/$triplet" "usr/lib/$triplet" lib usr/lib; do
        [ -e "$root/$d/$need" ] && { found=1; break; }
      done
      [ -n "$found" ] || { debian_jre_log "$(basename "$so") needs $need, which is not in the root"; missing=1; }
    done < <(sed -n "s/.*(NEEDED).*\[\(.*\)\]/\1/p" <<<"$needs")
  done
  [ "$missing" = 0 ]
}
