#!/bin/sh
# Records what sbom.test.ts reads: Cargo.lock and `cargo tree` for this workspace with three feature sets,
# run offline against Debian's crates as a cargo directory source (test/e2e/crates.ts prints its path).
#
#   frontend/languages/rust/testdata/sbom-features/record.sh "$(npx tsx test/e2e/crates.ts)"
#
# Registry source ids are rewritten to a local one (no registry host name is kept in the repository), and the
# workspace's path to /src, where speck's ops mount it. The argv is the one sbom.ts's treeArgv makes, with the
# host's own target (the host's rustc has no Alpine target).
set -eu
registry=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/src" "$work/src/extra/src"
cp "$here/Cargo.toml" "$work/src/Cargo.toml"
cp "$here/extra/Cargo.toml" "$work/src/extra/Cargo.toml"
echo 'fn main() {}' >"$work/src/src/main.rs"
echo 'fn main() {}' >"$work/src/build.rs"
: >"$work/src/extra/src/lib.rs"
cd "$work/src"
export CARGO_HOME="$work/home"
set -- --config 'source.crates-io.replace-with="deb"' --config "source.deb.directory=\"$registry\""
cargo generate-lockfile --offline "$@"
target=$(rustc -vV | sed -n 's/^host: //p')
tree() {
  cargo tree --frozen "$@" --target "$target" -p app --edges normal,no-proc-macro --prefix none --format '{p}' | sed "s|$work/src|/src|"
}
tree "$@" >"$here/tree-default.txt"
tree "$@" --no-default-features >"$here/tree-no-default.txt"
tree "$@" --no-default-features --features extra >"$here/tree-extra.txt"
sed 's|^source = "registry+[^"]*"|source = "registry+file:///speck-test-index"|' Cargo.lock >"$here/Cargo.lock"
