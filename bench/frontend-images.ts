// Variants of the frontend image that only the bench builds: one with a warm
// V8 compile cache (bench/dockerfiles/frontend-compile-cache.Dockerfile over
// any frontend image), one whose bundle times every gateway call
// (bench/frontend-trace.ts), one whose bundle is the gateway runtime around an
// empty build (bench/null-frontend.ts), and any frontend image with another
// ENTRYPOINT (the floors under a no-op rebuild).

import { mkdtemp, writeFile } from "node:fs/promises";
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

/** The frontend image built as the tests build it, from another entry module instead of frontend/main.ts. */
async function buildBundleImage(d: Daemon, entry: string, tag: string, timeoutMs: number): Promise<void> {
  await run([join(REPO, "test/e2e/build-frontend-image.sh"), tag], {
    env: daemonEnv(d, { SPECK_BUNDLE_ENTRY: join(REPO, entry) }),
    timeoutMs,
  });
}

/** The frontend image whose bundle times every gateway call (bench/frontend-trace.ts). */
export function buildTraceImage(d: Daemon, tag: string, timeoutMs: number): Promise<void> {
  return buildBundleImage(d, "bench/frontend-trace.ts", tag, timeoutMs);
}

/** The frontend image whose bundle runs the gateway runtime around an empty build (bench/null-frontend.ts). */
export function buildNullImage(d: Daemon, tag: string, timeoutMs: number): Promise<void> {
  return buildBundleImage(d, "bench/null-frontend.ts", tag, timeoutMs);
}

/** The same empty build over node:http2 directly (bench/http2-null-frontend.ts): no grpc-js, no relay. */
export function buildHttp2NullImage(d: Daemon, tag: string, timeoutMs: number): Promise<void> {
  return buildBundleImage(d, "bench/http2-null-frontend.ts", tag, timeoutMs);
}

/**
 * A Dockerfile that gives `base` another entrypoint. Exec form (a JSON array), so
 * BuildKit runs argv[0] directly and no shell ever parses the arguments; labels,
 * env and files all come from `base`.
 */
export function entrypointDockerfile(base: string, entrypoint: readonly string[]): string {
  if (!/^[^\s]+$/.test(base)) throw new TypeError(`entrypointDockerfile: want an image reference without spaces, got ${JSON.stringify(base)}`);
  if (entrypoint.length === 0 || entrypoint.some((a) => a === "")) {
    throw new TypeError(`entrypointDockerfile: want a non-empty argv of non-empty strings, got ${JSON.stringify(entrypoint)}`);
  }
  return `FROM ${base}\nENTRYPOINT ${JSON.stringify(entrypoint)}\n`;
}

/** FROM base with another ENTRYPOINT; the Dockerfile is written to a scratch directory that is also the (otherwise empty) context. */
export async function buildEntrypointImage(d: Daemon, base: string, tag: string, entrypoint: readonly string[], timeoutMs: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "speck-bench-entrypoint-"));
  try {
    const file = join(dir, "Dockerfile");
    await writeFile(file, entrypointDockerfile(base, entrypoint));
    await buildx(d, { context: dir, file, tags: [tag], load: true, timeoutMs });
  } finally {
    await removeDir(dir);
  }
}
