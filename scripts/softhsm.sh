#!/usr/bin/env bash
# Installs SoftHSM2 if it is missing, creates a fresh PKCS#11 token in a
# temporary directory, and prints the environment that the tests of
# drivers/pkcs11 read, as shell assignments:
#
#   eval "$(scripts/softhsm.sh)"
#
# Usage: scripts/softhsm.sh [DIR]
#
# DIR (default: a new mktemp -d directory) receives softhsm2.conf and the
# token directory. The token's label, user PIN and SO PIN can be chosen
# with GOPSA_PKCS11_TOKEN_LABEL, GOPSA_PKCS11_PIN and GOPSA_PKCS11_SO_PIN;
# the defaults are test values, for a throwaway token only.
#
# Progress and errors go to standard error; standard output holds only the
# export lines.
set -euo pipefail

log() { printf 'softhsm.sh: %s\n' "$*" >&2; }

find_module() {
  local p
  for p in /usr/lib/softhsm/libsofthsm2.so \
           /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
           /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so \
           /usr/local/lib/softhsm/libsofthsm2.so; do
    if [ -f "$p" ]; then echo "$p"; return 0; fi
  done
  if command -v dpkg >/dev/null 2>&1; then
    p=$(dpkg -L softhsm2-common libsofthsm2 softhsm2 2>/dev/null | grep '/libsofthsm2\.so$' | head -n1 || true)
    if [ -n "$p" ] && [ -f "$p" ]; then echo "$p"; return 0; fi
  fi
  return 1
}

if ! command -v softhsm2-util >/dev/null 2>&1 || ! find_module >/dev/null; then
  log "SoftHSM2 is not installed: installing Debian's softhsm2"
  if [ "$(id -u)" -ne 0 ]; then
    log "need root to run apt-get (or install softhsm2 yourself)"; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y softhsm2 >&2
fi

module=$(find_module) || { log "libsofthsm2.so not found after installation"; exit 1; }

dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/gopsa-softhsm.XXXXXX")}
mkdir -p "$dir/tokens"
dir=$(cd "$dir" && pwd)
conf="$dir/softhsm2.conf"
cat >"$conf" <<EOF
# SoftHSM2 configuration for gopsa's tests (written by scripts/softhsm.sh).
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF

label=${GOPSA_PKCS11_TOKEN_LABEL:-gopsa-test}
pin=${GOPSA_PKCS11_PIN:-1234}
so_pin=${GOPSA_PKCS11_SO_PIN:-5678}

SOFTHSM2_CONF="$conf" softhsm2-util --init-token --free --label "$label" \
  --pin "$pin" --so-pin "$so_pin" >&2
log "token \"$label\" created in $dir/tokens"

q() { printf '%q' "$1"; }
cat <<EOF
export SOFTHSM2_CONF=$(q "$conf")
export GOPSA_PKCS11_MODULE=$(q "$module")
export GOPSA_PKCS11_TOKEN_LABEL=$(q "$label")
export GOPSA_PKCS11_PIN=$(q "$pin")
export GOPSA_PKCS11_TOKEN_DIR=$(q "$dir/tokens")
EOF
