#!/usr/bin/env bash
# Kind harness: where Docker and kind exist, creates a one-node Kind cluster, installs ocimount in the node as a
# systemd service (the jar, a jlink'ed JRE and the unit), drives it with the node's crictl
# (pull, images, inspecti, rmi, imagefsinfo), mounts an image volume with the ocimount CLI, and checks the files
# from a pod that reads the node directory by hostPath. Then the CSI path: turns on the daemon's CSI node plugin
# (a [csi] table in the node's config.toml), applies deploy/kubernetes/csidriver.yaml, waits for kubelet to list
# image.ocimount.io in the node's CSINode (the daemon registers itself, no sidecar), and runs pods with inline
# csi: volumes: the whole image (read-only even unasked), a subPath, and a private image on an htpasswd registry
# (a registry:2 container on the kind network) through a nodePublishSecretRef, which fails without the secret.
#   native-tests/kind/run.sh          run it (KEEP=1 keeps the cluster and the registry afterwards)
#   native-tests/kind/run.sh --check  only check the prerequisites; exits 3 when Docker or kind is missing
set -euo pipefail
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cluster=ocimount-e2e
node=$cluster-control-plane
image=docker.io/library/busybox:1.36
endpoint=unix:///run/ocimount/ocimount.sock
driver=image.ocimount.io
csi_socket=/var/lib/kubelet/plugins/image.ocimount.io/csi.sock
registration_socket=/var/lib/kubelet/plugins_registry/image.ocimount.io-reg.sock
registry=ocimount-e2e-registry            # a registry:2 container with htpasswd on the kind network
private_image=$registry:5000/private/data:v1
secret=ocimount-regcred

missing=()
command -v docker >/dev/null && docker info >/dev/null 2>&1 || missing+=("a running Docker engine")
command -v kind >/dev/null || missing+=("kind")
command -v kubectl >/dev/null || missing+=("kubectl")
command -v jlink >/dev/null && command -v jdeps >/dev/null || missing+=("jlink and jdeps (a JDK 17)")
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
  if [ "${KEEP:-0}" != 1 ]; then
    kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
    docker rm -f "$registry" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
# The JRE's modules: those the jar's classes name (jdeps), plus the service providers no class names, which jdeps
# cannot see. jdk.crypto.ec is the SunEC provider: without it TLS offers no ECDHE suite and no X25519, EC registry
# certificates fail, and cosign's ECDSA and Ed25519 keys cannot be read. Left out on purpose: jdk.zipfs (no zip
# file systems), jdk.charsets and jdk.localedata (UTF-8 and Locale.ROOT only, and the unit sets LANG=C.UTF-8).
modules=$(jdeps --multi-release 17 --print-module-deps --ignore-missing-deps "$repo/target/ocimount.jar")
jlink --add-modules "$modules,jdk.crypto.ec" --strip-debug --no-header-files --no-man-pages --output "$work/runtime"
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

