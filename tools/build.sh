#!/usr/bin/env bash
# tools/build.sh - set up, build, and run kmemsim or its tests on Debian.
#
#   tools/build.sh run [kmemsim args...]   install what is missing, build, run kmemsim
#   tools/build.sh test [meson options...]  install what is missing, build, run the tests
#
# Build directory: build/ (or build-<name> with KMEMSIM_BUILD=<dir>).  Options after
# `test` go to `meson setup`, e.g. -Db_sanitize=address,undefined.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
packages=(meson ninja-build pkg-config gcc libc6-dev libsqlite3-dev libcjson-dev
          libcriterion-dev liblzma-dev zlib1g-dev sqlite3 xz-utils
          protobuf-compiler)  # protoc: tests/timeline decodes the Perfetto trace

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "kmemsim needs these Debian packages; install them as root, then run this again:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi

mode=${1:-run}
shift || true
build=${KMEMSIM_BUILD:-$here/build}

case "$mode" in
run)
  [ -f "$build/build.ninja" ] || meson setup "$build" "$here" >&2
  ninja -C "$build" kmemsim >&2
  exec "$build/kmemsim" "$@"
  ;;
test)
  if [ -f "$build/build.ninja" ]; then
    [ $# -eq 0 ] || meson configure "$build" "$@" >&2
  else
    meson setup "$build" "$here" "$@" >&2
  fi
  ninja -C "$build"
  meson test -C "$build" --print-errorlogs --num-processes 2
  ;;
*)
  echo "usage: tools/build.sh run [kmemsim args...] | test [meson options...]" >&2
  exit 2
  ;;
esac
