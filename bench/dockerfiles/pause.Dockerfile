# The hand-written baseline for examples/pause: what a careful user writes without speck.
# Built offline from the prepared toolchain image (cc is musl-gcc, c++ is glibc g++).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY pause.c pause.c
RUN ["cc", "-static", "-Os", "-s", "-o", "/pause", "pause.c"]

FROM scratch
COPY --from=build /pause /pause
USER 65534:65534
ENTRYPOINT ["/pause"]
