#!/usr/bin/env bash
# Kind harness: where Docker and kind exist, creates a one-node Kind cluster and runs ocimount in it, in one of two
# modes.
# - systemd (the default): installs ocimount in the node as a systemd service (the jar, a jlink'ed JRE and the
#   unit), drives it with the node's crictl (pull, images, inspecti, rmi, imagefsinfo), mounts an image volume
#   with the ocimount CLI and checks the files from a pod that reads the node directory by hostPath; then turns on
#   the daemon's CSI node plugin (a [csi] table in the node's config.toml), applies deploy/kubernetes/csidriver.yaml
#   and waits for kubelet to list image.ocimount.io in the node's CSINode (the daemon registers itself, no sidecar).
# - --daemonset: builds the ocimount image (scripts/build-image.sh --oci-layout), imports it into the node's
#   containerd under the name daemonset.yaml uses, by digest, and installs deploy/kubernetes through a temporary
#   kustomize overlay that pins that digest (ds-overlay.sh); waits for the DaemonSet (daemon and registrar sidecar)
#   and the CSINode.
# Both modes then run the same CSI checks, pods with inline csi: volumes: the whole image (read-only even unasked),
# a subPath, and a private image on an htpasswd registry (a registry:2 container on the kind network) through a
# nodePublishSecretRef, which fails without the secret. The DaemonSet mode also checks that the liveness probe
# passes, and that a volume in use stays readable while the daemon's pod is deleted and replaced.
#   native-tests/kind/run.sh [--daemonset]          run it (KEEP=1 keeps the cluster and the registry afterwards)
#   native-tests/kind/run.sh [--daemonset] --check  only check the prerequisites; exits 3 when one is missing
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
# files for the private image's push, at the same path in the node and in the DaemonSet's container (store-tmp)
scratch=/var/lib/ocimount/tmp/ocimount-e2e
ds_namespace=ocimount-system
ds_image=ghcr.io/ocimount/ocimount        # the name daemonset.yaml gives the image; the overlay sets the digest
ds_ref=$ds_image:kind-e2e
ds_own_registration=/run/ocimount/registration/image.ocimount.io-reg.sock   # configmap.yaml's, unwatched

mode=systemd
check=0
for arg in "$@"; do
  case $arg in
    --check) check=1 ;;
    --daemonset) mode=daemonset ;;
    *) echo "usage: run.sh [--daemonset] [--check]" >&2; exit 2 ;;
  esac
done

missing=()
command -v docker >/dev/null && docker info >/dev/null 2>&1 || missing+=("a running Docker engine")
command -v kind >/dev/null || missing+=("kind")
command -v kubectl >/dev/null || missing+=("kubectl")
if [ "$mode" = systemd ]; then
  command -v jlink >/dev/null && command -v jdeps >/dev/null || missing+=("jlink and jdeps (a JDK 17)")
else
  command -v java >/dev/null || missing+=("java (build-image.sh runs ocimount pack)")
  command -v apt-get >/dev/null && command -v dpkg >/dev/null ||
    missing+=("apt-get and dpkg (build-image.sh takes Debian's JRE packages; run as root)")
  [ -f "$repo/scripts/build-image.sh" ] || missing+=("scripts/build-image.sh")
  [ "$EUID" = 0 ] || missing+=("root (build-image.sh unpacks Debian's packages and mounts)")
  if command -v kubectl >/dev/null && ! kubectl kustomize "$repo/deploy/kubernetes" >/dev/null 2>&1; then
    missing+=("kustomize (kubectl kustomize)")
  fi
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "kind harness: needs ${missing[*]}; not available here" >&2
  exit 3
fi
if [ "$check" = 1 ]; then
  echo "kind harness: prerequisites present"
  exit 0
fi

step() { printf '\n== %s\n' "$*"; }
in_node() { docker exec "$node" "$@"; }
k() { kubectl --context "kind-$cluster" "$@"; }
kds() { k -n "$ds_namespace" "$@"; }
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
# the ocimount CLI where the daemon runs: the node's wrapper, or the image's java in the DaemonSet's container
ocimount_cli() {
  if [ "$mode" = systemd ]; then
    in_node ocimount "$@"
  else
    kds exec "$ds_pod" -c ocimount -- /usr/bin/java -Djava.io.tmpdir=/var/lib/ocimount/tmp \
      -jar /usr/lib/ocimount/ocimount.jar "$@"
  fi
}

