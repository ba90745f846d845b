#!/usr/bin/env bash
# Builds ocimount, starts the daemon with its defaults, and pulls a test image through it from a local registry.
# For a fresh Debian/Ubuntu machine, as root.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v umoci >/dev/null || need+=(umoci)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
mvn -B -q -ntp package -DskipTests
jar=$PWD/target/ocimount.jar
demo=$(mktemp -d /tmp/ocimount-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 5055)
cat > "$demo/registry.yml" <<YML
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $demo/data}}
http: {addr: 127.0.0.1:$port}
YML
docker-registry serve "$demo/registry.yml" >"$demo/registry.log" 2>&1 &
echo "registry on 127.0.0.1:$port (pid $!)"
umoci init --layout "$demo/layout" && umoci new --image "$demo/layout:v1"
umoci unpack --image "$demo/layout:v1" "$demo/bundle" >/dev/null
mkdir -p "$demo/bundle/rootfs/data" && echo "hello from an image volume" > "$demo/bundle/rootfs/data/hello.txt"
umoci repack --image "$demo/layout:v1" "$demo/bundle"
sleep 1
skopeo copy -q --dest-tls-verify=false "oci:$demo/layout:v1" "docker://127.0.0.1:$port/demo/hello:v1"
if [ ! -S /run/ocimount/ocimount.sock ]; then
  nohup java -jar "$jar" daemon >/var/log/ocimount.log 2>&1 &
  echo "daemon started (pid $!), log /var/log/ocimount.log"
  for _ in $(seq 50); do [ -S /run/ocimount/ocimount.sock ] && break; sleep 0.2; done
fi
java -jar "$jar" pull "127.0.0.1:$port/demo/hello:v1"
java -jar "$jar" images
java -jar "$jar" inspect "127.0.0.1:$port/demo/hello:v1"
echo "Image volumes (mounting the pulled image read-only) arrive with the image-volumes issue; this pull is the step they stand on."
