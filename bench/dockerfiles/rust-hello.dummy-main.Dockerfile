# The dummy-main.rs pattern for examples/rust-hello: compile the dependencies against the manifest, the lock
# and an empty stub main (a layer cached while those two files do not change), then copy the sources and
# build again. The stub's build leaves fingerprints newer than the real source's mtime, so cargo would keep
# the stub binary (cargo #2644, #9312): the `touch` after the COPY is the part users must not forget.
# Offline in the bench: `alpine:3.22` is the test bed's stand-in (a named context).
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
COPY Cargo.toml Cargo.lock ./
ENV RUSTFLAGS="-C target-feature=+crt-static"
RUN mkdir src && echo 'fn main() {}' >src/main.rs && \
    cargo build --release --locked --target x86_64-alpine-linux-musl && rm -rf src
COPY . .
RUN touch src/main.rs && cargo build --release --locked --target x86_64-alpine-linux-musl && \
    strip -o /app target/x86_64-alpine-linux-musl/release/rust-hello

FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
