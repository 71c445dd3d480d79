#!/bin/sh
# /usr/bin/clang (and clang++, and with the speck-gcc-driver package cc, gcc, c++, g++) in the Alpine
# stand-in's `clang` package: Debian's clang 19 with Alpine's vendor defaults put back, because the
# stand-in's whole point is that tests see what Alpine's clang does, not what Debian's does.
#
# Alpine's clang (aports main/clang20) differs from upstream clang in these ways, and this wrapper
# reproduces each from outside the driver:
#   - its default target is the host's Alpine triple (LLVM_DEFAULT_TARGET_TRIPLE = CHOST): here
#     --target=x86_64-alpine-linux-musl unless the caller names one;
#   - it is built with CLANG_CONFIG_FILE_SYSTEM_DIR=/etc/clang20 and installs /etc/clang20/<CHOST>.cfg
#     (-fstack-clash-protection), which clang's own default-config logic reads only when the
#     effective target is that triple and --no-default-config is absent: passing
#     --config-system-dir=/etc/clang20 lets the real clang decide exactly that;
#   - for vendor `alpine` in the target triple (its patches 30-Enable-stack-protector,
#     clang-001-fortify-include and clang-002-fortify-enable): -fstack-protector-strong by default;
#     -D_FORTIFY_SOURCE=2 when optimising and the caller did not define or undefine it;
#     <sysroot>/usr/include/fortify searched before the C library's headers (unless -nostdinc; the
#     stand-in has no fortify-headers package, so it is empty and _FORTIFY_SOURCE changes no code);
#     and -lssp_nonshared at the end of a link (unless -nostdlib/-nodefaultlibs).
# The defaults go before the caller's flags, so a later -fno-stack-protector or
# -fno-stack-clash-protection wins, as it does in the patched driver.
#
# C++ (clang++, c++, g++): Debian has no musl build of libstdc++, so `--sysroot=/<triple>` is swapped
# for that target's glibc tree (see double-sysroots.sh): C++ programs link glibc and libstdc++
# statically here. On Alpine, `g++` in the target root gives musl's libstdc++.
set -eu
debian=/opt/speck-debian
host=x86_64-alpine-linux-musl
case ${0##*/} in
  *++) driver=clang++ ;;
  *) driver=clang ;;
esac

target="" sysroot="" optimising=0 compiling=0 linking=1 fortify_set=0 nostdinc=0 nostdlib=0 want=""
for a in "$@"; do
  if [ -n "$want" ]; then
    case $want in target) target=$a ;; sysroot) sysroot=$a ;; esac
    want=""
    continue
  fi
  case $a in
    --target=*) target=${a#--target=} ;;
    -target) want=target ;;
    --sysroot=*) sysroot=${a#--sysroot=} ;;
    --sysroot) want=sysroot ;;
    -O0) optimising=0 ;;
    -O|-O[1-9]*|-Os|-Oz|-Og|-Ofast) optimising=1 ;;
    -c|-S|-E|-M|-MM|-fsyntax-only) linking=0 ;;
    -D_FORTIFY_SOURCE|-D_FORTIFY_SOURCE=*|-U_FORTIFY_SOURCE) fortify_set=1 ;;
    -nostdinc|-nostdlibinc) nostdinc=1 ;;
    -nostdlib|-nodefaultlibs) nostdlib=1 ;;
    -x) compiling=1 ;;
    -*) ;;
    *.c|*.cc|*.cp|*.cpp|*.cxx|*.c++|*.C|*.i|*.ii|*.s|*.S) compiling=1 ;;
  esac
done

pre="--config-system-dir=/etc/clang20"
if [ -z "$target" ]; then target=$host; pre="$pre --target=$host"; fi
vendor=$(echo "$target" | cut -d- -f2)
post=""
if [ "$vendor" = alpine ]; then
  if [ "$compiling" = 1 ]; then
    pre="$pre -fstack-protector-strong"
    # For C only: in C++ the patched driver puts it after libstdc++'s headers, which no flag can do.
    if [ "$nostdinc" = 0 ] && [ "$driver" = clang ]; then pre="$pre -isystem ${sysroot%/}/usr/include/fortify"; fi
    if [ "$optimising" = 1 ] && [ "$fortify_set" = 0 ]; then pre="$pre -D_FORTIFY_SOURCE=2"; fi
  fi
  if [ "$linking" = 1 ] && [ "$nostdlib" = 0 ]; then post="-lssp_nonshared"; fi
fi

# Rebuild "$@": the defaults are appended behind the caller's n arguments, then each of those is
# moved from the front to the back (the C++ sysroot swapped on the way), then the link's tail.
n=$#
for a in $pre; do set -- "$@" "$a"; done
i=0
while [ "$i" -lt "$n" ]; do
  a=$1
  shift
  i=$((i + 1))
  if [ "$driver" = clang++ ]; then
    case $a in
      --sysroot=/*)
        t=${a#--sysroot=/}
        if [ -d "$debian/usr/lib/speck-double/$t/gnu" ]; then a=--sysroot=$debian/usr/lib/speck-double/$t/gnu; fi ;;
    esac
  fi
  set -- "$@" "$a"
done
[ -z "$post" ] || set -- "$@" $post
exec "$debian/usr/lib/llvm-19/bin/$driver" "$@"