# ---------------------------------------------------------------------------------------------------------------
# CSI path: the daemon as a CSI node plugin (inline ephemeral volumes), registered with kubelet by the daemon itself
k() { kubectl --context "kind-$cluster" "$@"; }
fail() { echo "kind harness: $*" >&2; exit 1; }
# wait_for SECONDS WHAT COMMAND...: runs COMMAND once a second until it succeeds
wait_for() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs; i++)); do
    if "$@"; then return 0; fi
    sleep 1
  done
  fail "timed out after ${secs}s waiting for $what"
}
# run_pod FILE POD: applies FILE, waits until POD has succeeded with no FailedMount in its events, prints its logs
run_pod() {
  k apply -f "$1" >&2
  if ! k wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$2" --timeout=180s >&2; then
    k describe pod "$2" >&2
    fail "pod $2 did not succeed"
  fi
  if k describe pod "$2" | grep FailedMount >&2; then fail "pod $2 had a FailedMount event"; fi
  k logs "$2"
}
expect() { # expect LOGS LINE-REGEX WHAT
  grep -q -- "$2" <<<"$1" || fail "$3; the pod printed: $1"
}
failed_mount_events() { k get events --field-selector "involvedObject.name=$1,reason=FailedMount" -o name | grep -q .; }
registry_up() { [ "$(in_node curl -s -o /dev/null -w '%{http_code}' "http://$registry:5000/v2/")" = 401 ]; }
csi_registered() { k get csinode "$node" -o jsonpath='{.spec.drivers[*].name}' | tr ' ' '\n' | grep -qx "$driver"; }
csi_mounts_gone() { in_node sh -c '! grep -q "kubernetes.io~csi" /proc/self/mountinfo'; }

step "CSI: a private registry (htpasswd) on the kind network, and an image pushed to it"
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
token=private-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
docker run --rm --entrypoint htpasswd httpd:2.4-alpine -Bbn ocimount "$password" >"$work/htpasswd"
docker rm -f "$registry" >/dev/null 2>&1 || true
docker create --name "$registry" --network kind -e REGISTRY_AUTH=htpasswd -e REGISTRY_AUTH_HTPASSWD_REALM=ocimount-e2e \
  -e REGISTRY_AUTH_HTPASSWD_PATH=/etc/docker/registry/htpasswd registry:2 >/dev/null
docker cp "$work/htpasswd" "$registry:/etc/docker/registry/htpasswd"
docker start "$registry" >/dev/null
wait_for 60 "the registry to answer 401 from the node" registry_up
# plain HTTP to a registry that is not on loopback needs an http:// server in hosts.toml (pulls and the push)
echo "server = \"http://$registry:5000\"" |
  docker exec -i "$node" sh -c "mkdir -p '/etc/ocimount/certs.d/$registry:5000' && cat > '/etc/ocimount/certs.d/$registry:5000/hosts.toml'"
printf '{"auths":{"%s":{"auth":"%s"}}}\n' "$registry:5000" "$(printf 'ocimount:%s' "$password" | base64 | tr -d '\n')" |
  docker exec -i "$node" sh -c 'mkdir -p /tmp/ocimount-push && umask 077 && cat > /tmp/ocimount-push/auth.json'
printf '[registry]\nconfig_path = "/etc/ocimount/certs.d"\ndocker_config = "/tmp/ocimount-push/auth.json"\n' |
  docker exec -i "$node" sh -c 'cat > /tmp/ocimount-push/config.toml'
printf '%s\n' "$token" | docker exec -i "$node" sh -c 'mkdir -p /tmp/ocimount-private && cat > /tmp/ocimount-private/secret.txt'
in_node ocimount pack /tmp/ocimount-private --tag "$private_image" --push --config /tmp/ocimount-push/config.toml
in_node rm -rf /tmp/ocimount-push   # the node's daemon must get the credentials from the pod's secret only

step "CSI: turn on the node plugin ([csi] in config.toml), apply the CSIDriver, wait for kubelet's CSINode"
in_node cat /etc/ocimount/config.toml | bash "$here/csi-config.sh" "$csi_socket" >"$work/config.toml"
docker cp "$work/config.toml" "$node:/etc/ocimount/config.toml"
in_node systemctl restart ocimount.service   # Type=notify: returns after READY=1
in_node systemctl is-active ocimount.service
in_node test -S "$csi_socket"
in_node test -S "$registration_socket"
k apply -f "$repo/deploy/kubernetes/csidriver.yaml"
wait_for 90 "CSINode $node to list $driver" csi_registered
node_id=$(k get csinode "$node" -o jsonpath="{.spec.drivers[?(@.name==\"$driver\")].nodeID}")
[ "$node_id" = "$node" ] || fail "CSINode gives $driver the node id \"$node_id\", expected the host name $node"

step "CSI: (a) the whole image, read-only"
logs=$(run_pod "$here/csi-pod.yaml" ocimount-csi-whole)
echo "$logs"
expect "$logs" '^root:x:0:0' "the csi volume did not show the image's /etc/passwd"
expect "$logs" '^read-only$' "the csi volume was writable"

step "CSI: (b) a subPath"
logs=$(run_pod "$here/csi-subpath-pod.yaml" ocimount-csi-subpath)
echo "$logs"
expect "$logs" '^root:x:0:0' "the subPath volume did not show the image's etc/passwd"
expect "$logs" '^subpath-only$' "the subPath volume showed more than the image's etc"

step "CSI: (c) a private image, refused without the secret, read with it"
k apply -f "$here/csi-private-nosecret-pod.yaml"
wait_for 120 "a FailedMount event for the private image without a secret" failed_mount_events ocimount-csi-private-nosecret
refusal=$(k get events --field-selector involvedObject.name=ocimount-csi-private-nosecret,reason=FailedMount \
  -o jsonpath='{range .items[*]}{.message}{"\n"}{end}')
echo "$refusal"
# the registry's refusal, not some other mount failure (driver not registered, DNS, hosts.toml)
grep -q '(401)' <<<"$refusal" || fail "the FailedMount without a secret is not the registry's 401: $refusal"
phase=$(k get pod ocimount-csi-private-nosecret -o jsonpath='{.status.phase}')
[ "$phase" = Pending ] || fail "the private image without a secret left the pod $phase, expected Pending"
k delete pod ocimount-csi-private-nosecret --wait --timeout=120s
k create secret docker-registry "$secret" --docker-server="$registry:5000" --docker-username=ocimount \
  --docker-password="$password"
logs=$(run_pod "$here/csi-private-pod.yaml" ocimount-csi-private)
echo "$logs"
expect "$logs" "^$token\$" "the private volume did not show the pushed file"

step "CSI: the pods' volumes are unmounted when the pods go"
k delete pod ocimount-csi-whole ocimount-csi-subpath ocimount-csi-private --wait --timeout=120s
wait_for 60 "no kubernetes.io~csi mount left on the node" csi_mounts_gone

step "journal"
in_node journalctl -u ocimount.service --no-pager | tail -20
echo "kind harness: all checks passed"
