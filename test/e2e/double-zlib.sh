#!/bin/sh
# double-zlib.sh: run inside the cross toolchain test double while it is built (base-images.sh
# `cross`), after double-sysroots.sh. It compiles zlib (Debian's source, unpacked in SRC) with clang
# for each target, static only, into that target's C tree, the way `apk --root /<triple> add zlib-dev
# zlib-static` would provide it on Alpine. No emulation: clang cross-compiles, llvm-ar archives.
#
# Usage: double-zlib.sh SRC STORE TRIPLE...
set -eu
src=$1 store=$2
shift 2
cd "$src"
for triple in "$@"; do
  d=$store/$triple/musl/usr
  rm -f ./*.o
  for f in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil; do
    clang "--target=$triple" "--sysroot=$store/$triple/musl" -Os -DHAVE_UNISTD_H -DHAVE_STDARG_H "-ffile-prefix-map=$src=." -c "$f.c"
  done
  rm -f "$d/lib/libz.a"
  llvm-ar rcsD "$d/lib/libz.a" ./*.o
  install -m 0644 zlib.h zconf.h "$d/include/"
done
rm -f ./*.o
