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
  librsvg2-dev
  dpkg-dev file
)
# librsvg2-dev (librsvg + cairo): src/raster renders the SVG map as the PNG that Confluence
# pages show (Confluence renders SVG attachments poorly on Cloud, not at all on Data Center).
# dpkg-dev and file: CPack's DEB generator computes Depends with dpkg-shlibdeps (which needs
# `file` to find the binaries); tests/packaging builds the .deb.
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

# GitHub's official descriptions, pinned (scripts/openapi/package.json and its lockfile, whose
# sha512 integrity npm checks), installed into $RISKSYNC_OPENAPI_DIR (default .deps/openapi,
# git-ignored; CMake reads the same variable), only when missing or of another version:
#  - @octokit/openapi: tests/github/openapi_test.cpp validates every REST request the GitHub
#    connector sends against generated/api.github.com.json. The package's other descriptions
#    (GHES, GHEC, dereferenced: ~390 MB) are deleted after the install.
#  - @octokit/graphql-schema: tests/github/graphql_schema_test.cpp validates every GraphQL
#    document the connector can send against the schema, read in introspection format from
#    $RISKSYNC_OPENAPI_DIR/github-graphql.introspection.json. That file is made here from the
#    package's schema.graphql by the GraphQL reference implementation (graphql-js, installed
#    with it): the package's own schema.json lags behind its schema.graphql (15.26.1:
#    CreateIssueInput has no parentIssueId in schema.json, and sub-issue types are missing).
root="$(cd "$(dirname "$0")/.." && pwd)"
openapi_dir="${RISKSYNC_OPENAPI_DIR:-$root/.deps/openapi}"
openapi_pkg="$openapi_dir/node_modules/@octokit/openapi"
graphql_pkg="$openapi_dir/node_modules/@octokit/graphql-schema"
pinned() { sed -n "s/.*\"@octokit\/$1\": \"\(.*\)\".*/\1/p" "$root/scripts/openapi/package.json"; }
installed() { sed -n 's/^  "version": "\(.*\)",$/\1/p' "$1/package.json" 2>/dev/null || true; }
graphql_introspection="$openapi_dir/github-graphql.introspection.json"
if [ ! -s "$openapi_pkg/generated/api.github.com.json" ] || [ ! -s "$graphql_introspection" ] ||
  [ "$(installed "$openapi_pkg")" != "$(pinned openapi)" ] ||
  [ "$(installed "$graphql_pkg")" != "$(pinned graphql-schema)" ]; then
  echo "install-deps: installing @octokit/openapi@$(pinned openapi)" \
    "and @octokit/graphql-schema@$(pinned graphql-schema) into $openapi_dir" >&2
  rm -rf "$openapi_dir/node_modules"
  mkdir -p "$openapi_dir"
  cp "$root/scripts/openapi/package.json" "$root/scripts/openapi/package-lock.json" "$openapi_dir/"
  npm ci --prefix "$openapi_dir" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  find "$openapi_pkg/generated" -type f ! -name api.github.com.json -delete
  # GitHub's SDL defines a few fields twice: assumeValidSDL builds it all the same.
  (cd "$openapi_dir" && node -e '
    const fs = require("fs");
    const { buildSchema, introspectionFromSchema } = require("graphql");
    const sdl = fs.readFileSync("node_modules/@octokit/graphql-schema/schema.graphql", "utf8");
    const schema = buildSchema(sdl, { assumeValidSDL: true });
    fs.writeFileSync("github-graphql.introspection.json",
                     JSON.stringify(introspectionFromSchema(schema, { descriptions: false })));')
  for f in "$openapi_pkg/generated/api.github.com.json" "$graphql_introspection"; do
    [ -s "$f" ] || {
      echo "install-deps: $f is missing after npm ci" >&2
      exit 1
    }
  done
fi
