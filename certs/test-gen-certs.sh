#!/usr/bin/env bash
# Tests for certs/gen-certs.sh. Needs bash and openssl only; never talks to a
# cluster (the --apply tests use a fake kubectl or a PATH without kubectl).
# Prints "N passed, M failed" and exits non-zero if anything failed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
gen="${here}/gen-certs.sh"
bash_bin="$(command -v bash)"

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1" >&2; }
check() { # check "description" command...
  local desc="$1"; shift
  if "$@"; then pass "${desc}"; else fail "${desc}"; fi
}

fingerprint() { openssl x509 -in "$1" -noout -fingerprint -sha256 2>/dev/null | cut -d= -f2; }
san_of() { openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null; }

# A bin dir with the usual tools but WITHOUT kubectl (symlinks, so the script
# under test sees a PATH of exactly this one directory).
make_bin_dir() {
  local dir="$1" tool path
  mkdir -p "${dir}"
  for tool in bash sh openssl basename dirname mktemp mkdir rm mv cp chmod cat \
              grep sed tr cut head tail base64 printf env date ls; do
    if path="$(command -v "${tool}")" && [[ "${path}" == /* ]]; then
      ln -sf "${path}" "${dir}/${tool}"
    fi
  done
}

# --- 1. --help ---------------------------------------------------------------
if out="$("${gen}" --help 2>&1)" && [[ "${out}" == *"--namespace"* && "${out}" == *"--apply"* ]]; then
  pass "--help exits 0 and documents the options"
else
  fail "--help exits 0 and documents the options"
fi

# --- 2. unknown option -------------------------------------------------------
if "${gen}" --no-such-option >/dev/null 2>&1; then
  fail "unknown option is rejected"
else
  pass "unknown option is rejected"
fi

# --- 3. first run ------------------------------------------------------------
out1="${tmp}/out"
if "${gen}" --out "${out1}" --days 30 >"${tmp}/run1.log" 2>&1; then
  pass "first run succeeds"
else
  fail "first run succeeds"; cat "${tmp}/run1.log" >&2
fi
for f in ca.crt ca.key tls.crt tls.key; do
  check "first run wrote ${f}" test -s "${out1}/${f}"
done
ca_fp1="$(fingerprint "${out1}/ca.crt" || true)"
tls_fp1="$(fingerprint "${out1}/tls.crt" || true)"

# --- 4. SANs, EKU, verification ---------------------------------------------
san="$(san_of "${out1}/tls.crt" || true)"
for name in upstream-guard upstream-guard.upstream-guard upstream-guard.upstream-guard.svc \
            upstream-guard.upstream-guard.svc.cluster.local localhost; do
  check "tls.crt has SAN DNS:${name}" grep -Eq "DNS:${name//./\\.}(,|\$)" <<<"${san}"
done
check "tls.crt has SAN IP 127.0.0.1" grep -q "IP Address:127.0.0.1" <<<"${san}"
check "tls.crt has EKU serverAuth" \
  grep -q "TLS Web Server Authentication" <<<"$(openssl x509 -in "${out1}/tls.crt" -noout -ext extendedKeyUsage 2>/dev/null)"
check "tls.crt verifies against ca.crt" \
  bash -c "openssl verify -CAfile '${out1}/ca.crt' -purpose sslserver '${out1}/tls.crt' >/dev/null"
check "tls.key matches tls.crt" \
  test "$(openssl x509 -in "${out1}/tls.crt" -noout -pubkey)" == "$(openssl pkey -in "${out1}/tls.key" -pubout)"
check "tls.crt expires within --days 30 (not after 31 days)" \
  bash -c "! openssl x509 -in '${out1}/tls.crt' -noout -checkend $((31 * 86400)) >/dev/null"
check "ca.key is not world-readable" \
  test -z "$(find "${out1}/ca.key" -perm -o=r)"

# --- 5. second run keeps the CA ---------------------------------------------
if "${gen}" --out "${out1}" --days 30 >"${tmp}/run2.log" 2>&1; then
  pass "second run succeeds"
else
  fail "second run succeeds"; cat "${tmp}/run2.log" >&2
fi
ca_fp2="$(fingerprint "${out1}/ca.crt" || true)"
tls_fp2="$(fingerprint "${out1}/tls.crt" || true)"
check "second run reuses the CA (same SHA-256 fingerprint)" \
  test -n "${ca_fp1}" -a "${ca_fp1}" == "${ca_fp2}"
check "second run re-issues tls.crt" test "${tls_fp1}" != "${tls_fp2}"
check "re-issued tls.crt verifies against the kept CA" \
  bash -c "openssl verify -CAfile '${out1}/ca.crt' '${out1}/tls.crt' >/dev/null"

# --- 6. custom namespace/service, RSA ---------------------------------------
out2="${tmp}/custom"
if "${gen}" --out "${out2}" --namespace guard-ns --service guard-svc --key-type rsa >/dev/null 2>&1; then
  san2="$(san_of "${out2}/tls.crt" || true)"
  check "custom --namespace/--service end up in the SANs" \
    grep -q "DNS:guard-svc.guard-ns.svc.cluster.local" <<<"${san2}"
  check "--key-type rsa gives an RSA 2048 key" \
    grep -q "2048 bit" <<<"$(openssl pkey -in "${out2}/tls.key" -noout -text 2>/dev/null | head -1)"
else
  fail "run with --namespace/--service/--key-type rsa succeeds"
fi

# --- 7. a broken CA is replaced ----------------------------------------------
out3="${tmp}/broken"
mkdir -p "${out3}"
echo "garbage" >"${out3}/ca.crt"
echo "garbage" >"${out3}/ca.key"
if "${gen}" --out "${out3}" >/dev/null 2>&1 \
   && openssl verify -CAfile "${out3}/ca.crt" "${out3}/tls.crt" >/dev/null 2>&1; then
  pass "an unusable existing CA is replaced"
else
  fail "an unusable existing CA is replaced"
fi

# --- 8. --apply without kubectl ---------------------------------------------
nokube="${tmp}/bin-nokube"
make_bin_dir "${nokube}"
set +e
msg="$(env PATH="${nokube}" "${bash_bin}" "${gen}" --out "${tmp}/nokube-out" --apply 2>&1)"
rc=$?
set -e
check "--apply without kubectl exits non-zero" test "${rc}" -ne 0
check "--apply without kubectl says kubectl is missing" grep -q "kubectl was not found" <<<"${msg}"
check "--apply without kubectl fails before writing certs" test ! -e "${tmp}/nokube-out/tls.crt"

# --- 9. --apply with a missing namespace (fake kubectl) ---------------------
fakens="${tmp}/bin-fake-nons"
make_bin_dir "${fakens}"
cat >"${fakens}/kubectl" <<'EOF'
#!/usr/bin/env bash
if [[ "$1" == get && "$2" == namespace ]]; then
  echo "Error from server (NotFound): namespaces \"$3\" not found" >&2
  exit 1
fi
[[ "$1" == config ]] && { echo fake-context; exit 0; }
exit 0
EOF
chmod +x "${fakens}/kubectl"
set +e
msg="$(env PATH="${fakens}" "${bash_bin}" "${gen}" --out "${tmp}/nons-out" --namespace missing-ns --apply 2>&1)"
rc=$?
set -e
check "--apply with a missing namespace exits non-zero" test "${rc}" -ne 0
check "--apply with a missing namespace names it" grep -q "namespace 'missing-ns' does not exist" <<<"${msg}"

# --- 10. --apply happy path (fake kubectl records its calls) ----------------
fakeok="${tmp}/bin-fake-ok"
make_bin_dir "${fakeok}"
cat >"${fakeok}/kubectl" <<EOF
#!/usr/bin/env bash
log="${tmp}/kubectl.log"
echo "ARGS: \$*" >>"\${log}"
case "\$1" in
  create) echo "apiVersion: v1"; echo "kind: Secret"; echo "type: kubernetes.io/tls" ;;
  apply) echo "STDIN:" >>"\${log}"; cat >>"\${log}" ;;
esac
exit 0
EOF
chmod +x "${fakeok}/kubectl"
if env PATH="${fakeok}" "${bash_bin}" "${gen}" --out "${tmp}/ok-out" --apply >/dev/null 2>&1; then
  pass "--apply with a working kubectl succeeds"
  log="$(cat "${tmp}/kubectl.log")"
  check "--apply creates the tls Secret with --dry-run=client -o yaml" \
    grep -q "ARGS: create secret tls upstream-guard-tls --namespace upstream-guard .*--dry-run=client -o yaml" <<<"${log}"
  check "--apply pipes the Secret into kubectl apply -f -" \
    grep -q "ARGS: apply -f -" <<<"${log}"
  ca_b64="$(base64 <"${tmp}/ok-out/ca.crt" | tr -d '\n')"
  check "--apply patches the base64 CA into .webhooks[0].clientConfig.caBundle" \
    grep -qF "/webhooks/0/clientConfig/caBundle\",\"value\":\"${ca_b64}\"" <<<"${log}"
  check "--apply patches ValidatingWebhookConfiguration upstream-guard with --type=json" \
    grep -q "ARGS: patch validatingwebhookconfiguration upstream-guard --type=json" <<<"${log}"
else
  fail "--apply with a working kubectl succeeds"
fi

echo
echo "${passed} passed, ${failed} failed"
[[ ${failed} -eq 0 ]]
