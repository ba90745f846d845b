#!/usr/bin/env bash
# Writes a kustomize overlay into DIR that installs deploy/kubernetes unchanged except for the ocimount image,
# pinned to DIGEST (IMAGE is the name daemonset.yaml gives it):
#   ds-overlay.sh DIR IMAGE DIGEST
# kustomize refuses an absolute path to a base, so DIR gets a link to deploy/kubernetes. run.sh --daemonset applies
# the overlay; KindHarnessTest builds it with kubectl kustomize and compares it with the base.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: ds-overlay.sh DIR IMAGE DIGEST" >&2; exit 2; }
[[ $3 =~ ^sha256:[0-9a-f]{64}$ ]] || { echo "ds-overlay.sh: not a sha256 digest: $3" >&2; exit 2; }
base=$(cd "$(dirname "$0")/../../deploy/kubernetes" && pwd)
mkdir -p "$1"
ln -sfn "$base" "$1/base"
cat >"$1/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - base
images:
  - name: $2
    digest: $3
YAML
