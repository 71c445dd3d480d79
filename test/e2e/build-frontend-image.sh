#!/bin/bash
# build-frontend-image.sh TAG: build the speck frontend image into the daemon at $DOCKER_HOST,
# exactly as the e2e tests do. Without network in the build containers, the project's Dockerfile
# is built with two of its stages replaced:
#   build         by a directory holding speck/snapshot.cjs, bundled here on the host
#                 (`node scripts/bundle.mjs --snapshot`)
#   runtime-base  by $SPECK_RUNTIME_BASE (default docker-image://local/speck-node:22, made by
#                 `testbed.sh images`)
# Try it by hand:
#   eval "$(test/e2e/testbed.sh start d28)" && test/e2e/testbed.sh images d28
#   test/e2e/build-frontend-image.sh speck:dev
# SPECK_BUNDLE_ENTRY bundles another entry module instead of frontend/snapshot.ts (it must start
# the same way, through frontend/startup.ts).
# SPECK_FRONTEND_PLATFORM builds for another platform (default: the daemon's own); for linux/arm64,
# with SPECK_RUNTIME_BASE=docker-image://local/speck-node:22-arm64 (`SPECK_TESTBED_FRONTEND_ARM64=1
# testbed.sh images`) and qemu-aarch64 registered (`testbed.sh emulation`): the snapshot step runs
# the arm64 node under emulation.
# SPECK_FRONTEND_OUTPUT replaces --load with that --output (e.g. type=oci,dest=FILE, which a
# multi-platform build needs on a daemon whose image store cannot hold an index).
# The version identity (scripts/identity.mjs: SPECK_VERSION, SPECK_REVISION, SPECK_SOURCE, from the
# environment or this checkout) goes into the bundle and, as build arguments, into the labels.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 TAG" >&2; exit 2; }
tag=$1
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
runtime_base=${SPECK_RUNTIME_BASE:-docker-image://local/speck-node:22}

stage=$(mktemp -d "${TMPDIR:-/tmp}/speck-frontend.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/speck"
bundle_args=(--snapshot --outfile "$stage/speck/snapshot.cjs")
[ -n "${SPECK_BUNDLE_ENTRY:-}" ] && bundle_args+=(--entry "$SPECK_BUNDLE_ENTRY")
mapfile -t identity < <(node "$repo/scripts/identity.mjs")
[ "${#identity[@]}" -eq 3 ] || { echo "build-frontend-image: scripts/identity.mjs printed ${#identity[@]} lines" >&2; exit 1; }
(cd "$repo" && env "${identity[@]}" node scripts/bundle.mjs "${bundle_args[@]}")
build_args=()
for kv in "${identity[@]}"; do build_args+=(--build-arg "$kv"); done
[ -n "${SPECK_FRONTEND_PLATFORM:-}" ] && build_args+=(--platform "$SPECK_FRONTEND_PLATFORM")
output=(--load)
[ -n "${SPECK_FRONTEND_OUTPUT:-}" ] && output=(--output "$SPECK_FRONTEND_OUTPUT")

# --provenance=false: the image is loaded into the daemon's store and used by tag; an
# attestation manifest would only add an index around it.
docker buildx build --progress=plain --provenance=false \
  -f "$repo/Dockerfile" \
  --build-context "build=$stage" \
  --build-context "runtime-base=$runtime_base" \
  "${build_args[@]}" \
  "${output[@]}" -t "$tag" "$repo"
