#!/usr/bin/env bash
# gen-certs.sh - creates the TLS material the kube-apiserver needs to call the
# upstream-guard webhook over HTTPS, using openssl only (no cert-manager):
#   ca.crt / ca.key    a private CA (reused on re-runs while still valid)
#   tls.crt / tls.key  the serving certificate, signed by that CA
# With --apply it also stores tls.crt/tls.key in Secret upstream-guard-tls and
# writes the CA into the ValidatingWebhookConfiguration's caBundle.
# (Alternative: deploy/overlays/cert-manager.)
set -euo pipefail

PROG="$(basename "$0")"
readonly PROG
readonly SECRET_NAME="upstream-guard-tls"
readonly WEBHOOK_CONFIG="upstream-guard"
# Re-issue the CA when it expires within this many seconds (30 days).
readonly CA_MIN_REMAINING=$((30 * 24 * 3600))

namespace="upstream-guard"
service="upstream-guard"
out_dir="./certs/out"
days=365
ca_days=3650
key_type="ec"
apply=false

usage() {
  cat <<EOF
Usage: ${PROG} [options]

Generate a private CA and a serving certificate for the upstream-guard webhook.

Options:
  --namespace NS    namespace of the webhook Service      (default: upstream-guard)
  --service NAME    name of the webhook Service           (default: upstream-guard)
  --out DIR         output directory                      (default: ./certs/out)
  --days N          validity of the serving cert in days  (default: 365)
  --ca-days N       validity of a newly created CA        (default: 3650)
  --key-type T      ec (P-256) or rsa (2048)              (default: ec)
  --apply           also, using kubectl on the current context:
                      - create/replace Secret ${SECRET_NAME} (type kubernetes.io/tls) in NS
                      - patch the CA into ValidatingWebhookConfiguration ${WEBHOOK_CONFIG}
                        (.webhooks[0].clientConfig.caBundle)
  -h, --help        show this help

Files written to DIR: ca.crt ca.key tls.crt tls.key
An existing, still valid ca.crt/ca.key pair in DIR is reused, so re-running
keeps the CA (and the caBundle) stable; the serving cert is always re-issued.
The serving cert covers: SVC, SVC.NS, SVC.NS.svc, SVC.NS.svc.cluster.local,
localhost and 127.0.0.1 (for local tests).
EOF
}

die() {
  echo "${PROG}: error: $*" >&2
  exit 1
}

info() {
  echo "${PROG}: $*" >&2
}

need_value() {
  # $1 = option name, $2 = number of remaining args (including the option)
  [[ $2 -ge 2 ]] || die "option $1 requires a value (see --help)"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --namespace) need_value "$1" $#; namespace="$2"; shift 2 ;;
    --namespace=*) namespace="${1#*=}"; shift ;;
    --service) need_value "$1" $#; service="$2"; shift 2 ;;
    --service=*) service="${1#*=}"; shift ;;
    --out) need_value "$1" $#; out_dir="$2"; shift 2 ;;
    --out=*) out_dir="${1#*=}"; shift ;;
    --days) need_value "$1" $#; days="$2"; shift 2 ;;
    --days=*) days="${1#*=}"; shift ;;
    --ca-days) need_value "$1" $#; ca_days="$2"; shift 2 ;;
    --ca-days=*) ca_days="${1#*=}"; shift ;;
    --key-type) need_value "$1" $#; key_type="$2"; shift 2 ;;
    --key-type=*) key_type="${1#*=}"; shift ;;
    --apply) apply=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

