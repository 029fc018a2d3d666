#!/usr/bin/env bash
# Renders every kustomize target in deploy/ into target/rendered/ so that
# tests (and humans) can inspect exactly what would be applied:
#   target/rendered/base.yaml          <- kubectl kustomize deploy
#   target/rendered/cert-manager.yaml  <- kubectl kustomize deploy/overlays/cert-manager
#   target/rendered/warn-only.yaml     <- kubectl kustomize deploy/overlays/warn-only
# Exits non-zero if kubectl is missing or any render fails. Never talks to a cluster.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_dir="${repo_root}/target/rendered"

if ! command -v kubectl >/dev/null 2>&1; then
  echo "error: kubectl not found on PATH (needed for 'kubectl kustomize')" >&2
  exit 2
fi

mkdir -p "${out_dir}"

failed=0
render() {
  local name="$1" dir="$2" tmp
  tmp="$(mktemp "${out_dir}/.${name}.XXXXXX")"
  if kubectl kustomize "${repo_root}/${dir}" >"${tmp}"; then
    chmod 644 "${tmp}"
    mv -f "${tmp}" "${out_dir}/${name}.yaml"
    echo "ok   ${dir} -> target/rendered/${name}.yaml"
  else
    rm -f "${tmp}" "${out_dir}/${name}.yaml"
    echo "FAIL ${dir}" >&2
    failed=$((failed + 1))
  fi
}

render base deploy
render cert-manager deploy/overlays/cert-manager
render warn-only deploy/overlays/warn-only

if [[ ${failed} -ne 0 ]]; then
  echo "${failed} render(s) failed" >&2
  exit 1
fi
