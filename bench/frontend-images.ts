// Variants of the frontend image that only the bench builds: one with a warm
// V8 compile cache (bench/dockerfiles/frontend-compile-cache.Dockerfile over
// any frontend image) and one whose bundle times every gateway call
// (bench/frontend-trace.ts, bundled by test/e2e/build-frontend-image.sh).

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Daemon } from "../test/e2e/daemon.js";
import { buildx, daemonEnv } from "../test/e2e/docker.js";
import { run } from "../test/e2e/run.js";
import { DOCKERFILES, removeDir } from "./builds.js";

const REPO = resolve(import.meta.dirname, "..");

/** FROM base + a compile cache filled by one `frontend` start. */
export async function buildCompileCacheImage(d: Daemon, base: string, tag: string, timeoutMs: number): Promise<void> {
  const empty = await mkdtemp(join(tmpdir(), "speck-bench-empty-"));
  try {
    await buildx(d, {
      context: empty,
      file: join(DOCKERFILES, "frontend-compile-cache.Dockerfile"),
      buildArgs: { BASE: base },
      tags: [tag],
      load: true,
      timeoutMs,
    });
  } finally {
    await removeDir(empty);
  }
}

/** The frontend image built as the tests build it, from the tracing entry instead of frontend/main.ts. */
export async function buildTraceImage(d: Daemon, tag: string, timeoutMs: number): Promise<void> {
  await run([join(REPO, "test/e2e/build-frontend-image.sh"), tag], {
    env: daemonEnv(d, { SPECK_BUNDLE_ENTRY: join(REPO, "bench/frontend-trace.ts") }),
    timeoutMs,
  });
}
