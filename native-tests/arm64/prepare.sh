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
# Which packages, and why so few: scripts/lib/debian-jre.sh, shared with scripts/build-image.sh. lib/security/cacerts
# points at /etc/ssl/certs/java/cacerts, which qemu then finds on the host when it exists there.
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
stamp_version=2 # raised whenever the package set changes (2: libdeflate0), so a cached root is made again
if [ "$(cat "$stamp" 2>/dev/null)" = "$stamp_version" ] && [ -x "$java" ]; then
  echo "$java"
  exit 0
fi

# shellcheck source=scripts/lib/debian-jre.sh
. "$(dirname "$0")/../../scripts/lib/debian-jre.sh"
debian_jre arm64 "$dir/debs" "$dir/root.tmp"
pkgs=("${DEBIAN_JRE_PACKAGES[@]}")

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
echo "$stamp_version" > "$dir/root/.prepared"
log "unpacked ${#pkgs[@]} packages into $dir/root"
echo "$java"
