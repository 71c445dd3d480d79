#!/bin/sh
# /usr/local/bin/clang++ in the cross toolchain test double (base-images.sh `cross`), ahead of Debian's.
# Debian has no musl build of libstdc++, so C++ cannot link against a target's musl tree here. This
# wrapper swaps `--sysroot=/<triple>` for that target's glibc tree (see double-sysroots.sh), so C++
# programs link glibc and libstdc++ statically, as the gcc double's `c++` does. On Alpine, `g++` in
# the target root gives musl's libstdc++ and clang++ is used as it is.
set -eu
first=1
for a in "$@"; do
  if [ "$first" = 1 ]; then set --; first=0; fi
  case $a in
    --sysroot=/*)
      t=${a#--sysroot=/}
      if [ -d "/usr/lib/speck-double/$t/gnu" ]; then a=--sysroot=/usr/lib/speck-double/$t/gnu; fi ;;
  esac
  set -- "$@" "$a"
done
exec /usr/bin/clang++ "$@"
