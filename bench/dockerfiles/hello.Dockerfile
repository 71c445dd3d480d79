# The hand-written baseline for examples/hello: what a careful user writes without speck.
# Built offline from the prepared toolchain image (cc is musl-gcc, c++ is glibc g++).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY hello.c hello.c
RUN ["cc", "-static", "-Os", "-s", "-o", "/hello", "hello.c"]

FROM scratch
COPY --from=build /hello /hello
USER 65534:65534
ENTRYPOINT ["/hello"]
