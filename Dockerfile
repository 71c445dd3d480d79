# The speck frontend image. BuildKit starts it for every build whose file begins with
# `# syntax=<this image>` and talks gRPC with it over stdin/stdout.
#
#   docker buildx build -t speck .
#
# The image is `scratch` plus what Node needs at run time: the node binary (stripped), the
# shared libraries `ldd` lists for it and their loader, and speck as a V8 startup snapshot.
# No shell, no package manager, no npm. Every build starts this container, so it is also
# what every fresh CI runner pulls first (bench/README.md has the numbers per base).
#
# Two stages can be replaced with --build-context, which is how the offline test bed builds it
# (test/e2e/build-frontend-image.sh):
#   build         a directory holding speck/snapshot.cjs (`node scripts/bundle.mjs --snapshot`,
#                 with the SPECK_* values passed as build arguments too, so that labels and bundle agree)
#   runtime-base  any glibc image with Node.js 22 at /usr/local/bin/node and a shell, ldd,
#                 strip and chroot (the node binary and its libraries are taken from it)

# What the image says it is: its OCI labels, `speck version` and the first progress line of every
# build (scripts/identity.mjs). A release sets all three (.github/workflows/release.yml); the
# defaults are package.json's version (frontend/version.test.ts keeps them equal) and "unknown",
# as .git is not part of the context.
ARG SPECK_VERSION=0.1.0
ARG SPECK_REVISION=unknown
ARG SPECK_SOURCE=unknown

# Node only bundles here; the result is one self-contained CommonJS script, the same for every
# platform, so it is made once, on the build machine's own platform.
FROM --platform=$BUILDPLATFORM node:22-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY proto/ proto/
COPY llb/ llb/
COPY frontend/ frontend/
# The rootfs stage takes /speck/ from here: the same path as in a directory given with
# --build-context build=DIR. The three ARGs reach bundle.mjs as environment variables.
ARG SPECK_VERSION SPECK_REVISION SPECK_SOURCE
RUN mkdir /speck && node scripts/bundle.mjs --snapshot --outfile /speck/snapshot.cjs

# Where node comes from: the official build, with the Debian libraries it was linked against.
# The full (not -slim) image, as this stage also needs binutils for strip; none of it ships.
# It is the target platform's image: the snapshot below must be written by the very node binary
# that will load it, so for another architecture this stage runs under emulation (qemu-user via
# binfmt_misc; e.g. docker/setup-qemu-action in CI). Measured in README.md ("The frontend image").
FROM node:22-bookworm AS runtime-base

FROM runtime-base AS rootfs
COPY --from=build /speck/snapshot.cjs /tmp/speck/snapshot.cjs
# Everything the final image holds is assembled under /rootfs:
# - node without its symbols and debug info (the official binary carries them: ~17 MB);
# - each library `ldd` names, by the path the loader will look for it at, and the loader;
# - /tmp, where the gateway transport makes its relay socket;
# - the startup snapshot, written by this same node (a blob only loads into the node
#   version that built it) running the bundle once: `--build-snapshot` runs the script,
#   which registers the frontend to start when the snapshot is deserialised.
# Then the assembled tree is tried as the final image will run it (chroot, no stdin): it must
# load every library and start from the snapshot (and fail at once, having no BuildKit to talk to).
RUN set -eu; \
    mkdir -p /rootfs/usr/local/bin /rootfs/speck; \
    strip --strip-all -o /rootfs/usr/local/bin/node /usr/local/bin/node; \
    for lib in $(ldd /usr/local/bin/node | grep -o '/[^ ]*'); do \
      mkdir -p "/rootfs$(dirname "$lib")"; \
      cp -L "$lib" "/rootfs$lib"; \
    done; \
    mkdir -m 1777 /rootfs/tmp; \
    cd /tmp/speck; \
    /usr/local/bin/node --snapshot-blob /rootfs/speck/speck.blob --build-snapshot snapshot.cjs; \
    out=$(SPECK_STARTUP_REPORT=1 chroot /rootfs /usr/local/bin/node --snapshot-blob /speck/speck.blob </dev/null 2>&1 >/dev/null || true); \
    case "$out" in *"started from the V8 startup snapshot"*) ;; *) echo "the assembled image does not start: $out" >&2; exit 1;; esac

FROM scratch
COPY --from=rootfs /rootfs/ /
ARG SPECK_VERSION SPECK_REVISION SPECK_SOURCE
LABEL org.opencontainers.image.title="speck" \
      org.opencontainers.image.description="A BuildKit frontend that turns a few lines of YAML into the smallest static container image" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${SPECK_VERSION}" \
      org.opencontainers.image.revision="${SPECK_REVISION}" \
      org.opencontainers.image.source="${SPECK_SOURCE}"
# The frontend needs no network: everything it fetches goes through BuildKit's gateway API.
LABEL moby.buildkit.frontend.network.none="true"
# inputs: buildx sends LLB inputs (remote contexts, --build-context name=<state>);
# contexts: --build-context reaches the frontend as context:<name>;
# subrequests: --check, --call=targets and --call=outline (answered without building).
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
# Exec form with absolute paths: BuildKit runs the entrypoint directly (no shell) and ignores CMD.
# From the snapshot, node runs the frontend (frontend/snapshot.ts); it takes no script argument.
ENTRYPOINT ["/usr/local/bin/node", "--snapshot-blob", "/speck/speck.blob"]
