# The Dockerfile a user writes for a CMake project on Alpine (issue 21's baseline for the generated
# ~100-unit CMake program, bench/gen-c-project.ts `build: "cmake"`): configure with Ninja and build
# in one RUN, a static binary with clang and lld, copied into scratch. Any change to the context
# runs that RUN again from nothing: configure, then every unit.
FROM alpine:3.22 AS build
RUN apk add --no-cache --no-progress cmake samurai clang lld musl-dev
WORKDIR /src
COPY . .
RUN cmake -G Ninja -S . -B /build -DCMAKE_BUILD_TYPE=MinSizeRel -DCMAKE_C_COMPILER=clang \
      -DCMAKE_EXE_LINKER_FLAGS="-static -fuse-ld=lld -s" && \
    ninja -C /build gen

FROM scratch
COPY --from=build /build/gen /gen
USER 65534:65534
ENTRYPOINT ["/gen"]
