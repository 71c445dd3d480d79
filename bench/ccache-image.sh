#!/bin/bash
# ccache-image.sh TAG: bench only. The prepared toolchain (local/speck-toolchain:c) plus
# Debian's ccache, for the "best a Dockerfile user can do" row of the incremental table
# (RUN --mount=type=cache with ccache). The .debs come from the host's own apt sources
# (bookworm, as the toolchain), are unpacked on the host and copied in: no network in the
# build, and CI never builds this image (only `npm run bench -- --only incremental` does).
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 TAG" >&2; exit 2; }
tag=$1
stage=$(mktemp -d "${TMPDIR:-/tmp}/speck-ccache.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/debs" "$stage/root"
# libhiredis is the one runtime dependency of ccache the toolchain lacks (libzstd, libstdc++ are there).
(cd "$stage/debs" && apt-get download ccache libhiredis0.14 >&2)
for deb in "$stage"/debs/*.deb; do dpkg-deb -x "$deb" "$stage/root"; done
rm -rf "$stage/root/usr/share"
printf 'FROM local/speck-toolchain:c\nCOPY root/ /\nRUN ["ccache", "--version"]\n' >"$stage/Dockerfile"
docker buildx build --progress=plain --provenance=false -t "$tag" --load "$stage" >&2
