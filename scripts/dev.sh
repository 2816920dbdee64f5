#!/usr/bin/env bash
# The README's two quick-start commands:
#   scripts/dev.sh demo   install what is missing, build, sync the AudioConf example (no
#                         tracker, no network) and publish its dashboard to ./out
#   scripts/dev.sh test   install what is missing, build with warnings as errors, run all tests
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

case "${1:-}" in
  demo)
    scripts/install-deps.sh
    cmake -S . -B build -DRISKSYNC_TESTS=OFF >/dev/null
    cmake --build build -j"$jobs" --target risksync
    ./build/risksync sync --config examples/risksync.toml
    ;;
  test)
    scripts/install-deps.sh
    cmake -S . -B build-ci -DRISKSYNC_WERROR=ON >/dev/null
    cmake --build build-ci -j"$jobs"
    ctest --test-dir build-ci --output-on-failure -j"$jobs" --timeout 300
    ;;
  *)
    echo "usage: scripts/dev.sh demo|test" >&2
    exit 64
    ;;
esac
