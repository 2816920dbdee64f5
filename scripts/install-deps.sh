#!/usr/bin/env bash
# Installs the Debian 12 packages risksync needs to build and test, only those missing, and the
# pinned OpenAPI description of GitHub the tests check requests against (npm, see below).
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

# npm fetches GitHub's official OpenAPI description (below); a machine with node/npm from
# elsewhere (nodesource) keeps its own.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# GitHub's official OpenAPI description, pinned (scripts/openapi/package.json and its lockfile,
# whose sha512 integrity npm checks): tests/github/openapi_conformance_test.cpp validates every
# request the GitHub connector sends against generated/api.github.com.json. Installed into
# $RISKSYNC_OPENAPI_DIR (default .deps/openapi, git-ignored; CMake reads the same variable),
# only when missing. The package's other descriptions (GHES, GHEC, dereferenced: ~390 MB) are
# deleted after the install; only api.github.com.json is kept.
root="$(cd "$(dirname "$0")/.." && pwd)"
openapi_dir="${RISKSYNC_OPENAPI_DIR:-$root/.deps/openapi}"
openapi_pkg="$openapi_dir/node_modules/@octokit/openapi"
openapi_version="$(sed -n 's/.*"@octokit\/openapi": "\(.*\)".*/\1/p' "$root/scripts/openapi/package.json")"
installed_version="$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$openapi_pkg/package.json" 2>/dev/null || true)"
if [ ! -s "$openapi_pkg/generated/api.github.com.json" ] || [ "$installed_version" != "$openapi_version" ]; then
  echo "install-deps: installing @octokit/openapi@$openapi_version into $openapi_dir" >&2
  rm -rf "$openapi_dir/node_modules"
  mkdir -p "$openapi_dir"
  cp "$root/scripts/openapi/package.json" "$root/scripts/openapi/package-lock.json" "$openapi_dir/"
  npm ci --prefix "$openapi_dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  find "$openapi_pkg/generated" -type f ! -name api.github.com.json -delete
  [ -s "$openapi_pkg/generated/api.github.com.json" ] || {
    echo "install-deps: $openapi_pkg/generated/api.github.com.json is missing after npm ci" >&2
    exit 1
  }
fi
