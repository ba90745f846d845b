#!/usr/bin/env bash
# Runs every test: installs what the tests need (Debian packages, Maven), then unit and end-to-end tests.
# End-to-end tests start Debian's docker-registry on 127.0.0.1 and the daemon on a unix socket; run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v htpasswd >/dev/null || need+=(apache2-utils)
command -v umoci >/dev/null || need+=(umoci)
command -v skopeo >/dev/null || need+=(skopeo)
command -v ctr >/dev/null || need+=(containerd)
command -v shellcheck >/dev/null || need+=(shellcheck)
command -v systemd-analyze >/dev/null || need+=(systemd)
python3 -c 'import yaml' 2>/dev/null || need+=(python3-yaml)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
# a private mount namespace, so a failing test cannot leave mounts on the host
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
  exec unshare -m --propagation private mvn -B -ntp verify "$@"
fi
exec mvn -B -ntp verify "$@"
