#!/usr/bin/env bash
# prepare.sh DIR: an arm64 Java 17 runtime for user-mode emulation, as root, from Debian's own packages.
#
# Installs qemu-user-static if missing, adds the arm64 architecture to dpkg, downloads Debian's
# openjdk-17-jre-headless:arm64 and the arm64 libraries it loads with `apt-get download` into DIR/debs (kept:
# a second run downloads nothing), unpacks each with `dpkg -x` into DIR/root, writes the launcher DIR/java and
# prints the java path. No binfmt registration is needed: qemu is called directly.
#
# `qemu-aarch64-static -L DIR/root DIR/root/usr/lib/jvm/java-17-openjdk-arm64/bin/java -version` works (no extra
# JVM flag needed), and so does `-jar ocimount.jar pack`, but the daemon cannot mount that way: -L makes qemu open
# every absolute path that exists under DIR/root there instead, and "/" always does, so the daemon's walk to a
# mount target from an O_PATH fd of "/" (sys/Fds) lands in DIR/root ("resolve /tmp/...: openat tmp: No such
# file or directory"). DIR/java runs the arm64 loader itself instead, with DIR/root's library directories, so
# qemu rewrites no path:
#   qemu-aarch64-static DIR/root/lib/ld-linux-aarch64.so.1 --library-path DIR/root/lib/aarch64-linux-gnu:...
#       DIR/root/usr/lib/jvm/java-17-openjdk-arm64/bin/java "$@"
# For that the JRE's absolute symlinks into the root (lib/jvm.cfg and conf/* point into /etc/java-17-openjdk)
# are pointed at DIR/root's copies; the launcher finds java.home through libjli, not /proc/self/exe.
#
# Which packages, and why so few: the JRE package's Depends list the libraries of the whole JRE, most of them for
# AWT, fonts, sound, smart cards, CUPS and NSS (libfreetype6, libharfbuzz0b, libfontconfig1, liblcms2-2,
# libjpeg62-turbo, libasound2, libpcsclite1, libcups2, libnss3), none of which a headless daemon loads (and some,
# like libpcsclite, libasound2 and libnss3, are dlopen'ed only on use). The libraries the JVM itself links
# against (libjvm, libjli, libjava, libzip, libnio, libnet, libmanagement*, libextnet, and the jffi and Netty epoll
# stubs the jar carries) need only libc6 (libc, libm, libdl, libpthread, librt and the loader), libgcc-s1,
# libstdc++6 and zlib1g (Debian builds libzip against the system zlib). Their own dependency closure (Depends and
# Pre-Depends, recursively, from apt-cache) adds gcc-12-base, which holds only documentation. After unpacking,
# every DT_NEEDED of those JRE libraries is checked to resolve inside DIR/root, so a missing one fails here and
# not later under emulation. java-common and ca-certificates-java are left out: they are architecture-free and
# their cacerts is made by a maintainer script that dpkg -x does not run; lib/security/cacerts points at
# /etc/ssl/certs/java/cacerts, which qemu then finds on the host when it exists there.
set -euo pipefail
dir=${1:?usage: prepare.sh DIR}
mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)
export DEBIAN_FRONTEND=noninteractive
log() { echo "prepare.sh: $*" >&2; }

if ! command -v qemu-aarch64-static >/dev/null; then
  log "installing qemu-user-static"
  apt-get install -y -qq qemu-user-static >/dev/null
fi

java=$dir/root/usr/lib/jvm/java-17-openjdk-arm64/bin/java
stamp=$dir/root/.prepared
if [ -f "$stamp" ] && [ -x "$java" ]; then
  echo "$java"
  exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  log "dpkg --add-architecture arm64"
  dpkg --add-architecture arm64
fi
# the arm64 package lists are fetched once; an update is needed when they are absent
if ! apt-cache show openjdk-17-jre-headless:arm64 >/dev/null 2>&1; then
  log "apt-get update"
  apt-get update -qq
fi

roots=(libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 zlib1g:arm64)
mapfile -t libs < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${roots[@]}" | grep -E '^[a-z0-9][^ ]*:arm64$' | sort -u)
pkgs=(openjdk-17-jre-headless:arm64 "${libs[@]}")
log "packages: ${pkgs[*]}"

# download what is not cached yet (the file name carries the version, so a newer candidate is fetched again)
want=()
for p in "${pkgs[@]}"; do
  name=${p%:arm64}
  ver=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')
  if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then log "no candidate for $p"; exit 1; fi
  file=${name}_${ver//:/%3a}_arm64.deb
  [ -s "$dir/debs/$file" ] || want+=("$p=$ver")
done
if [ ${#want[@]} -gt 0 ]; then
  log "apt-get download ${want[*]}"
  # apt-get download as root drops to the _apt user, which must be able to write the directory
  chmod 0755 "$dir" "$dir/debs"
  (cd "$dir/debs" && chown _apt "$dir/debs" 2>/dev/null; apt-get download -qq "${want[@]}")
fi

rm -rf "$dir/root.tmp"
mkdir -p "$dir/root.tmp"
for p in "${pkgs[@]}"; do
  name=${p%:arm64}
  ver=$(apt-cache policy "$p" | awk '/Candidate:/ {print $2}')
  dpkg -x "$dir/debs/${name}_${ver//:/%3a}_arm64.deb" "$dir/root.tmp"
done

# every library the JVM and the daemon load must find what it links against inside the root
jre=$dir/root.tmp/usr/lib/jvm/java-17-openjdk-arm64
missing=0
for so in "$jre"/lib/server/libjvm.so "$jre"/lib/{libjli,libjava,libzip,libnio,libnet,libjimage,libverify,libmanagement,libmanagement_ext,libextnet}.so; do
  [ -e "$so" ] || { log "missing $so"; missing=1; continue; }
  for need in $(readelf -d "$so" | sed -n "s/.*(NEEDED).*\[\(.*\)\]/\1/p"); do
    case "$need" in libjvm.so|libjava.so|libjli.so|libnet.so|libnio.so|libmanagement.so) continue ;; esac
    found=
    for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
      [ -e "$dir/root.tmp/$d/$need" ] && { found=1; break; }
    done
    [ -n "$found" ] || { log "$(basename "$so") needs $need, which is not in the root"; missing=1; }
  done
done
[ "$missing" = 0 ] || exit 1

# absolute symlinks that point into the root point at the root's copy (the arm64 loader does not rewrite paths)
while IFS= read -r link; do
  target=$(readlink "$link")
  if [ -e "$dir/root.tmp$target" ] || [ -L "$dir/root.tmp$target" ]; then
    ln -sfn "$dir/root$target" "$link"
  fi
done < <(find "$dir/root.tmp" -type l -lname '/*')

{
  echo '#!/bin/sh'
  echo "# the arm64 JVM of $dir/root under user-mode emulation (written by native-tests/arm64/prepare.sh)"
  echo "exec qemu-aarch64-static $dir/root/lib/ld-linux-aarch64.so.1 --library-path" \
    "$dir/root/lib/aarch64-linux-gnu:$dir/root/usr/lib/aarch64-linux-gnu $java \"\$@\""
} > "$dir/root.tmp/java-aarch64"
chmod 0755 "$dir/root.tmp/java-aarch64"

rm -rf "${dir:?}/root"
mv "$dir/root.tmp" "$dir/root"
ln -sfn root/java-aarch64 "$dir/java"
touch "$dir/root/.prepared"
log "unpacked ${#pkgs[@]} packages into $dir/root"
echo "$java"
