#!/usr/bin/env bash
# Runs every test: installs what the tests need (Debian packages, Maven), then unit and end-to-end tests.
# End-to-end tests start Debian's docker-registry on 127.0.0.1 and the daemon on a unix socket; run as root.
# As another user it installs nothing and the root-only tests are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v umoci >/dev/null || need+=(umoci)
command -v readelf >/dev/null || need+=(binutils)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
# pack's default deflate; without it pack falls back to zlib and its libdeflate tests are skipped
dpkg-query -W -f '${Status}' libdeflate0 2>/dev/null | grep -q 'ok installed' || need+=(libdeflate0)
command -v skopeo >/dev/null || need+=(skopeo)
command -v ctr >/dev/null || need+=(containerd)
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v systemd-analyze >/dev/null || need+=(systemd)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ "$(id -u)" != 0 ]; then
  # a user cannot install packages: the unit tests need only Maven and a JDK, and the root-only tests
  # (tagged "native") are reported as skipped, each saying it needs root
  echo "run.sh: not root: tests that need root are skipped; -DskipNative=true leaves them out" >&2
  for p in "${need[@]}"; do
    case "$p" in
      maven|openjdk-17-jdk-headless) echo "run.sh: $p is missing; install it as root" >&2; exit 1 ;;
      *) echo "run.sh: $p is missing (only root-only tests use it)" >&2 ;;
    esac
  done
elif [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# a private mount namespace, so a failing test cannot leave mounts on the host
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
  exec unshare -m --propagation private mvn -B -ntp verify "$@"
fi
exec mvn -B -ntp verify "$@"
