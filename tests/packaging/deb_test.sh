#!/usr/bin/env bash
# ctest packaging.deb: builds the .deb with cpack into a temporary folder, unpacks it with
# dpkg-deb -x into a temporary root (nothing is installed on the machine), and checks that
#  - the package is named risksync, has a maintainer, a section and computed library Depends;
#  - it holds the binary, the gzipped man page, the systemd unit, the example configurations,
#    the zone grid and the CI templates;
#  - the installed binary runs: --version, validate and sync of the bundled offline example,
#    which publishes to a folder wiki inside the temporary root;
#  - the unit passes `systemd-analyze verify` when systemd-analyze is available.
# usage: deb_test.sh BUILD/CPackConfig.cmake BUILT_BINARY
set -euo pipefail
cpack_config="$1"
built_binary="$2"
[ -f "$cpack_config" ] || { echo "FAIL: no $cpack_config (configure first)"; exit 1; }
[ -x "$built_binary" ] || { echo "FAIL: no $built_binary (build first)"; exit 1; }
command -v dpkg-deb >/dev/null || { echo "FAIL: dpkg-deb missing (scripts/install-deps.sh)"; exit 1; }
command -v dpkg-shlibdeps >/dev/null ||
  { echo "FAIL: dpkg-shlibdeps missing: install dpkg-dev (scripts/install-deps.sh)"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/risksync-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

if ! timeout 90 cpack --config "$cpack_config" -B "$work/out" >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log"
  echo "FAIL: cpack"
  exit 1
fi
debs=("$work"/out/risksync_*.deb)
[ -f "${debs[0]}" ] || { cat "$work/cpack.log"; echo "FAIL: cpack made no risksync_*.deb"; exit 1; }
deb="${debs[0]}"
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "risksync" ] || fail "Package is '$(field Package)', not risksync"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Section)" ] || fail "no Section"
depends="$(field Depends)"
echo "Depends: $depends"
for lib in libc6 libssl3 libcmark-gfm; do
  case "$depends" in *"$lib"*) ;; *) fail "Depends lacks $lib (dpkg-shlibdeps): $depends" ;; esac
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/risksync \
  usr/share/man/man1/risksync.1.gz \
  usr/lib/systemd/system/risksync.service \
  usr/share/risksync/examples/risksync.toml \
  usr/share/risksync/examples/daemon.toml \
  usr/share/risksync/examples/audioconf.md \
  usr/share/risksync/config/risksync.example.toml \
  usr/share/risksync/config/zones.toml \
  usr/share/risksync/config/catalogs/segur.tsv \
  usr/share/risksync/ci/github-actions.yml \
  usr/share/risksync/ci/gitlab-ci.yml; do
  [ -s "$root/$f" ] || fail "the package lacks /$f"
done

bin="$root/usr/bin/risksync"
if [ -x "$bin" ]; then
  version="$("$bin" --version 2>&1)" || fail "risksync --version exited $?"
  expected="$("$built_binary" --version 2>&1)"
  [ "$version" = "$expected" ] || fail "installed --version '$version' != built '$expected'"
  echo "installed: $version"

  # The man page is valid gzip and roff naming the command.
  if gzip -dc "$root/usr/share/man/man1/risksync.1.gz" >"$work/risksync.1"; then
    grep -q '^\.TH RISKSYNC 1' "$work/risksync.1" || fail "man page has no .TH RISKSYNC 1"
    grep -q '@RISKSYNC_VERSION@' "$work/risksync.1" && fail "man page version not substituted"
  else
    fail "man page is not gzip"
  fi

  # The unit runs the daemon with the configuration the package documents, hardened.
  unit="$root/usr/lib/systemd/system/risksync.service"
  for line in 'ExecStart=/usr/bin/risksync daemon --config /etc/risksync/risksync.toml' \
    'NoNewPrivileges=yes' 'ProtectSystem=strict' 'StateDirectory=risksync' \
    'Restart=on-failure' 'DynamicUser=yes'; do
    grep -qxF "$line" "$unit" || fail "unit lacks '$line'"
  done
  if command -v systemd-analyze >/dev/null; then
    # verify resolves ExecStart= and Documentation=man:risksync(1) on this machine: point them
    # at the unpacked binary and man page. It works without a running systemd.
    sed "s#/usr/bin/risksync#$bin#" "$unit" >"$work/risksync.service"
    if ! out="$(MANPATH="$root/usr/share/man" systemd-analyze verify "$work/risksync.service" 2>&1)" ||
      [ -n "$out" ]; then
      fail "systemd-analyze verify: $out"
    fi
  else
    echo "note: systemd-analyze is not installed; the unit was not verified"
  fi

  # The bundled offline example, as installed: validate, then sync (tracker none, folder wiki).
  # Its wiki path (../out) lands inside the temporary root.
  example="$root/usr/share/risksync/examples/risksync.toml"
  "$bin" validate --config "$example" >"$work/validate.log" 2>&1 ||
    { cat "$work/validate.log"; fail "validate of the installed example exited $?"; }
  if SOURCE_DATE_EPOCH=1767225600 XDG_CACHE_HOME="$work/cache" HOME="$work" \
    timeout 30 "$bin" sync --config "$example" >"$work/sync.log" 2>&1; then
    page="$root/usr/share/risksync/out/Cartographie-des-risques.md"
    ls "$root/usr/share/risksync/out" >"$work/out.list" 2>/dev/null || true
    [ -s "$page" ] || fail "sync published no page (out: $(tr '\n' ' ' <"$work/out.list"))"
    grep -q '\.svg$' "$work/out.list" || fail "sync published no SVG map"
  else
    cat "$work/sync.log"
    fail "sync of the installed example exited $?"
  fi
else
  fail "/usr/bin/risksync is not executable"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "ok: the .deb installs, runs and holds what it should"
