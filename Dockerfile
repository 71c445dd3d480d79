# The speck frontend image. BuildKit starts it for every build whose file begins with
# `# syntax=<this image>` and talks gRPC with it over stdin/stdout.
#
#   docker buildx build -t speck .
#
# Two stages can be replaced with --build-context, which is how the offline test bed builds it
# (test/e2e/build-frontend-image.sh):
#   build         a directory holding speck/speck.mjs (the esbuild bundle made by `npm run build`)
#   runtime-base  any image with Node.js >= 20 at /usr/local/bin/node

# Node only bundles here; the result is one self-contained ES module.
FROM node:22-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY proto/ proto/
COPY llb/ llb/
COPY frontend/ frontend/
# The runtime stage takes /speck/ from here: the same path as in a directory given with
# --build-context build=DIR.
RUN npm run build && mkdir /speck && cp dist/speck.mjs /speck/speck.mjs

FROM node:22-bookworm-slim AS runtime-base

FROM runtime-base
COPY --from=build /speck/ /speck/
# A warm V8 compile cache (Node >= 22.1; older Node ignores it): every build starts this
# container, and reading compiled code instead of parsing the 1.7 MB bundle saves ~17 ms of
# each start (bench/README.md). It is filled the way a build uses the bundle: `frontend` loads
# the gateway and build modules, then stops at once because stdin is empty. No shell in the
# runtime image, so node launches node.
ENV NODE_COMPILE_CACHE=/speck/.compile-cache
RUN ["/usr/local/bin/node", "-e", "require('node:child_process').spawnSync(process.execPath, ['/speck/speck.mjs', 'frontend'], { stdio: 'ignore', timeout: 30000 })"]
# The frontend needs no network: everything it fetches goes through BuildKit's gateway API.
LABEL moby.buildkit.frontend.network.none="true"
# inputs: buildx sends LLB inputs (remote contexts, --build-context name=<state>);
# contexts: --build-context reaches the frontend as context:<name>;
# subrequests: --check and --call=targets (answered without building).
LABEL moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
# Exec form with an absolute path: BuildKit runs the entrypoint directly (no shell) and ignores CMD.
ENTRYPOINT ["/usr/local/bin/node", "/speck/speck.mjs", "frontend"]
