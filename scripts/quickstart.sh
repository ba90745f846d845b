#!/usr/bin/env bash
# Builds ocimount, starts the daemon with its defaults, packs a directory into an image and another into an OCI
# artifact with `ocimount pack --push` to a local registry, pulls the image through the daemon, and mounts them
# as image volumes: the whole image, one file of it, and the artifact, read-only.
# For a fresh Debian/Ubuntu machine, as root.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
command -v mvn >/dev/null || need+=(maven)
command -v javac >/dev/null || need+=(openjdk-17-jdk-headless)
command -v docker-registry >/dev/null || need+=(docker-registry)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; fi
mvn -B -q -ntp package -DskipTests
# The daemon runs from an installed copy: install replaces the file (a new inode), so a rebuild never changes
# the jar under a running JVM. A daemon from an earlier run is restarted on the new build; its volumes stay
# mounted and are picked up again at start.
jar=/usr/lib/ocimount/ocimount.jar
service=no
if command -v systemctl >/dev/null && systemctl is-active --quiet ocimount 2>/dev/null; then
  service=yes   # installed with scripts/install.sh: use the service as it is
else
  install -D -m 0644 target/ocimount.jar "$jar"
  if pkill -TERM -f "ocimount.jar daemon"; then
    for _ in $(seq 50); do pgrep -f "ocimount.jar daemon" >/dev/null || break; sleep 0.2; done
  fi
fi
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
mkdir -p "$demo/content/data" "$demo/model/tokenizer"
echo "hello from an image volume" > "$demo/content/data/hello.txt"
echo "weights" > "$demo/model/weights.bin"; printf 'a\nb\n' > "$demo/model/tokenizer/vocab.txt"
sleep 1
java -jar "$jar" pack "$demo/content" --tag "127.0.0.1:$port/demo/hello:v1" --push
java -jar "$jar" pack "$demo/model" --tag "127.0.0.1:$port/demo/model:v1" --push --artifact
if [ "$service" = no ]; then
  : >/var/log/ocimount.log
  LANG=C.UTF-8 nohup java -jar "$jar" daemon >/var/log/ocimount.log 2>&1 &
  echo "daemon started (pid $!), log /var/log/ocimount.log"
  for _ in $(seq 100); do grep -q "serving on" /var/log/ocimount.log 2>/dev/null && break; sleep 0.2; done
fi
java -jar "$jar" pull "127.0.0.1:$port/demo/hello:v1"
java -jar "$jar" images
java -jar "$jar" inspect "127.0.0.1:$port/demo/hello:v1" | head -20
for v in demo-whole demo-file demo-model; do java -jar "$jar" unmount "$v"; done # an earlier run's volumes (unknown ids are fine)
java -jar "$jar" mount "127.0.0.1:$port/demo/hello:v1" /mnt/ocimount-demo --id demo-whole
java -jar "$jar" mount "127.0.0.1:$port/demo/hello:v1" /mnt/ocimount-demo-hello.txt --sub-path data/hello.txt --id demo-file
java -jar "$jar" mount "127.0.0.1:$port/demo/model:v1" /mnt/ocimount-demo-model --id demo-model
java -jar "$jar" volumes
echo "--- cat /mnt/ocimount-demo/data/hello.txt"; cat /mnt/ocimount-demo/data/hello.txt
echo "--- cat /mnt/ocimount-demo-hello.txt";     cat /mnt/ocimount-demo-hello.txt
echo "--- ls -R /mnt/ocimount-demo-model (an OCI artifact: one file per layer)"; ls -R /mnt/ocimount-demo-model
echo "--- a write is refused:"; touch /mnt/ocimount-demo/data/new 2>&1 || true
echo "--- what was pulled and mounted, and why it was let in (ocimount audit, the last 5):"
java -jar "$jar" audit | tail -5
echo "unmount with: java -jar $jar unmount demo-whole; java -jar $jar unmount demo-file; java -jar $jar unmount demo-model"
