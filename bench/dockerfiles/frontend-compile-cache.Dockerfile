# Bench only: the frontend image as it started before its V8 startup snapshot (issue 15):
# the same scratch image (BASE: node and its libraries) plus the ES module bundle and a warm
# V8 compile cache (Node >= 22.1 reads NODE_COMPILE_CACHE). The context holds speck.mjs.
ARG BASE=speck:e2e
FROM ${BASE}
COPY speck.mjs /speck/speck.mjs
ENV NODE_COMPILE_CACHE=/speck/.compile-cache
# Fill the cache the way a build uses the bundle: `frontend` loads the gateway and build
# modules, then stops at once because stdin is empty (no BuildKit on the other end); node
# writes the cache as it exits. The image has no shell, hence node as the launcher.
RUN ["/usr/local/bin/node", "-e", "const r = require('node:child_process').spawnSync(process.execPath, ['/speck/speck.mjs', 'frontend'], { stdio: 'ignore', timeout: 30000 }); if (r.error) throw r.error;"]
ENTRYPOINT ["/usr/local/bin/node", "/speck/speck.mjs", "frontend"]
