#!/bin/sh
# A TEST DOUBLE for Alpine's package manager, installed as /sbin/apk in local/speck-alpine-offline:3.22
# (see base-images.sh). It is not apk and installs nothing: the image is Debian with musl-gcc as `cc`.
# It exists so that the e2e tests can take speck's default toolchain path (base image, `apk add`, the
# package cache mount) with no network. It accepts exactly the command speck runs,
#
#   apk add --no-progress --update-cache --cache-dir DIR PACKAGE...
#
# succeeds only when every PACKAGE is one this image really provides (the table below), and otherwise
# fails the way apk does: the same error lines and a non-zero exit status.
set -eu

# What the image provides, under Alpine's package names.
provided="binutils file g++ gcc go libc-dev make musl-dev zlib-dev zlib-static"

usage() {
  echo "apk (speck test double): only 'apk add --no-progress --update-cache --cache-dir DIR PACKAGE...' is supported; got: apk $*" >&2
  exit 99
}

[ "$#" -ge 5 ] && [ "$1" = add ] && [ "$2" = --no-progress ] && [ "$3" = --update-cache ] && [ "$4" = --cache-dir ] || usage "$@"
cache=$5
shift 5
[ "$#" -gt 0 ] || usage add --no-progress --update-cache --cache-dir "$cache"
[ -d "$cache" ] || { echo "ERROR: cache directory $cache does not exist" >&2; exit 1; }

missing=""
for p in "$@"; do
  case " $provided " in
    *" $p "*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -n "$missing" ]; then
  echo "ERROR: unable to select packages:" >&2
  n=0
  for p in $missing; do
    echo "  $p (no such package):" >&2
    echo "    required by: world[$p]" >&2
    n=$((n + 1))
  done
  exit "$n"
fi

# Leave a trace in the cache mount, as apk's downloads would, so a test can see the mount is used.
i=0
for p in "$@"; do
  i=$((i + 1))
  echo "($i/$#) Installing $p (provided by the test image)"
  : >"$cache/$p.fake-apk"
done
echo "OK: $# packages (speck test double; nothing was installed)"
