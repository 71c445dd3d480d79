#!/bin/sh
# /usr/bin/rustc in the Alpine stand-in's `rust` package: Debian trixie's rustc 1.85 (under /opt/speck-debian)
# taking the command lines Alpine's rustc takes, so that speck's generated graph is byte for byte what it
# sends on real Alpine. What Alpine's rustc is (aports main/rust): patched to know `<arch>-alpine-linux-musl*`
# targets (alpine-target.patch), host x86_64-alpine-linux-musl, the host's standard library in `rust` at
# /usr/lib/rustlib/<triple>/lib (`_rlibdir`), another architecture's in that architecture's `rust` (which
# `provides=rust-stdlib`), installed where the caller links it into /usr/lib/rustlib/<triple>.
#
# Debian's rustc knows no Alpine triple and Debian has no musl std, so this wrapper:
#   - maps `--target <alpine triple>` to the Debian triple of the same architecture (the table in
#     /usr/lib/speck-rust/targets, the only place the mapping is written), so the program is built for
#     glibc: cfg(target_env) is "gnu" and cfg(target_vendor) "unknown" here, "musl" and "alpine" on Alpine;
#     any other triple goes to rustc unchanged (an unknown one fails as it does on Alpine);
#   - gives rustc the sysroot /usr/lib/speck-rust, whose lib/rustlib/<Debian triple> is a link to
#     /usr/lib/rustlib/<Alpine triple>: the std is found exactly where Alpine's rustc finds it, and a
#     foreign target whose std was not installed and linked fails as on Alpine ("can't find crate for `std`");
#   - for a target: appends `-C link-arg=--sysroot=<that target's glibc tree>` (clang takes the last
#     --sysroot; the caller's --target stays), so the final link finds glibc's static libraries instead of
#     the musl tree in /<triple>, and `-C link-arg=-fuse-ld=lld`: glibc's libm.a is a linker script naming
#     absolute paths, which lld looks up in the sysroot and GNU ld (what `cc` uses when the caller does not
#     say -fuse-ld=lld) does not, through the tree's links;
#   - for the build platform (no --target: build scripts and proc-macros, which Debian's rustc builds
#     against glibc and loads into itself): links with Debian's clang against Debian's own root, whatever
#     linker the caller named (on Alpine that is `cc`, or the target's linker when the target is the host);
#   - answers `-vV` with `host: x86_64-alpine-linux-musl`, which cargo reads to decide which target's
#     settings (linker, rustflags) also apply to build scripts (cargo's target-applies-to-host).
set -eu
debian=/opt/speck-debian
sysroot=/usr/lib/speck-rust
host=x86_64-alpine-linux-musl

# debian_triple ALPINE: the Debian triple serving ALPINE, or nothing.
debian_triple() {
  while read -r a d _; do
    case $a in '#'*|'') continue ;; esac
    if [ "$a" = "$1" ]; then echo "$d"; return 0; fi
  done <"$sysroot/targets"
}

target="" want_target=0 verbose=0 version=0 n=$#
for a in "$@"; do
  if [ "$want_target" = 1 ]; then target=$a; want_target=0; continue; fi
  case $a in
    --target) want_target=1 ;;
    --target=*) target=${a#--target=} ;;
    -vV|-Vv) verbose=1 version=1 ;;
    -v|--verbose) verbose=1 ;;
    -V|--version) version=1 ;;
  esac
done

mapped=""
[ -z "$target" ] || mapped=$(debian_triple "$target")
# Rebuild "$@": each of the caller's n arguments moved to the back, a mapped target rewritten.
i=0 next=0
while [ "$i" -lt "$n" ]; do
  a=$1
  shift
  i=$((i + 1))
  if [ -n "$mapped" ]; then
    if [ "$next" = 1 ]; then a=$mapped; next=0
    elif [ "$a" = --target ]; then next=1
    elif [ "$a" = "--target=$target" ]; then a=--target=$mapped
    fi
  fi
  set -- "$@" "$a"
done

set -- "$@" --sysroot "$sysroot"
if [ -n "$mapped" ]; then
  set -- "$@" -C "link-arg=--sysroot=$debian/usr/lib/speck-double/$target/gnu" -C link-arg=-fuse-ld=lld
elif [ -z "$target" ]; then
  set -- "$@" -C "linker=$debian/usr/lib/llvm-19/bin/clang" -C link-arg=--target=x86_64-linux-gnu \
    -C "link-arg=--sysroot=$debian" -C link-arg=-fuse-ld=lld
fi

if [ "$verbose" = 1 ] && [ "$version" = 1 ]; then
  "$debian/usr/bin/rustc" "$@" | sed "s/^host: .*/host: $host/"
  exit 0
fi
exec "$debian/usr/bin/rustc" "$@"
