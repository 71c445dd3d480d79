# The single-cc baseline for the generated program (bench/gen-c-project.ts): one compiler run
# over every source, as a Dockerfile user writes it. Shell form only to expand the source list.
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY include/ include/
COPY src/ src/
RUN cc -static -Os -s -Iinclude -o /gen $(find src -name '*.c' | LC_ALL=C sort)

FROM scratch
COPY --from=build /gen /gen
USER 65534:65534
ENTRYPOINT ["/gen"]
