#!/bin/bash
# build.sh: the build context of the Alpine stand-in (local/speck-alpine-offline:3.22), made on the
# host by base-images.sh. Run as root (it chroots into the trees it unpacks).
#
#   build.sh CTX WORK CROSS_TAR GO_TAR BUSYBOX_DEB ROOTFS_TAR KEYS_DIR
#
# CTX gets:
#   alpine-minirootfs.tar.gz  the unmodified Alpine minirootfs (the image's first layer, ADDed as is)
#   overlay/                  what the image adds on top of it:
#     srv/speck-alpine/<id>/v3.22/main/<arch>/  a package repository per architecture (<id>: a hash
#                               of its indexes, see the end): packages made by
#                               mkapk.py, APKINDEX.tar.gz made by the REAL `apk index` of the
#                               minirootfs (run in a chroot of it) and signed with that
#                               architecture's test key
#     srv/speck-alpine/<id>/v3.22-nocfg/main/  the same, except that x86_64's `clang` installs no
#                               /etc/clang20/x86_64-alpine-linux-musl.cfg (an arm64 build host, as
#                               far as an amd64 target is concerned); the other architectures link
#                               to the first tree
#     usr/share/apk/keys/...,   the test keys, laid out as alpine-keys lays out Alpine's: every key
#     etc/apk/keys/...          in /usr/share/apk/keys/, each architecture's in /usr/share/apk/keys/
#                               <arch>/ (relative links), the build platform's family (x86_64, x86)
#                               also copied into /etc/apk/keys. Alpine's own keys stay where they are.
#     etc/apk/repositories      the loopback mirror, http://127.0.0.1:8322/<id>/v3.22/main
#     usr/local/sbin/apk        apk.sh: starts the mirror's HTTP server, then runs the real /sbin/apk
#     usr/lib/speck-standin/busybox  Debian's static busybox, for its httpd only
#   nocfg-repositories        /etc/apk/repositories of the -nocfg tag
#
# The packages, under Alpine's names (what speck's default path asks for, per target architecture):
#   musl-dev, gcc, g++, libc-dev, zlib-dev, zlib-static, speck-scripted   for x86_64, x86, aarch64,
#        armv7, riscv64: the C tree double-sysroots.sh and double-zlib.sh lay out from Debian's
#        multiarch musl-dev and libgcc (files copied, links followed), split as Alpine splits it:
#        headers and libc in musl-dev (plus libssp_nonshared.a, built here, as Alpine's musl-dev has
#        it), crt files and libgcc in gcc (usr/lib/gcc/<triple>/14), libz.a in zlib-static, its
#        headers in zlib-dev; g++ and libc-dev are empty and depend on gcc and musl-dev (C++ is
#        compiled against Debian's glibc tree, see alpine-clang.sh). speck-scripted holds one file
#        and a .post-install script, to show what apk does with scripts in a foreign root.
#   speck-debian-trixie (x86_64): the Debian toolchain (clang 19, lld, llvm tools, glibc and the
#        other libraries they need, the glibc C++ trees) under /opt/speck-debian, where nothing of
#        Alpine's lives: absolute links inside it are rewritten under that prefix, /lib64 gets glibc's
#        loader (Alpine has no /lib64) and /etc/ld.so.cache (which only glibc reads) lists its
#        library directory, so Debian's dynamically linked programs run beside musl's.
#   clang, lld (x86_64): /usr/bin/clang and clang++ (alpine-clang.sh, Alpine's vendor defaults),
#        /etc/clang20/x86_64-alpine-linux-musl.cfg (-fstack-clash-protection, as clang20 installs it
#        on x86_64), ld.lld; clang depends on gcc and musl-dev as Alpine's clang20 does.
#   speck-gcc-driver (x86_64): cc, gcc, c++ and g++ (alpine-clang.sh again: Alpine's gcc enables
#        the same protections) for `toolchain.compiler: gcc` and cgo, linking with GNU ld from the
#        binutils package (Debian's), as Alpine's gcc does. It has `install_if = gcc
#        alpine-baselayout`, so apk adds it only where a whole Alpine system is (the build
#        platform's root), never into a target root, which gets gcc for its libraries alone.
#   go (x86_64): the Go tree base-images.sh lays out as Alpine's `go` package does.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
abs() { mkdir -p "$(dirname "$1")" && echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ctx=$(abs "$1") work=$(abs "$2") cross=$(abs "$3") gotree=$(abs "$4") busybox_deb=$(abs "$5") rootfs=$(abs "$6") keys=$(abs "$7")
: "${SOURCE_DATE_EPOCH:?}"
D=/opt/speck-debian
HOST=x86_64
PORT=8322
# Alpine architecture : target triple. The host's family (x86_64, x86) keeps its keys in /etc/apk/keys.
ARCHES=(x86_64:x86_64-alpine-linux-musl x86:i586-alpine-linux-musl aarch64:aarch64-alpine-linux-musl
        armv7:armv7-alpine-linux-musleabihf riscv64:riscv64-alpine-linux-musl)
FAMILY="x86_64 x86"
GCCVER=14

t0=$SECONDS
log() { echo "alpine-standin: [$((SECONDS - t0))s] $*" >&2; }
keyname() { echo "speck-testbed-$1.rsa.pub"; }

rm -rf "$work" "$ctx"
mkdir -p "$work/pkg" "$ctx/overlay"
repo=$ctx/overlay/srv/speck-alpine/v3.22/main

# Test keys: made once per test bed (kept in KEYS_DIR), one per architecture.
mkdir -p "$keys"
for spec in "${ARCHES[@]}"; do
  arch=${spec%%:*}
  [ -s "$keys/$arch.rsa" ] || openssl genrsa -out "$keys/$arch.rsa" 2048 2>/dev/null
  openssl rsa -in "$keys/$arch.rsa" -pubout -out "$keys/$(keyname "$arch")" 2>/dev/null
done

# mkpkg DIR ARCH NAME VERSION [mkapk options...]: one package into the repository of ARCH.
mkpkg() {
  local dir=$1 arch=$2 name=$3 version=$4
  shift 4
  mkdir -p "$repo/$arch"
  python3 "$here/mkapk.py" pkg "$dir" --out "$repo/$arch/$name-$version.apk" --key "$keys/$arch.rsa" \
    --keyname "$(keyname "$arch")" --name "$name" --version "$version" --arch "$arch" "$@"
}

# Debian's tree, as the cross toolchain double has it, under the prefix.
rt=$work/pkg/speck-debian-trixie
log "unpacking the Debian toolchain"
mkdir -p "$rt$D"
tar -xf "$cross" -C "$rt$D" --exclude=./dev --exclude=./proc --exclude=./sys --exclude=./run --exclude=./tmp \
  --exclude=./var --exclude=./etc --exclude=./boot --exclude=./home --exclude=./media --exclude=./mnt \
  --exclude=./srv --exclude=./root --exclude=./opt --exclude=./usr/share --exclude=./usr/libexec \
  --exclude=./usr/local --exclude=./usr/games --exclude=./usr/src \
  `# not used by clang, lld or the C++ link: sanitizer runtimes, libclang's C API, gconv, cross binutils` \
  --exclude='./usr/lib/*/lib*san*' --exclude='./usr/lib/gcc/*/lib*san*' --exclude='./usr/lib/x86_64-linux-gnu/libclang-19.so*' \
  --exclude=./usr/lib/x86_64-linux-gnu/gconv --exclude=./usr/aarch64-linux-gnu --exclude=./usr/arm-linux-gnueabihf \
  --exclude=./usr/i686-linux-gnu --exclude=./usr/riscv64-linux-gnu
tar -xf "$cross" -C "$work" ./var/lib/dpkg/status
mkdir -p "$rt$D/tmp"

# debver PACKAGE:ARCH: the upstream version Debian's database records, as an apk version (-r0).
debver() {
  awk -v want="$1" '/^Package: /{p=$2} /^Architecture: /{a=$2} /^Version: /{v=$2} /^$/{if (p":"a == want) print v}' \
    "$work/var/lib/dpkg/status" | sed -E 's/^[0-9]+://; s/^([0-9]+(\.[0-9]+)*).*/\1-r0/' | head -1
}
muslver=$(debver musl-dev:amd64) zlibver=$(debver zlib-musl-static:amd64) gccver=$(debver libgcc-14-dev:amd64)
llvmver=$(debver clang-19:amd64)

# Per target: the C tree, links followed, split into Alpine's packages.
ssp='extern void __stack_chk_fail(void);
__attribute__((visibility("hidden"))) void __stack_chk_fail_local(void) { __stack_chk_fail(); }
'
declare -A debarch=([x86_64]=amd64 [x86]=i386 [aarch64]=arm64 [armv7]=armhf [riscv64]=riscv64)
for spec in "${ARCHES[@]}"; do
  arch=${spec%%:*} triple=${spec#*:}
  log "packages for $arch"
  s=$work/t-$arch
  rm -rf "$s" && mkdir -p "$s"
  chroot "$rt$D" cp -RL "/usr/lib/speck-double/$triple/musl/usr" "/tmp/usr-$arch"
  mkdir -p "$s/musl-dev" "$s/gcc/usr/lib" "$s/zlib-static/usr/lib" "$s/zlib-dev/usr/include" "$s/empty"
  mv "$rt$D/tmp/usr-$arch" "$s/musl-dev/usr"
  mv "$s/musl-dev/usr/lib/gcc" "$s/gcc/usr/lib/gcc"
  mv "$s/musl-dev/usr/lib/libz.a" "$s/zlib-static/usr/lib/"
  mv "$s/musl-dev/usr/include/zlib.h" "$s/musl-dev/usr/include/zconf.h" "$s/zlib-dev/usr/include/"
  # libssp_nonshared.a: what Alpine's musl-dev ships for -lssp_nonshared (the vendor default link).
  printf '%s' "$ssp" >"$rt$D/tmp/ssp.c"
  chroot "$rt$D" /usr/lib/llvm-19/bin/clang "--target=$triple" -ffreestanding -fno-stack-protector -fPIC -O2 -c /tmp/ssp.c -o /tmp/ssp.o
  chroot "$rt$D" /usr/lib/llvm-19/bin/llvm-ar rcD "/tmp/libssp_nonshared.a" /tmp/ssp.o
  cp "$rt$D/tmp/libssp_nonshared.a" "$s/musl-dev/usr/lib/"
  # The glibc tree clang++ uses needs the library the vendor default names, but not its content:
  # glibc's libc.a has __stack_chk_fail_local where an architecture needs it (i386), and a second
  # definition (Debian's gcc ships one for i386) would collide. So there it is empty, and the only one.
  chroot "$rt$D" /usr/lib/llvm-19/bin/llvm-ar rc /tmp/empty.a
  rm -f "$rt$D/usr/lib/speck-double/$triple/gnu/usr/lib/gcc/$triple/$GCCVER/libssp_nonshared.a"
  cp "$rt$D/tmp/empty.a" "$rt$D/usr/lib/speck-double/$triple/gnu/usr/lib/libssp_nonshared.a"
  rm -f "$rt$D/tmp/"*
  mkdir -p "$s/scripted/usr/share/speck-scripted"
  echo "speck-scripted: a test package with a .post-install script" >"$s/scripted/usr/share/speck-scripted/README"
  printf '#!/bin/sh\n# Runs only where apk runs scripts: in a target root that means a chroot into it.\necho "speck-scripted post-install ran" >/usr/share/speck-scripted/post-install.log\n' >"$work/post-install"
  mkpkg "$s/musl-dev" "$arch" musl-dev "$muslver" --origin musl --license MIT --url https://musl.libc.org/ \
    --desc "the C library's headers and static libraries (Debian's multiarch musl-dev:${debarch[$arch]})"
  mkpkg "$s/empty" "$arch" libc-dev "$muslver" --origin libc-dev --license "BSD-2-Clause AND BSD-3-Clause" --depend musl-dev \
    --desc "meta package for the C library's development files"
  mkpkg "$s/gcc" "$arch" gcc "$gccver" --origin gcc --license "GPL-2.0-or-later AND LGPL-2.1-or-later" --url https://gcc.gnu.org/ \
    --desc "crt files and libgcc for $triple (Debian's libgcc-$GCCVER-dev:${debarch[$arch]})"
  mkpkg "$s/empty" "$arch" g++ "$gccver" --origin gcc --license "GPL-2.0-or-later AND LGPL-2.1-or-later" --depend gcc \
    --desc "C++: empty here; clang++ links Debian's glibc libstdc++ (see alpine-clang.sh)"
  mkpkg "$s/zlib-static" "$arch" zlib-static "$zlibver" --origin zlib --license Zlib --url https://zlib.net/ \
    --desc "zlib, static (built by double-zlib.sh from Debian's zlib source)"
  mkpkg "$s/zlib-dev" "$arch" zlib-dev "$zlibver" --origin zlib --license Zlib --url https://zlib.net/ --desc "zlib headers"
  mkpkg "$s/scripted" "$arch" speck-scripted 1.0-r0 --license MIT --post-install "$work/post-install" \
    --desc "a package with a .post-install script"
  rm -rf "$s"
done

# The build platform's tools.
log "packages for the build platform"
# Absolute links inside the Debian tree point into it.
python3 - "$rt" "$D" <<'EOF'
import os, sys
root, prefix = sys.argv[1], sys.argv[2]
for dirpath, dirnames, filenames in os.walk(root + prefix):
    for n in dirnames + filenames:
        p = os.path.join(dirpath, n)
        if os.path.islink(p):
            t = os.readlink(p)
            if t.startswith("/"):
                os.unlink(p)
                os.symlink(prefix + t, p)
EOF
rmdir "$rt$D/tmp"
mkdir -p "$rt/lib64" "$rt/etc" "$rt$D/etc"
ln -s "$D/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$rt/lib64/ld-linux-x86-64.so.2"
echo "$D/usr/lib/x86_64-linux-gnu" >"$rt$D/etc/ld.so.conf"
"$rt$D/usr/sbin/ldconfig" -r "$rt" -f "$D/etc/ld.so.conf" -C /etc/ld.so.cache -X
mkpkg "$rt" "$HOST" speck-debian-trixie "$llvmver" --license "Apache-2.0 WITH LLVM-exception AND LGPL-2.1-or-later AND GPL-3.0-or-later WITH GCC-exception-3.1" \
  --desc "Debian trixie's clang $llvmver, lld, llvm tools, glibc and the glibc C++ trees, under $D"
rm -rf "$rt"
. "$here/cmake.sh" # CMake and Meson (issue 21): cmake, samurai, python3, meson, llvm; see that file

c=$work/pkg/clang
mkdir -p "$c/usr/bin" "$c/etc/clang20"
install -m 0755 "$here/alpine-clang.sh" "$c/usr/bin/clang"
ln -s clang "$c/usr/bin/clang++"
clangdeps=(--depend speck-debian-trixie --depend gcc --depend musl-dev)
clangmeta=(--license "Apache-2.0 WITH LLVM-exception" --url https://llvm.org/ "${clangdeps[@]}")
# Without the host's .cfg first (for the -nocfg tree), then with it.
nocfg=$ctx/overlay/srv/speck-alpine/v3.22-nocfg/main
mkdir -p "$nocfg/$HOST"
python3 "$here/mkapk.py" pkg "$c" --out "$nocfg/$HOST/clang-$llvmver.apk" --key "$keys/$HOST.rsa" --keyname "$(keyname "$HOST")" \
  --name clang --version "$llvmver" --arch "$HOST" "${clangmeta[@]}" \
  --desc "Debian's clang with Alpine's vendor defaults; no /etc/clang20/x86_64-alpine-linux-musl.cfg (as on a foreign build host)"
printf '%s\n' -fstack-clash-protection >"$c/etc/clang20/x86_64-alpine-linux-musl.cfg"
mkpkg "$c" "$HOST" clang "$llvmver" "${clangmeta[@]}" \
  --desc "Debian's clang with Alpine's vendor defaults and /etc/clang20/x86_64-alpine-linux-musl.cfg"

l=$work/pkg/lld
mkdir -p "$l/usr/bin"
ln -s "$D/usr/lib/llvm-19/bin/ld.lld" "$l/usr/bin/ld.lld"
ln -s ld.lld "$l/usr/bin/lld"
mkpkg "$l" "$HOST" lld "$llvmver" --license "Apache-2.0 WITH LLVM-exception" --url https://llvm.org/ --depend speck-debian-trixie \
  --desc "Debian's lld"

b=$work/pkg/binutils
mkdir -p "$b/usr/bin"
for n in ld ld.bfd as ar nm objcopy objdump ranlib readelf strip; do ln -s "$D/usr/bin/$n" "$b/usr/bin/$n"; done
mkpkg "$b" "$HOST" binutils "$(debver binutils:amd64)" --license GPL-3.0-or-later --url https://www.gnu.org/software/binutils/ \
  --depend speck-debian-trixie --desc "Debian's GNU binutils (ld for cc, as Alpine's gcc links with it)"

g=$work/pkg/speck-gcc-driver
mkdir -p "$g/usr/bin"
for n in cc gcc c++ g++; do ln -s clang "$g/usr/bin/$n"; done
mkpkg "$g" "$HOST" speck-gcc-driver 1.0-r0 --license MIT --depend clang --depend binutils --install-if "gcc alpine-baselayout" \
  --desc "cc, gcc, c++ and g++ as clang with Alpine's defaults, on a whole Alpine system only"

o=$work/pkg/go
mkdir -p "$o"
tar -xf "$gotree" -C "$o"
gover=$("$o/usr/lib/go/bin/go" env GOVERSION | sed -E 's/^go([0-9.]+).*/\1-r0/')
mkpkg "$o" "$HOST" go "$gover" --license BSD-3-Clause --url https://go.dev/ \
  --desc "Go (Debian's golang-1.24 laid out as Alpine's go package)"
. "$here/rust.sh"
rm -rf "$work/pkg"

# The indexes, by the real apk of the minirootfs, each signed with its architecture's key.
log "apk index"
host=$work/alpine
mkdir -p "$host"
tar -xzf "$rootfs" -C "$host"
for spec in "${ARCHES[@]}"; do
  arch=${spec%%:*}
  mkdir -p "$host/repo/$arch"
  cp -l "$repo/$arch/"*.apk "$host/repo/$arch/"
  (cd "$host/repo/$arch" && chroot "$host" env SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" /sbin/apk index --allow-untrusted \
    -d "speck test bed $arch" -o "/repo/$arch/APKINDEX.tar.gz" $(ls | sed "s|^|/repo/$arch/|") >&2)
  cp "$host/repo/$arch/APKINDEX.tar.gz" "$repo/$arch/"
  python3 "$here/mkapk.py" sign-index "$repo/$arch/APKINDEX.tar.gz" --key "$keys/$arch.rsa" --keyname "$(keyname "$arch")"
done
# -nocfg: x86_64's index again over its own clang and the same other packages.
rm -rf "$host/repo/$HOST" && mkdir -p "$host/repo/$HOST"
for f in "$repo/$HOST/"*.apk; do
  n=${f##*/}
  [ "$n" = "clang-$llvmver.apk" ] && continue
  ln -s "../../../v3.22/main/$HOST/$n" "$nocfg/$HOST/$n"
  cp -l "$f" "$host/repo/$HOST/"
done
cp -l "$nocfg/$HOST/clang-$llvmver.apk" "$host/repo/$HOST/"
(cd "$host/repo/$HOST" && chroot "$host" env SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" /sbin/apk index --allow-untrusted \
  -d "speck test bed $HOST, no host clang config" -o "/repo/$HOST/APKINDEX.tar.gz" $(ls | sed "s|^|/repo/$HOST/|") >&2)
cp "$host/repo/$HOST/APKINDEX.tar.gz" "$nocfg/$HOST/"
python3 "$here/mkapk.py" sign-index "$nocfg/$HOST/APKINDEX.tar.gz" --key "$keys/$HOST.rsa" --keyname "$(keyname "$HOST")"
for spec in "${ARCHES[@]}"; do
  arch=${spec%%:*}
  [ "$arch" = "$HOST" ] || ln -s "../../v3.22/main/$arch" "$nocfg/$arch"
done
rm -rf "$host"

# Keys as alpine-keys lays them out.
ov=$ctx/overlay
mkdir -p "$ov/etc/apk/keys" "$ov/usr/share/apk/keys"
for spec in "${ARCHES[@]}"; do
  arch=${spec%%:*} k=$(keyname "${spec%%:*}")
  install -m 0644 "$keys/$k" "$ov/usr/share/apk/keys/$k"
  mkdir -p "$ov/usr/share/apk/keys/$arch"
  ln -s "../$k" "$ov/usr/share/apk/keys/$arch/$k"
  case " $FAMILY " in *" $arch "*) install -m 0644 "$keys/$k" "$ov/etc/apk/keys/$k" ;; esac
done
# The mirror's URL names its content. apk keeps an index in its cache under a hash of the URL and asks
# again with If-Modified-Since; every file here has the same mtime (SOURCE_DATE_EPOCH), so a rebuilt
# mirror at the same URL would answer 304 and leave a cache mount with the previous index (whose
# packages no longer match: BAD signature). A new URL per content is a new cache entry.
id=$(cat "$repo"/*/APKINDEX.tar.gz "$nocfg/$HOST/APKINDEX.tar.gz" | sha256sum | cut -c1-12)
mv "$ov/srv/speck-alpine" "$ov/srv/speck-alpine.tmp"
mkdir "$ov/srv/speck-alpine"
mv "$ov/srv/speck-alpine.tmp" "$ov/srv/speck-alpine/$id"
echo "http://127.0.0.1:$PORT/$id/v3.22/main" >"$ov/etc/apk/repositories"
echo "http://127.0.0.1:$PORT/$id/v3.22-nocfg/main" >"$ctx/nocfg-repositories"
install -D -m 0755 "$here/apk.sh" "$ov/usr/local/sbin/apk"
mkdir -p "$work/bb" "$ov/usr/lib/speck-standin"
dpkg-deb -x "$busybox_deb" "$work/bb"
install -m 0755 "$work/bb/bin/busybox" "$ov/usr/lib/speck-standin/busybox"
rm -rf "$work"
cp "$rootfs" "$ctx/alpine-minirootfs.tar.gz"
# Fixed times keep the image reproducible, but BuildKit's context transfer takes a file whose size and
# mtime did not change for unchanged (a rebuilt mirror kept the previous /etc/apk/repositories): so each
# regular file's time is SOURCE_DATE_EPOCH plus a number of seconds taken from its content.
python3 - "$ctx" "$SOURCE_DATE_EPOCH" <<'PY'
import hashlib, os, sys
root, epoch = sys.argv[1], int(sys.argv[2])
for dirpath, dirnames, filenames in os.walk(root):
    for n in dirnames + filenames:
        p = os.path.join(dirpath, n)
        t = epoch
        if os.path.isfile(p) and not os.path.islink(p):
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            t += int(h.hexdigest()[:8], 16) % (366 * 86400)
        os.utime(p, (t, t), follow_symlinks=False)
os.utime(root, (epoch, epoch))
PY
log "done: $(du -sm "$ctx" | cut -f1) MiB"
