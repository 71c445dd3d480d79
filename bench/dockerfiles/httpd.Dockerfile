# The hand-written baseline for examples/httpd: what a careful user writes without speck.
# Built offline from the prepared toolchain image (cc is musl-gcc, c++ is glibc g++).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY httpd.c httpd.c
RUN ["cc", "-static", "-Os", "-s", "-o", "/httpd", "httpd.c"]

FROM scratch
COPY --from=build /httpd /httpd
USER 65534:65534
ENTRYPOINT ["/httpd"]