build_jar() {
  step "build the jar"
  (cd "$repo" && mvn -B -q -ntp package -DskipTests)
}

create_cluster() {
  mkdir -p /tmp/ocimount-kind-volumes
  step "create the cluster"
  kind create cluster --name "$cluster" --config "$here/kind-config.yaml" --wait 120s
}

# ---------------------------------------------------------------------------------------------------------------
# systemd mode

build_jre() {
  step "build a JRE for the node"
  # The JRE's modules: those the jar's classes name (jdeps), plus the service providers no class names, which
  # jdeps cannot see. jdk.crypto.ec is the SunEC provider: without it TLS offers no ECDHE suite and no X25519, EC
  # registry certificates fail, and cosign's ECDSA and Ed25519 keys cannot be read. Left out on purpose: jdk.zipfs
  # (no zip file systems), jdk.charsets and jdk.localedata (UTF-8 and Locale.ROOT only, and the unit sets
  # LANG=C.UTF-8).
  modules=$(jdeps --multi-release 17 --print-module-deps --ignore-missing-deps "$repo/target/ocimount.jar")
  jlink --add-modules "$modules,jdk.crypto.ec" --strip-debug --no-header-files --no-man-pages --output "$work/runtime"
}

install_systemd() {
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
}

crictl_checks() {
  step "crictl against ocimount's image endpoint"
  crictl() { in_node crictl --image-endpoint "$endpoint" "$@"; }
  crictl pull "$image"
  crictl images | grep busybox
  crictl inspecti "$image" | grep -q '"id"'
  crictl imagefsinfo | grep -q usedBytes
  crictl rmi "$image"
  if crictl images | grep -q busybox; then echo "rmi left the image" >&2; exit 1; fi
}

hostpath_volume_check() {
  step "an image volume, read by a pod through hostPath"
  in_node ocimount mount "$image" /var/lib/ocimount-volumes/busybox-etc --sub-path etc --id busybox-etc
  in_node ocimount volumes
  k apply -f "$here/pod.yaml"
  k wait --for=jsonpath='{.status.phase}'=Succeeded pod/ocimount-reader --timeout=180s
  logs=$(k logs ocimount-reader)
  echo "$logs"
  grep -q '^root:x:0:0' <<<"$logs" || { echo "the pod did not see the image's /etc/passwd" >&2; exit 1; }
  in_node ocimount unmount busybox-etc
  in_node sh -c '! grep -q /var/lib/ocimount-volumes/busybox-etc /proc/self/mountinfo'
}

# the CSI node plugin turned on in the node's daemon, which registers itself with kubelet (no sidecar)
enable_csi_systemd() {
  step "CSI: turn on the node plugin ([csi] in config.toml), apply the CSIDriver, wait for kubelet's CSINode"
  in_node cat /etc/ocimount/config.toml | bash "$here/csi-config.sh" "$csi_socket" >"$work/config.toml"
  docker cp "$work/config.toml" "$node:/etc/ocimount/config.toml"
  in_node systemctl restart ocimount.service   # Type=notify: returns after READY=1
  in_node systemctl is-active ocimount.service
  in_node test -S "$csi_socket"
  in_node test -S "$registration_socket"
  k apply -f "$repo/deploy/kubernetes/csidriver.yaml"
  wait_for 90 "CSINode $node to list $driver" csi_registered
  check_node_id
}

run_systemd() {
  build_jar
  build_jre
  create_cluster
  install_systemd
  crictl_checks
  hostpath_volume_check
  private_image_setup
  enable_csi_systemd
  csi_checks
  csi_pods_go
  step "journal"
  in_node journalctl -u ocimount.service --no-pager | tail -20
}

# ---------------------------------------------------------------------------------------------------------------
# DaemonSet mode

