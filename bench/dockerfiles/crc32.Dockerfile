# The hand-written baseline for examples/crc32: what a careful user writes without speck.
# Built offline from the prepared toolchain image (cc is musl-gcc; zlib's static musl build is in it).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY include/ include/
COPY src/ src/
RUN ["cc", "-static", "-Os", "-s", "-Iinclude", "-o", "/crc32", "src/hex.c", "src/main.c", "src/sum.c", "-lz"]

FROM scratch
COPY --from=build /crc32 /crc32
USER 65534:65534
ENTRYPOINT ["/crc32"]
