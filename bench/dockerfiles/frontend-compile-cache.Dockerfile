# Bench only: the frontend image with a warm V8 compile cache (Node >= 22.1 reads
# NODE_COMPILE_CACHE), to measure whether baking one in would shorten start-up.
# The project's Dockerfile is unchanged; this image is built FROM it.
ARG BASE=speck:e2e
FROM ${BASE}
ENV NODE_COMPILE_CACHE=/speck/.compile-cache
# --help loads the whole bundle (one module), which is what the cache holds.
RUN ["/usr/local/bin/node", "/speck/speck.mjs", "--help"]
