# The dummy-main.rs pattern for examples/rust-serde (a workspace with the path crate greeting/, crates
# vendored in the bench's copy): compile the dependencies against the manifests, the lock, the vendored
# crates and empty stub targets (a layer cached while those do not change), then copy the sources and build
# again. The stubs' build leaves fingerprints newer than the real sources' mtimes, so cargo would keep the
# stubs (cargo #2644, #9312): the `touch` after the COPY is the part users must not forget.
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
COPY greeting/Cargo.toml greeting/
COPY .cargo .cargo
COPY vendor vendor
ENV RUSTFLAGS="-C target-feature=+crt-static"
RUN mkdir -p src greeting/src && echo 'fn main() {}' >src/main.rs && : >greeting/src/lib.rs && \
    cargo build --release --locked --target x86_64-alpine-linux-musl && rm -rf src greeting/src
COPY . .
RUN touch src/main.rs greeting/src/lib.rs && cargo build --release --locked --target x86_64-alpine-linux-musl && \
    strip -o /app target/x86_64-alpine-linux-musl/release/rust-serde

FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
