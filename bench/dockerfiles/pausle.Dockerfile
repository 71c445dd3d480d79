# The hand-written baseline for examples/pausle: what a careful user writes without speck.
# Built offline from the prepared toolchain image (cc is musl-gcc, c++ is glibc g++).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY pausle.c pausle.c
RUN ["cc", "-static", "-Os", "-s", "-o", "/pausle", "pausle.c"]

FROM scratch
COPY --from=build /pausle /pausle
USER 65534:65534
ENTRYPOINT ["/pausle"]
