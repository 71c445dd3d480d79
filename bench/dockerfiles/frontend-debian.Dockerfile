# Bench only: the frontend image on a Debian base instead of scratch, to compare bases by
# bytes and start-up. NODE is the Dockerfile's runtime-base (offline: local/speck-node:22, a
# stand-in for node:22-bookworm with Debian's essential set); the snapshot, labels and
# entrypoint are the project image's (BASE), so only the base differs. The snapshot loads
# here because it is the same Node release, unstripped.
ARG BASE=speck:e2e
ARG NODE=local/speck-node:22
FROM ${BASE} AS speck
FROM ${NODE}
COPY --from=speck /speck/ /speck/
LABEL moby.buildkit.frontend.network.none="true"
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
ENTRYPOINT ["/usr/local/bin/node", "--snapshot-blob", "/speck/speck.blob"]