# --- validate input ---------------------------------------------------------
dns_label='^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'
[[ "${namespace}" =~ ${dns_label} && ${#namespace} -le 63 ]] \
  || die "invalid --namespace '${namespace}' (must be a DNS-1123 label)"
[[ "${service}" =~ ${dns_label} && ${#service} -le 63 ]] \
  || die "invalid --service '${service}' (must be a DNS-1123 label)"
[[ "${days}" =~ ^[1-9][0-9]*$ ]] || die "invalid --days '${days}' (positive integer expected)"
[[ "${ca_days}" =~ ^[1-9][0-9]*$ ]] || die "invalid --ca-days '${ca_days}' (positive integer expected)"
[[ "${key_type}" == "ec" || "${key_type}" == "rsa" ]] \
  || die "invalid --key-type '${key_type}' (expected ec or rsa)"
[[ -n "${out_dir}" ]] || die "--out must not be empty"

# --- tools ------------------------------------------------------------------
command -v openssl >/dev/null 2>&1 \
  || die "openssl not found on PATH; install it (Debian/Ubuntu: apt-get install openssl)"

if [[ "${apply}" == true ]]; then
  command -v kubectl >/dev/null 2>&1 \
    || die "--apply needs kubectl, but kubectl was not found on PATH; install kubectl or run without --apply"
  # Fail before generating anything if the target namespace is not there.
  if ! ns_err="$(kubectl get namespace "${namespace}" -o name 2>&1 >/dev/null)"; then
    context="$(kubectl config current-context 2>/dev/null || echo '<none>')"
    last_line="$(printf '%s\n' "${ns_err}" | grep -v '^[[:space:]]*$' | tail -n 1)"
    if [[ "${ns_err}" == *NotFound* || "${ns_err}" == *"not found"* ]]; then
      die "namespace '${namespace}' does not exist (kubectl context: ${context}).
  Create it first, e.g. 'kubectl apply -k deploy/', or pass --namespace."
    fi
    die "cannot check namespace '${namespace}' with kubectl (context: ${context}): ${last_line:-unknown error}"
  fi
fi

# --- helpers ----------------------------------------------------------------
work_dir="$(mktemp -d)"
trap 'rm -rf "${work_dir}"' EXIT

gen_key() { # $1 = output file
  case "${key_type}" in
    ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null ;;
    rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null ;;
  esac
  chmod 600 "$1"
}

random_serial() {
  # 128 random bits; a leading "1" keeps it positive and non-zero.
  echo "0x1$(openssl rand -hex 16)"
}

# True if ca.crt/ca.key in out_dir form a usable CA: parseable, a CA cert,
# not expiring within CA_MIN_REMAINING, and the key matches the cert.
ca_is_reusable() {
  local crt="${out_dir}/ca.crt" key="${out_dir}/ca.key"
  [[ -s "${crt}" && -s "${key}" ]] || return 1
  openssl x509 -in "${crt}" -noout 2>/dev/null || { info "existing ca.crt is not a valid certificate"; return 1; }
  openssl x509 -in "${crt}" -noout -checkend "${CA_MIN_REMAINING}" >/dev/null 2>&1 \
    || { info "existing ca.crt expires within 30 days"; return 1; }
  openssl x509 -in "${crt}" -noout -ext basicConstraints 2>/dev/null | grep -q 'CA:TRUE' \
    || { info "existing ca.crt is not a CA certificate"; return 1; }
  local cert_pub key_pub
  cert_pub="$(openssl x509 -in "${crt}" -noout -pubkey 2>/dev/null)" || return 1
  key_pub="$(openssl pkey -in "${key}" -pubout 2>/dev/null)" \
    || { info "existing ca.key is not a readable private key"; return 1; }
  [[ "${cert_pub}" == "${key_pub}" ]] || { info "existing ca.key does not match ca.crt"; return 1; }
  return 0
}

# --- generate ---------------------------------------------------------------
umask 077
mkdir -p "${out_dir}"

fqdn="${service}.${namespace}.svc"

if ca_is_reusable; then
  info "reusing existing CA in ${out_dir} ($(openssl x509 -in "${out_dir}/ca.crt" -noout -subject))"
else
  if [[ -e "${out_dir}/ca.crt" || -e "${out_dir}/ca.key" ]]; then
    info "replacing unusable CA in ${out_dir}; the webhook caBundle must be updated (use --apply)"
  fi
  info "creating CA (valid ${ca_days} days)"
  cat >"${work_dir}/ca.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = ${service}-ca
O = upstream-guard
[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
EOF
  gen_key "${work_dir}/ca.key"
  openssl req -x509 -new -config "${work_dir}/ca.cnf" -key "${work_dir}/ca.key" \
    -sha256 -days "${ca_days}" -set_serial "$(random_serial)" \
    -out "${work_dir}/ca.crt" 2>/dev/null \
    || die "openssl failed to create the CA certificate"
  mv -f "${work_dir}/ca.key" "${out_dir}/ca.key"
  mv -f "${work_dir}/ca.crt" "${out_dir}/ca.crt"
  chmod 644 "${out_dir}/ca.crt"
fi

if [[ "${key_type}" == "rsa" ]]; then
  leaf_key_usage="critical, digitalSignature, keyEncipherment"
else
  leaf_key_usage="critical, digitalSignature"
fi

info "issuing serving certificate for ${fqdn} (valid ${days} days)"
cat >"${work_dir}/tls.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = ${fqdn}
O = upstream-guard
[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = ${leaf_key_usage}
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = @alt_names
[alt_names]
DNS.1 = ${service}
DNS.2 = ${service}.${namespace}
DNS.3 = ${service}.${namespace}.svc
DNS.4 = ${service}.${namespace}.svc.cluster.local
DNS.5 = localhost
IP.1 = 127.0.0.1
EOF
gen_key "${work_dir}/tls.key"
openssl req -new -config "${work_dir}/tls.cnf" -key "${work_dir}/tls.key" \
  -out "${work_dir}/tls.csr" 2>/dev/null \
  || die "openssl failed to create the certificate signing request"
openssl x509 -req -in "${work_dir}/tls.csr" \
  -CA "${out_dir}/ca.crt" -CAkey "${out_dir}/ca.key" -set_serial "$(random_serial)" \
  -sha256 -days "${days}" -extfile "${work_dir}/tls.cnf" -extensions v3_leaf \
  -out "${work_dir}/tls.crt" 2>/dev/null \
  || die "openssl failed to sign the serving certificate"
openssl verify -CAfile "${out_dir}/ca.crt" -purpose sslserver "${work_dir}/tls.crt" >/dev/null \
  || die "generated tls.crt does not verify against ca.crt"
mv -f "${work_dir}/tls.key" "${out_dir}/tls.key"
mv -f "${work_dir}/tls.crt" "${out_dir}/tls.crt"
chmod 644 "${out_dir}/tls.crt"

info "wrote ${out_dir}/{ca.crt,ca.key,tls.crt,tls.key}"

# --- apply ------------------------------------------------------------------
if [[ "${apply}" == true ]]; then
  info "applying Secret ${namespace}/${SECRET_NAME}"
  kubectl create secret tls "${SECRET_NAME}" --namespace "${namespace}" \
      --cert "${out_dir}/tls.crt" --key "${out_dir}/tls.key" \
      --dry-run=client -o yaml \
    | kubectl apply -f - \
    || die "failed to create/update Secret ${namespace}/${SECRET_NAME}"

  kubectl get validatingwebhookconfiguration "${WEBHOOK_CONFIG}" -o name >/dev/null 2>&1 \
    || die "ValidatingWebhookConfiguration '${WEBHOOK_CONFIG}' not found; apply the manifests first ('kubectl apply -k deploy/'), then re-run with --apply"

  ca_bundle="$(base64 <"${out_dir}/ca.crt" | tr -d '\n')"
  info "patching caBundle of ValidatingWebhookConfiguration ${WEBHOOK_CONFIG}"
  # "add" works whether or not caBundle is already set (it replaces a value).
  kubectl patch validatingwebhookconfiguration "${WEBHOOK_CONFIG}" --type=json \
      -p "[{\"op\":\"add\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"${ca_bundle}\"}]" \
    || die "failed to patch caBundle of ValidatingWebhookConfiguration ${WEBHOOK_CONFIG}"

  info "done. If the pods were already running, restart them to load the new certificate:"
  info "  kubectl -n ${namespace} rollout restart deployment/${service}"
fi
