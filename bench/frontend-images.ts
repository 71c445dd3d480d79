// Variants of the frontend image that only the bench builds: one that starts
// from the ES module bundle with a warm V8 compile cache instead of the startup
// snapshot (bench/dockerfiles/frontend-compile-cache.Dockerfile), one on a
// Debian base instead of scratch (frontend-debian.Dockerfile), the node binary
// alone (frontend-node-only.Dockerfile, a floor for bytes), one whose bundle
// times every gateway call (bench/frontend-trace.ts), one whose bundle is the
// gateway runtime around an empty build (bench/null-frontend.ts), and any
// frontend image with another ENTRYPOINT (the floors under a no-op rebuild).

import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Daemon } from "../test/e2e/daemon.js";
import { buildx, daemonEnv } from "../test/e2e/docker.js";
import { run } from "../test/e2e/run.js";
import { DOCKERFILES, removeDir } from "./builds.js";

const REPO = resolve(import.meta.dirname, "..");

/** Builds bench/dockerfiles/FILE with `context` (an empty directory when not given). */
async function buildBenchDockerfile(d: Daemon, file: string, buildArgs: Record<string, string>, tag: string, timeoutMs: number, context?: string): Promise<void> {
  const dir = context ?? (await mkdtemp(join(tmpdir(), "speck-bench-empty-")));
  try {
    await buildx(d, { context: dir, file: join(DOCKERFILES, file), buildArgs, tags: [tag], load: true, timeoutMs });
  } finally {
    if (context === undefined) await removeDir(dir);
  }
}

/**
 * The image `base` (scratch, node, its libraries) starting from the ES module bundle of `entry`
 * (frontend/main.ts unless given) with a compile cache filled by one `frontend` start: how the
 * image started before the startup snapshot.
 */
export async function buildCompileCacheImage(d: Daemon, base: string, tag: string, timeoutMs: number, entry?: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "speck-bench-esm-"));
  try {
    await run([process.execPath, join(REPO, "scripts/bundle.mjs"), "--outfile", join(dir, "speck.mjs"), ...(entry ? ["--entry", join(REPO, entry)] : [])], { timeoutMs });
    await buildBenchDockerfile(d, "frontend-compile-cache.Dockerfile", { BASE: base }, tag, timeoutMs, dir);
  } finally {
    await removeDir(dir);
  }
}

/** The project image's snapshot, labels and entrypoint on `node` (a Debian image with Node 22) instead of scratch. */
export function buildDebianImage(d: Daemon, base: string, node: string, tag: string, timeoutMs: number): Promise<void> {
  return buildBenchDockerfile(d, "frontend-debian.Dockerfile", { BASE: base, NODE: node }, tag, timeoutMs);
}

/** Only the node binary of `base`, in scratch: the floor under the image's bytes. */
export function buildNodeOnlyImage(d: Daemon, base: string, tag: string, timeoutMs: number): Promise<void> {
  return buildBenchDockerfile(d, "frontend-node-only.Dockerfile", { BASE: base }, tag, timeoutMs);
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
