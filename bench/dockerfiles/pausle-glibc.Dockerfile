# Context only: pausle as the blog built it, a glibc static binary (Debian's gcc, not musl-gcc).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY pausle.c pausle.c
RUN ["/usr/bin/gcc", "-static", "-Os", "-s", "-o", "/pausle", "pausle.c"]

FROM scratch
COPY --from=build /pausle /pausle
USER 65534:65534
ENTRYPOINT ["/pausle"]
