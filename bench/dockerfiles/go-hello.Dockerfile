# The hand-written baseline for examples/go-hello: the usual multi-stage Go Dockerfile.
# Built offline from the prepared Go toolchain image (Debian's Go 1.24 on the C toolchain).
FROM local/speck-toolchain:go AS build
WORKDIR /src
COPY go.mod ./
RUN ["go", "mod", "download"]
COPY . .
ENV CGO_ENABLED=0
RUN ["go", "build", "-ldflags=-s -w", "-o", "/go-hello", "."]

FROM scratch
COPY --from=build /go-hello /go-hello
USER 65534:65534
ENTRYPOINT ["/go-hello"]
