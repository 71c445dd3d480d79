# The hand-written baseline for examples/go-httpd: the usual multi-stage Go Dockerfile.
# Built offline from the prepared Go toolchain image (Debian's Go 1.24 on the C toolchain).
FROM local/speck-toolchain:go AS build
WORKDIR /src
COPY go.mod ./
RUN ["go", "mod", "download"]
COPY . .
ENV CGO_ENABLED=0
RUN ["go", "build", "-ldflags=-s -w", "-o", "/go-httpd", "./cmd/go-httpd"]

FROM scratch
COPY --from=build /go-httpd /go-httpd
USER 65534:65534
ENV PORT=8080
EXPOSE 8080/tcp
STOPSIGNAL SIGTERM
ENTRYPOINT ["/go-httpd"]
