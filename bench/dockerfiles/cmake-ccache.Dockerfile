# cmake.Dockerfile with the best a Dockerfile user can add: ccache as CMake's compiler launcher, its
# cache in a cache mount (kept by the daemon between builds, never exported with --cache-to), so a
# rebuild after an edit configures again but compiles only what ccache has not seen.
FROM alpine:3.22 AS build
RUN apk add --no-cache --no-progress cmake samurai clang lld musl-dev ccache
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/ccache \
    export CCACHE_DIR=/ccache && \
    cmake -G Ninja -S . -B /build -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_C_COMPILER=clang \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_EXE_LINKER_FLAGS="-static -fuse-ld=lld -s" && \
    ninja -C /build gen

FROM scratch
COPY --from=build /build/gen /gen
USER 65534:65534
ENTRYPOINT ["/gen"]