build_image() {
  step "build the ocimount image (scripts/build-image.sh --oci-layout)"
  local out
  # the node's own architecture only: Kind runs the host's, and another would add a foreign one to the host's dpkg
  out=$(bash "$repo/scripts/build-image.sh" --tag "$ds_ref" --oci-layout "$work/layout" \
    --platform "linux/$(dpkg --print-architecture)")
  echo "$out"
  digest=$(sed -n 1p <<<"$out")
  [[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] || fail "build-image.sh did not print a digest first: $out"
  [[ $(sed -n 2p <<<"$out") == *"@$digest" ]] || fail "build-image.sh's second line is not the reference by digest: $out"
}

load_image() {
  step "import the image into the node's containerd as $ds_image@$digest"
  # The layout's index.json names the image by tag only: --base-name gives the repository, and --digests adds
  # the name by digest that the pinned DaemonSet asks kubelet for (imagePullPolicy IfNotPresent: no pull).
  tar -C "$work/layout" -cf - . |
    docker exec -i "$node" ctr -n k8s.io images import --all-platforms --base-name "$ds_image" --digests -
  if ! in_node crictl inspecti "$ds_image@$digest" >/dev/null; then
    in_node ctr -n k8s.io images ls >&2
    fail "kubelet's runtime does not find $ds_image@$digest after the import"
  fi
}

# the ocimount pod (one node) that is not terminating and not named $1
ds_pod_name() {
  kds get pod -l app.kubernetes.io/name=ocimount \
    -o jsonpath='{range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\n"}{end}' |
    awk -v old="${1:-}" '$2 == "" && $1 != old && !found { print $1; found = 1 }'
}
ds_pod_replaced() { [ -n "$(ds_pod_name "$1")" ]; }

# waits until $ds_pod is Ready with both containers ready and the CSI driver registered
ds_ready() {
  kds wait --for=condition=Ready "pod/$ds_pod" --timeout=180s
  local ready
  ready=$(kds get pod "$ds_pod" -o jsonpath='{.status.containerStatuses[*].ready}')
  [ "$ready" = "true true" ] || fail "pod $ds_pod: containers ready \"$ready\", expected both"
  ds_ready_at=$SECONDS
  # Ready says the JVM runs (the daemon's container has no readiness probe), not yet that it serves: poll
  wait_for 60 "the daemon's CSI socket" in_node test -S "$csi_socket"
  wait_for 60 "the daemon's own registration socket" in_node test -S "$ds_own_registration"   # kubelet does not look there
  wait_for 90 "CSINode $node to list $driver" csi_registered   # the sidecar's registration
  wait_for 30 "the sidecar's registration socket" in_node test -S "$registration_socket"
}

install_daemonset() {
  step "install deploy/kubernetes with the image pinned to $digest (a temporary kustomize overlay)"
  bash "$here/ds-overlay.sh" "$work/overlay" "$ds_image" "$digest"
  k apply -k "$work/overlay"
  kds rollout status daemonset/ocimount --timeout=180s
  wait_for 60 "the ocimount pod" ds_pod_replaced ""
  ds_pod=$(ds_pod_name)
  local used
  used=$(kds get pod "$ds_pod" -o jsonpath='{.spec.containers[?(@.name=="ocimount")].image}')
  [ "$used" = "$ds_image@$digest" ] || fail "the pod runs $used, not the built $ds_image@$digest"
  ds_ready
  check_node_id
  ocimount_cli version
}

probe_field() {
  kds get daemonset ocimount -o jsonpath="{.spec.template.spec.containers[?(@.name==\"ocimount\")].livenessProbe.$1}"
}

check_liveness() {
  step "the daemon's liveness probe passes: Ready, no restart, no failed liveness probe"
  local delay period left restarts
  delay=$(probe_field initialDelaySeconds)
  delay=${delay:-0} # none: the startup probe holds liveness back until the daemon has answered
  period=$(probe_field periodSeconds)
  left=$((delay + period + 5 - (SECONDS - ds_ready_at)))
  if [ "$left" -gt 0 ]; then
    echo "waiting ${left}s, until the probe has run"
    sleep "$left"
  fi
  restarts=$(kds get pod "$ds_pod" -o jsonpath='{.status.containerStatuses[*].restartCount}')
  [ "$restarts" = "0 0" ] || fail "pod $ds_pod: restart counts \"$restarts\", expected none"
  kds wait --for=condition=Ready "pod/$ds_pod" --timeout=5s
  # the startup probe fails while the JVM starts (Unhealthy "Startup probe failed"); liveness must never have
  if kds get events --field-selector "involvedObject.name=$ds_pod,reason=Unhealthy" \
    -o jsonpath='{range .items[*]}{.message}{"\n"}{end}' | grep -q '^Liveness probe failed'; then
    kds describe pod "$ds_pod" >&2
    fail "the liveness probe of pod $ds_pod failed"
  fi
}

example_target_mounted() {
  in_node grep -q "/var/lib/kubelet/pods/$1/volumes/kubernetes.io~csi/image-etc/mount" /proc/self/mountinfo
}

# The views and binds live under /run/ocimount and /var/lib/kubelet with Bidirectional propagation: the node keeps
# them when the daemon's container goes, and the next one finds them with its records (reconcile).
check_restart_keeps_volumes() {
  step "a volume in use stays readable while the daemon's pod is deleted and replaced"
  local logs uid old
  k apply -f "$repo/deploy/kubernetes/example-pod.yaml"
  k wait --for=condition=Ready pod/ocimount-example --timeout=180s
  logs=$(k exec ocimount-example -- cat /image-etc/passwd)
  expect "$logs" '^root:x:0:0' "the example pod did not read the image's etc/passwd"
  uid=$(k get pod ocimount-example -o jsonpath='{.metadata.uid}')
  example_target_mounted "$uid" || fail "the example pod's volume is not mounted on the node"
  old=$ds_pod
  kds delete pod "$old" --wait --timeout=120s
  logs=$(k exec ocimount-example -- cat /image-etc/passwd)
  expect "$logs" '^root:x:0:0' "the example pod's volume went with the daemon's pod"
  wait_for 120 "a new ocimount pod in place of $old" ds_pod_replaced "$old"
  ds_pod=$(ds_pod_name "$old")
  ds_ready
  logs=$(k exec ocimount-example -- cat /image-etc/passwd)
  expect "$logs" '^root:x:0:0' "the example pod's volume is unreadable after the daemon's pod was replaced"
  example_target_mounted "$uid" || fail "the example pod's volume is no longer mounted on the node"
  in_node grep -q ' /run/ocimount/views/' /proc/self/mountinfo || fail "no image view left on the node"
  logs=$(ocimount_cli volumes)
  grep -q "$uid" <<<"$logs" || fail "the new daemon has no record of the example pod's volume: $logs"
  # the new daemon unmounts it (csi_pods_go then checks no csi mount is left)
  k delete pod ocimount-example --wait --timeout=120s
}

run_daemonset() {
  build_jar
  build_image
  create_cluster
  load_image
  install_daemonset
  private_image_setup
  csi_checks
  check_liveness
  check_restart_keeps_volumes
  csi_pods_go
  step "daemon log"
  kds logs "$ds_pod" -c ocimount --tail=20
}

# ---------------------------------------------------------------------------------------------------------------
# CSI checks, both modes: pods with inline csi: volumes served by the daemon

check_node_id() {
  local node_id
  node_id=$(k get csinode "$node" -o jsonpath="{.spec.drivers[?(@.name==\"$driver\")].nodeID}")
  [ "$node_id" = "$node" ] || fail "CSINode gives $driver the node id \"$node_id\", expected the host name $node"
}

# a private registry (htpasswd) on the kind network, hosts.toml for it in the node, and an image pushed to it
private_image_setup() {
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
    docker exec -i "$node" sh -c "mkdir -p '$scratch/push' && umask 077 && cat > '$scratch/push/auth.json'"
  printf '[registry]\nconfig_path = "/etc/ocimount/certs.d"\ndocker_config = "%s/push/auth.json"\n' "$scratch" |
    docker exec -i "$node" sh -c "cat > '$scratch/push/config.toml'"
  printf '%s\n' "$token" | docker exec -i "$node" sh -c "mkdir -p '$scratch/private' && cat > '$scratch/private/secret.txt'"
  ocimount_cli pack "$scratch/private" --tag "$private_image" --push --config "$scratch/push/config.toml"
  in_node rm -rf "${scratch:?}"   # the node's daemon must get the credentials from the pod's secret only
}

csi_checks() {
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
}

csi_pods_go() {
  step "CSI: the pods' volumes are unmounted when the pods go"
  k delete pod ocimount-csi-whole ocimount-csi-subpath ocimount-csi-private --wait --timeout=120s
  wait_for 60 "no kubernetes.io~csi mount left on the node" csi_mounts_gone
}

# ---------------------------------------------------------------------------------------------------------------

work=$(mktemp -d /tmp/ocimount-kind.XXXXXX)
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
    docker rm -f "$registry" >/dev/null 2>&1 || true
  fi
  rm -rf "${work:?}"
}
trap cleanup EXIT
case $mode in
  systemd) run_systemd ;;
  daemonset) run_daemonset ;;
esac
echo "kind harness ($mode): all checks passed"
