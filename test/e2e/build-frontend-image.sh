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
(cd "$repo" && node scripts/bundle.mjs "${bundle_args[@]}")

# --provenance=false: the image is loaded into the daemon's store and used by tag; an
# attestation manifest would only add an index around it.
docker buildx build --progress=plain --provenance=false \
  -f "$repo/Dockerfile" \
  --build-context "build=$stage" \
  --build-context "runtime-base=$runtime_base" \
  --load -t "$tag" "$repo"
