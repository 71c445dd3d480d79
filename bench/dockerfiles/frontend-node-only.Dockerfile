# Bench only: the floor under the frontend image's size: the node binary of the project
# image (BASE) alone in scratch, compressed by the same exporter.
ARG BASE=speck:e2e
FROM ${BASE} AS speck
FROM scratch
COPY --from=speck /usr/local/bin/node /usr/local/bin/node
