#!/usr/bin/env bash
# Installs the Debian 12 packages risksync needs to build and test, only those missing.
# Idempotent and quiet when everything is present. Needs root (or sudo) only when installing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libcpp-httplib-dev libssl-dev nlohmann-json3-dev libspdlog-dev libcxxopts-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev
)
if [ "${1:-}" = "--with-fuzz" ]; then
  packages+=(clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
