# Two speck builds, each for two platforms, with one build cache: `docker buildx bake` in this
# directory builds examples/hello and examples/crc32 for linux/amd64 and linux/arm64.
#
#   docker buildx bake                                   build both, cache nowhere
#   CACHE_REPO=registry.example/team/speck-cache docker buildx bake   a registry (log in first)
#   CACHE_DIR=/var/cache/speck docker buildx bake        a directory a CI runner keeps
#
# Every target and platform is cross-compiled on the builder's own platform: no emulation.

# The cache: a registry repository or a directory (or neither). Each target keeps its cache
# under its own name in it, because a target that wrote another's would replace it.
variable "CACHE_REPO" {
  default = ""
}
variable "CACHE_DIR" {
  default = ""
}

# A prepared toolchain image for air-gapped builds (docker-image://<image>), given to speck as
# the `toolchain` build context; empty: speck installs its toolchain from the Alpine image.
variable "TOOLCHAIN" {
  default = ""
}

function "cache_from" {
  params = [name]
  result = concat(
    CACHE_REPO == "" ? [] : ["type=registry,ref=${CACHE_REPO}:${name}"],
    CACHE_DIR == "" ? [] : ["type=local,src=${CACHE_DIR}/${name}"],
  )
}

# mode=max: speck's compiled units are intermediate build steps, not layers of the final
# image, and mode=min exports only the final image's layers.
function "cache_to" {
  params = [name]
  result = concat(
    CACHE_REPO == "" ? [] : ["type=registry,ref=${CACHE_REPO}:${name},mode=max"],
    CACHE_DIR == "" ? [] : ["type=local,dest=${CACHE_DIR}/${name},mode=max"],
  )
}

group "default" {
  targets = ["examples"]
}

# One target per spec: `hello` and `crc32` (build one with `docker buildx bake hello`).
target "examples" {
  name       = spec
  matrix     = { spec = ["hello", "crc32"] }
  context    = "../../${spec}"
  dockerfile = "speck.yaml"
  platforms  = ["linux/amd64", "linux/arm64"]
  contexts   = TOOLCHAIN == "" ? {} : { toolchain = TOOLCHAIN }
  tags       = ["speck-examples/${spec}"]
  cache-from = cache_from(spec)
  cache-to   = cache_to(spec)
}
