#!/usr/bin/env bash
# Kind harness: where Docker and kind exist, creates a one-node Kind cluster, installs ocimount in the node as a
# systemd service (the jar, a jlink'ed JRE and the unit), drives it with the node's crictl
# (pull, images, inspecti, rmi, imagefsinfo), mounts an image volume with the ocimount CLI, and checks the files
# from a pod that reads the node directory by hostPath.
#   native-tests/kind/run.sh          run it (KEEP=1 keeps the cluster afterwards)
#   native-tests/kind/run.sh --check  only check the prerequisites; exits 3 when Docker or kind is missing
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cluster=ocimount-e2e
node=$cluster-control-plane
image=docker.io/library/busybox:1.36
endpoint=unix:///run/ocimount/ocimount.sock

missing=()
command -v docker >/dev/null && docker info >/dev/null 2>&1 || missing+=("a running Docker engine")
command -v kind >/dev/null || missing+=("kind")
command -v kubectl >/dev/null || missing+=("kubectl")
command -v jlink >/dev/null || missing+=("jlink (a JDK 17)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "kind harness: needs ${missing[*]}; not available here" >&2
  exit 3
fi
if [ "${1:-}" = "--check" ]; then
  echo "kind harness: prerequisites present"
  exit 0
fi

step() { printf '\n== %s\n' "$*"; }
in_node() { docker exec "$node" "$@"; }

step "build the jar and a JRE for the node"
(cd "$repo" && mvn -B -q -ntp package -DskipTests)
work=$(mktemp -d /tmp/ocimount-kind.XXXXXX)
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then kind delete cluster --name "$cluster" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
jlink --add-modules java.base,java.logging,java.management,java.naming,java.net.http,java.sql,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.jfr \
  --strip-debug --no-header-files --no-man-pages --output "$work/runtime"
mkdir -p /tmp/ocimount-kind-volumes

step "create the cluster"
kind create cluster --name "$cluster" --config "$here/kind-config.yaml" --wait 120s

step "install ocimount in the node"
in_node mkdir -p /usr/lib/ocimount /etc/ocimount/certs.d
docker cp "$work/runtime" "$node:/usr/lib/ocimount/runtime"
docker cp "$repo/target/ocimount.jar" "$node:/usr/lib/ocimount/ocimount.jar"
docker cp "$repo/systemd/ocimount.service" "$node:/etc/systemd/system/ocimount.service"
docker cp "$repo/systemd/config.toml" "$node:/etc/ocimount/config.toml"
in_node ln -sf /usr/lib/ocimount/runtime/bin/java /usr/bin/java
in_node sh -c 'printf "#!/bin/sh\nexec /usr/bin/java -jar /usr/lib/ocimount/ocimount.jar \"\$@\"\n" > /usr/local/bin/ocimount && chmod 0755 /usr/local/bin/ocimount'
in_node systemctl daemon-reload
in_node systemctl enable --now ocimount.service   # Type=notify: returns after READY=1
in_node systemctl is-active ocimount.service

step "crictl against ocimount's image endpoint"
crictl() { in_node crictl --image-endpoint "$endpoint" "$@"; }
crictl pull "$image"
crictl images | grep busybox
crictl inspecti "$image" | grep -q '"id"'
crictl imagefsinfo | grep -q usedBytes
crictl rmi "$image"
if crictl images | grep -q busybox; then echo "rmi left the image" >&2; exit 1; fi

step "an image volume, read by a pod through hostPath"
in_node ocimount mount "$image" /var/lib/ocimount-volumes/busybox-etc --sub-path etc --id busybox-etc
in_node ocimount volumes
kubectl --context "kind-$cluster" apply -f "$here/pod.yaml"
kubectl --context "kind-$cluster" wait --for=jsonpath='{.status.phase}'=Succeeded pod/ocimount-reader --timeout=180s
logs=$(kubectl --context "kind-$cluster" logs ocimount-reader)
echo "$logs"
grep -q '^root:x:0:0' <<<"$logs" || { echo "the pod did not see the image's /etc/passwd" >&2; exit 1; }
in_node ocimount unmount busybox-etc
in_node sh -c '! grep -q /var/lib/ocimount-volumes/busybox-etc /proc/self/mountinfo'

step "journal"
in_node journalctl -u ocimount.service --no-pager | tail -20
echo "kind harness: all checks passed"
