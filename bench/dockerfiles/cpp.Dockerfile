# The hand-written baseline for examples/cpp: what a careful user writes without speck.
# Built offline from the prepared toolchain image (cc is musl-gcc, c++ is glibc g++).
FROM local/speck-toolchain:c AS build
WORKDIR /src
COPY main.cpp main.cpp
RUN ["c++", "-static", "-Os", "-s", "-o", "/cpp-demo", "main.cpp"]

FROM scratch
COPY --from=build /cpp-demo /cpp-demo
USER 65534:65534
ENTRYPOINT ["/cpp-demo"]
