# Bench only: the frontend image with a warm V8 compile cache (Node >= 22.1 reads
# NODE_COMPILE_CACHE), to measure whether baking one in would shorten start-up.
# The project's Dockerfile is unchanged; this image is built FROM it (BASE).
ARG BASE=speck:e2e
FROM ${BASE}
ENV NODE_COMPILE_CACHE=/speck/.compile-cache
# Fill the cache the way a build uses the bundle: `frontend` loads the gateway and build
# modules, then stops at once because stdin is empty (no BuildKit on the other end); node
# writes the cache as it exits. The image has no shell, hence node as the launcher.
RUN ["/usr/local/bin/node", "-e", "const r = require('node:child_process').spawnSync(process.execPath, ['/speck/speck.mjs', 'frontend'], { stdio: 'ignore', timeout: 30000 }); if (r.error) throw r.error;"]
