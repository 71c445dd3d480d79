# rust.sh: sourced by build.sh (one line there) after the build platform's other packages are made; uses its
# mkpkg, $work, $here, $D and $HOST. Packs the Rust toolchain double's tree (SPECK_RUST_TREE, a tarball made by
# base-images.sh `rust_tree` from Debian trixie's rustc, cargo and libstd-rust-dev:<arch>) as Alpine names it
# (aports main/rust):
#   rust (x86_64)   /usr/bin/rustc (alpine-rustc.sh over Debian's rustc under $D), the host's standard
#                   library at /usr/lib/rustlib/x86_64-alpine-linux-musl/lib, and /usr/lib/speck-rust (the
#                   wrapper's table and sysroot). Like Alpine's: provides rust-stdlib, depends on gcc and musl-dev.
#   cargo (x86_64)  /usr/bin/cargo (Debian's, under $D, with the libraries it needs that the C toolchain's tree
#                   lacks); depends on rust.
#   rust (aarch64, riscv64)  only that architecture's standard library at /usr/lib/rustlib/<triple>/lib: on
#                   Alpine `rust-stdlib` is not a package of its own but a name `rust` provides, so
#                   `apk add --root /<triple> --arch <arch> rust-stdlib` installs the target's `rust`.
# The files of the C toolchain's tree (glibc, libLLVM, libcurl, ...) stay in speck-debian-trixie, which rust
# depends on: base-images.sh took from Debian only what that tree does not already have.
: "${SPECK_RUST_TREE:?build.sh: SPECK_RUST_TREE names the Rust tree tarball (base-images.sh rust_tree)}"
log "packages for Rust"
rs=$work/rust
rm -rf "$rs" && mkdir -p "$rs/x"
tar -xf "$SPECK_RUST_TREE" -C "$rs/x"
rustver=$(cat "$rs/x/version")-r0
rustmeta=(--origin rust --license "Apache-2.0 AND MIT" --url https://www.rust-lang.org/)
host_triple=""
while read -r alpine debtriple arch _; do
  case $alpine in '#'*|'') continue ;; esac
  if [ "$arch" = "$HOST" ]; then host_triple=$alpine; continue; fi
  mkdir -p "$rs/$arch/usr/lib/rustlib/$alpine"
  mv "$rs/x/usr/lib/rustlib/$debtriple/lib" "$rs/$arch/usr/lib/rustlib/$alpine/lib"
  mkpkg "$rs/$arch" "$arch" rust "$rustver" "${rustmeta[@]}" --provides "rust-stdlib=$rustver" --replaces rust-stdlib \
    --depend gcc --depend musl-dev --desc "Rust's standard library for $alpine (Debian's libstd-rust-dev for $debtriple)"
done <"$here/rust-targets"

# The build platform's rust: Debian's rustc and librustc_driver, the wrapper, the host's std, the sysroot.
h=$rs/host
mkdir -p "$h$D/usr/bin" "$h$D/usr/lib/x86_64-linux-gnu" "$h/usr/bin" "$h/usr/lib/speck-rust/lib/rustlib" "$h/usr/lib/rustlib/$host_triple"
mv "$rs/x$D/usr/bin/rustc" "$h$D/usr/bin/"
mv "$rs/x$D/usr/lib/x86_64-linux-gnu/"librustc_driver-*.so "$h$D/usr/lib/x86_64-linux-gnu/"
install -m 0755 "$here/alpine-rustc.sh" "$h/usr/bin/rustc"
install -m 0644 "$here/rust-targets" "$h/usr/lib/speck-rust/targets"
while read -r alpine debtriple _; do
  case $alpine in '#'*|'') continue ;; esac
  ln -s "/usr/lib/rustlib/$alpine" "$h/usr/lib/speck-rust/lib/rustlib/$debtriple"
  if [ "$alpine" = "$host_triple" ]; then mv "$rs/x/usr/lib/rustlib/$debtriple/lib" "$h/usr/lib/rustlib/$alpine/lib"; fi
done <"$here/rust-targets"
mkdir -p "$h$D/usr/share/doc"
mv "$rs/x$D/usr/share/doc/rustc" "$rs/x$D/usr/share/doc/libstd-rust-"* "$h$D/usr/share/doc/"
mkpkg "$h" "$HOST" rust "$rustver" "${rustmeta[@]}" --provides "rust-stdlib=$rustver" --replaces rust-stdlib \
  --depend speck-debian-trixie --depend gcc --depend musl-dev \
  --desc "Debian's rustc $rustver taking Alpine's command lines (alpine-rustc.sh), and the host's standard library"

# cargo: the rest of the tree (cargo and the libraries only it needs).
c=$rs/x
rm -rf "$c/usr/lib/rustlib" "$c/version"
mkdir -p "$c/usr/bin"
ln -s "$D/usr/bin/cargo" "$c/usr/bin/cargo"
mkpkg "$c" "$HOST" cargo "$rustver" --origin rust --license "Apache-2.0 AND MIT AND Unlicense" --url https://www.rust-lang.org/ \
  --depend "rust=$rustver" --desc "Debian's cargo $rustver"
rm -rf "$rs"
