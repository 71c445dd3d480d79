#!/bin/sh
# double-sysroots.sh: run inside the cross toolchain test double (base-images.sh `cross`) while it is
# built, as root in the new filesystem. It lays out, from Debian's multiarch packages, what `apk --root
# /<triple> add musl-dev gcc [g++] zlib-dev zlib-static` would put into a target root on Alpine, so that
# `clang --target=<triple> --sysroot=/<triple>` finds the same things there: crt1.o, libc.a and the
# headers under usr/, and crtbegin/crtend, libgcc.a and libgcc_eh.a under usr/lib/gcc/<triple>/<ver>/.
#
# Nothing is copied: each tree is a tree of symbolic links to the packages' own files. The trees are
# kept under $STORE/<triple>/{musl,gnu}/usr; the prepared toolchain links /<triple>/usr to the musl
# one, and the Alpine stand-in (alpine-standin/build.sh) packs its files as that target's packages.
#   musl  C: Debian's multiarch musl-dev (/usr/lib/<musl triple>, /usr/include/<musl triple>) and the
#         target's libgcc from libgcc-<ver>-dev:<arch>.
#   gnu   C++: Debian has no musl build of libstdc++, so here C++ gets glibc and libstdc++ from
#         libc6-dev:<arch> and libstdc++-<ver>-dev:<arch>, linked statically. Alpine's `g++` gives
#         musl's libstdc++ instead; only this double links C++ against glibc.
#
# Usage: double-sysroots.sh STORE GCC_VERSION TRIPLE:GNU_MULTIARCH:GNU_GCC_TRIPLE:MUSL_MULTIARCH...
set -eu

store=$1 ver=$2
shift 2

# linktree SRC DEST: DEST gets SRC's directories, with a symbolic link for each file.
linktree() { mkdir -p "$2" && cp -rs "$1/." "$2/"; }

for spec in "$@"; do
  IFS=: read -r triple gnu gnugcc musl <<EOF
$spec
EOF
  [ -d "/usr/lib/$musl" ] && [ -d "/usr/lib/gcc/$gnugcc/$ver" ] || { echo "double-sysroots: $spec: missing packages" >&2; exit 1; }
  m=$store/$triple/musl/usr
  linktree "/usr/include/$musl" "$m/include"
  linktree "/usr/lib/$musl" "$m/lib"
  mkdir -p "$m/lib/gcc/$triple/$ver"
  for f in crtbegin.o crtbeginS.o crtbeginT.o crtend.o crtendS.o libgcc.a libgcc_eh.a; do
    ln -s "/usr/lib/gcc/$gnugcc/$ver/$f" "$m/lib/gcc/$triple/$ver/$f"
  done

  g=$store/$triple/gnu/usr
  linktree /usr/include "$g/include"
  # Keep only this target's multiarch headers, merged in as the target's own.
  for d in "$g/include/"*-linux-*; do rm -rf "$d"; done
  cp -rs "/usr/include/$gnu/." "$g/include/"
  mkdir -p "$g/include/c++/$ver"
  rm -rf "$g/include/c++/$ver/$triple"
  ln -s "/usr/include/$gnu/c++/$ver" "$g/include/c++/$ver/$triple"
  linktree "/usr/lib/$gnu" "$g/lib"
  # glibc's libm.a is a linker script naming /usr/lib/<multiarch>/...; the linker looks them up in the sysroot.
  ln -s "/usr/lib/$gnu" "$g/lib/$gnu"
  # A directory, not a link to one: clang finds the C++ headers relative to it (../../../../include).
  linktree "/usr/lib/gcc/$gnugcc/$ver" "$g/lib/gcc/$triple/$ver"
done
