# The usual Dockerfile for a static Rust binary on Alpine: the toolchain from apk, the whole context
# copied, one `cargo build --release` for the musl target with +crt-static, strip, the binary into scratch.
# Any edit invalidates the COPY, so every crate is compiled again. Offline in the bench: `alpine:3.22` is
# the test bed's stand-in (a named context) and the crates come vendored in the context.
FROM alpine:3.22 AS build
RUN ["apk", "add", "--no-cache", "cargo", "rust", "gcc", "musl-dev"]
# The release profile: cargo's own defaults unless the bench passes the settings of the speck profile it
# compares with (bench/rust.ts turns speck's profile table into these), so both sides compile alike. Declared
# after the toolchain install, which every profile shares.
ARG CARGO_PROFILE_RELEASE_OPT_LEVEL=3
ARG CARGO_PROFILE_RELEASE_LTO=false
ARG CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
ARG CARGO_PROFILE_RELEASE_STRIP=none
ARG CARGO_PROFILE_RELEASE_PANIC=unwind
WORKDIR /src
COPY . .
ENV RUSTFLAGS="-C target-feature=+crt-static"
RUN ["cargo", "build", "--release", "--locked", "--target", "x86_64-alpine-linux-musl"]
ARG BIN
RUN strip -o /app "target/x86_64-alpine-linux-musl/release/$BIN"

FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
