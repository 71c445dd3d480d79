#!/bin/sh
# double-zlib-deb.sh: run inside the cross toolchain test double while it is built (base-images.sh
# `cross`), after double-zlib.sh. The zlib it compiled is no Debian package, so no package database
# would know it, and an SBOM could only call it an unowned file. This packs it honestly instead: one
# local package, zlib-musl-static, per target architecture (Multi-Arch: same, as Debian's own
# multiarch libraries are), holding that target's libz.a and headers, with Debian's machine-readable
# copyright of zlib and `Source: zlib`, and installs each with dpkg. The amd64 one also holds the
# copy in musl-gcc's own directories (`toolchain.compiler: gcc`). The version is the upstream
# tarball's (epoch kept, no Debian revision: Debian's patches are not applied). dpkg-deb takes its
# timestamps from SOURCE_DATE_EPOCH, so the image stays reproducible.
#
# Usage: double-zlib-deb.sh STORE VERSION HOMEPAGE COPYRIGHT TRIPLE:ARCH...
set -eu
store=$1 version=$2 homepage=$3 copyright=$4
shift 4
pkg=zlib-musl-static
for spec in "$@"; do
  triple=${spec%%:*} arch=${spec#*:}
  stage=/tmp/zdeb-$arch
  tree=$store/$triple/musl/usr
  mkdir -p "$stage/DEBIAN" "$stage$tree/lib" "$stage$tree/include" "$stage/usr/share/doc/$pkg"
  install -m 0644 "$tree/lib/libz.a" "$stage$tree/lib/"
  install -m 0644 "$tree/include/zlib.h" "$tree/include/zconf.h" "$stage$tree/include/"
  if [ "$arch" = amd64 ]; then
    mkdir -p "$stage/usr/lib/x86_64-linux-musl" "$stage/usr/include/x86_64-linux-musl"
    install -m 0644 /usr/lib/x86_64-linux-musl/libz.a "$stage/usr/lib/x86_64-linux-musl/"
    install -m 0644 /usr/include/x86_64-linux-musl/zlib.h /usr/include/x86_64-linux-musl/zconf.h "$stage/usr/include/x86_64-linux-musl/"
  fi
  install -m 0644 "$copyright" "$stage/usr/share/doc/$pkg/copyright"
  cat >"$stage/DEBIAN/control" <<EOF
Package: $pkg
Source: zlib
Version: $version
Architecture: $arch
Multi-Arch: same
Maintainer: speck test bed <root@localhost>
Section: libdevel
Priority: optional
Homepage: $homepage
Description: zlib for musl, static, for $triple (speck test bed build)
 Built by test/e2e/double-zlib.sh with clang for $triple from the upstream
 tarball of the Debian zlib source package (its patches not applied).
EOF
  dpkg-deb --root-owner-group --build "$stage" "/tmp/$pkg-$arch.deb" >/dev/null
  dpkg -i "/tmp/$pkg-$arch.deb" >/dev/null
  rm -rf "$stage" "/tmp/$pkg-$arch.deb"
done
