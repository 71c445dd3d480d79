#!/bin/sh
# A TEST DOUBLE for Alpine's package manager, installed as /sbin/apk in local/speck-alpine-offline:3.22
# (see base-images.sh). It is not apk: the image is Debian with clang, lld and per-target trees made
# from Debian's multiarch packages (double-sysroots.sh). It exists so that the e2e tests can take
# speck's default toolchain path (base image, `apk add`, the target root, the package cache mounts)
# with no network. It accepts exactly the two commands speck runs,
#
#   apk add --no-progress --update-cache --cache-dir DIR PACKAGE...
#       the build platform's tools (clang, lld; gcc and musl-dev with `toolchain.compiler: gcc`)
#   apk add --root /TRIPLE --initdb --arch ARCH --no-progress --update-cache --cache-dir DIR PACKAGE...
#       the target's libraries into a second root, as tonistiigi/xx's xx-apk does: before it runs,
#       speck has written ARCH to /TRIPLE/etc/apk/arch and copied /etc/apk/repositories and
#       /etc/apk/keys into /TRIPLE/etc/apk/. apk treats DIR as relative to the root.
#
# succeeds only when every PACKAGE is one this image really provides (the tables below), and otherwise
# fails the way apk does: the same error lines and a non-zero exit status. "Installing" into a target
# root links /TRIPLE/usr to that target's tree (and writes no package database: see the end).
set -eu

# What the image provides, under Alpine's package names: for the build platform, and per target root.
provided_tools="binutils clang file g++ gcc go libc-dev lld make musl-dev zlib-dev zlib-static"
provided_target="g++ gcc libc-dev musl-dev zlib-dev zlib-static"
store=/usr/lib/speck-double

usage() {
  echo "apk (speck test double): only 'apk add --no-progress --update-cache --cache-dir DIR PACKAGE...' and" \
    "'apk add --root /TRIPLE --initdb --arch ARCH --no-progress --update-cache --cache-dir DIR PACKAGE...' are supported; got: apk $*" >&2
  exit 99
}
die() { echo "ERROR: $*" >&2; exit 1; }

# Alpine's architecture for each target triple (apk_arch.h), so --arch and the root must agree.
arch_of() {
  case $1 in
    x86_64-alpine-linux-musl) echo x86_64 ;;
    aarch64-alpine-linux-musl) echo aarch64 ;;
    armv7-alpine-linux-musleabihf) echo armv7 ;;
    armv6-alpine-linux-musleabihf) echo armhf ;;
    i586-alpine-linux-musl) echo x86 ;;
    powerpc64le-alpine-linux-musl) echo ppc64le ;;
    s390x-alpine-linux-musl) echo s390x ;;
    riscv64-alpine-linux-musl) echo riscv64 ;;
    *) echo unknown ;;
  esac
}

[ "$#" -ge 1 ] && [ "$1" = add ] || usage "$@"
all="$*"
root=""
if [ "${2:-}" = --root ]; then
  [ "$#" -ge 7 ] && [ "$4" = --initdb ] && [ "$5" = --arch ] || usage $all
  root=$3 arch=$6
  shift 6
else
  shift 1
fi
[ "$#" -ge 4 ] && [ "$1" = --no-progress ] && [ "$2" = --update-cache ] && [ "$3" = --cache-dir ] || usage $all
cache=$4
shift 4
[ "$#" -gt 0 ] || usage $all

if [ -n "$root" ]; then
  triple=${root#/}
  case $root in /*-alpine-linux-*) ;; *) die "speck test double: --root $root is not /<alpine triple>" ;; esac
  [ "$(arch_of "$triple")" = "$arch" ] || die "speck test double: --arch $arch does not match the root $root (expected $(arch_of "$triple"))"
  [ "$(cat "$root/etc/apk/arch" 2>/dev/null || true)" = "$arch" ] || die "speck test double: $root/etc/apk/arch must hold $arch before apk runs"
  cmp -s /etc/apk/repositories "$root/etc/apk/repositories" || die "speck test double: $root/etc/apk/repositories is not a copy of /etc/apk/repositories"
  [ "$(cd /etc/apk/keys && ls)" = "$(cd "$root/etc/apk/keys" 2>/dev/null && ls)" ] || die "speck test double: $root/etc/apk/keys is not a copy of /etc/apk/keys"
  [ ! -e "$root/usr" ] && [ ! -e "$root/lib/apk/db/installed" ] || die "speck test double: --initdb on a root that already has packages"
  # apk treats --cache-dir as relative to --root.
  [ -d "$root$cache" ] || die "cache directory $root$cache does not exist"
  cache=$root$cache
  provided=$provided_target
  # A target this image has no tree for has no packages at all, as a repository without that arch.
  [ -d "$store/$triple/musl" ] || provided=""
else
  [ -d "$cache" ] || die "cache directory $cache does not exist"
  provided=$provided_tools
fi

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
  echo "($i/$#) Installing $p (provided by the test image${root:+ for $arch})"
  : >"$cache/$p.fake-apk"
done
# The target root gets the target's tree, and no package database: the packages behind that tree are
# Debian's multiarch ones, recorded in the image's own dpkg database, and a double must not invent an
# apk database for the SBOM to read (issue 14).
if [ -n "$root" ]; then
  ln -s "$store/$triple/musl/usr" "$root/usr"
fi
echo "OK: $# packages (speck test double; nothing was installed)"
