# The best a Dockerfile user can do for incremental C builds without speck: one compile per
# file through ccache, its cache in a cache mount (kept by the daemon between builds, never
# exported with --cache-to), the files compiled in parallel, then one link.
# NAME: the binary; LIBS: libraries to link (-lz). bench/ccache-image.sh makes the base image.
FROM local/speck-bench-ccache AS build
ARG NAME
ARG LIBS=""
WORKDIR /src
COPY include/ include/
COPY src/ src/
RUN --mount=type=cache,target=/ccache \
    export CCACHE_DIR=/ccache && mkdir -p /obj && \
    find src -name '*.c' | LC_ALL=C sort | \
      xargs -P "$(nproc)" -I{} sh -c 'ccache cc -static -Os -Iinclude -c -o "/obj/$(echo "$1" | tr / _).o" "$1"' _ {} && \
    cc -static -Os -s -o "/$NAME" $(ls /obj/*.o | LC_ALL=C sort) $LIBS

FROM scratch
ARG NAME
COPY --from=build /$NAME /app
USER 65534:65534
ENTRYPOINT ["/app"]
