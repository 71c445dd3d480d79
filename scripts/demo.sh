#!/bin/bash
# npm run demo: build the speck frontend image, build examples/pausle with every profile through it, run the
# result, and print the size table. Needs root (it starts a private Docker daemon from Debian packages, as the
# tests do) unless SPECK_E2E_DOCKER_HOST names a daemon to use. Everything it starts, it stops.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
testbed=$repo/test/e2e/testbed.sh
flavor=${SPECK_DEMO_FLAVOR:-d28}

step() { printf '\n== %s\n' "$*" >&2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/speck-demo.XXXXXX")
started=
cleanup() {
  rm -rf "$work"
  [ -z "$started" ] || "$testbed" stop "$flavor" >/dev/null 2>&1 || true
}
trap cleanup EXIT

if [ -n "${SPECK_E2E_DOCKER_HOST:-}" ]; then
  export DOCKER_HOST=$SPECK_E2E_DOCKER_HOST
  step "using the daemon at $DOCKER_HOST"
  "$testbed" images
else
  step "starting a private dockerd ($flavor) with its embedded BuildKit"
  "$testbed" status "$flavor" 2>/dev/null || started=yes
  eval "$("$testbed" start "$flavor")"
  "$testbed" images "$flavor"
fi

step "building the frontend image local/speck from ./Dockerfile"
"$repo/test/e2e/build-frontend-image.sh" local/speck:latest >/dev/null

rows=()
for profile in size tiny speed debug; do
  dir=$work/$profile
  cp -r "$repo/examples/pausle" "$dir"
  printf 'profile: %s\n' "$profile" >>"$dir/speck.yaml"
  step "docker buildx build examples/pausle (profile $profile)"
  docker buildx build --progress=quiet --provenance=false -f "$dir/speck.yaml" \
    --build-context toolchain=docker-image://local/speck-toolchain:c \
    --build-arg SOURCE_DATE_EPOCH=0 -t "speck-demo/pausle:$profile" --load "$dir" >/dev/null
  binary=$(docker image inspect -f '{{index .Config.Labels "dev.speck.binary.size"}}' "speck-demo/pausle:$profile")
  image=$(docker image inspect -f '{{.Size}}' "speck-demo/pausle:$profile")
  id=$(docker run -d --network=none "speck-demo/pausle:$profile")
  sleep 0.3
  state=$(docker inspect -f '{{.State.Status}}' "$id")
  docker rm -f "$id" >/dev/null
  rows+=("$(printf '%-8s %12s %14s   %s' "$profile" "$binary B" "$image B" "$state")")
done

step "pausle, built by speck (the blog's glibc-static image was 727 kB)"
printf '%-8s %12s %14s   %s\n' profile binary "image (gzip)" "docker run"
printf '%s\n' "${rows[@]}"
for profile in size tiny speed debug; do docker image rm -f "speck-demo/pausle:$profile" >/dev/null; done
