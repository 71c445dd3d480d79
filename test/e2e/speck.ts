// Helpers for building speck files on a test daemon: every build uses the
// offline toolchain image as the prepared `toolchain` context, as an
// air-gapped user would.

import { cp, mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { onTestFinished } from "vitest";
import { buildx, docker, FRONTEND_IMAGE, TOOLCHAIN_IMAGE, type BuildxOptions, type Daemon, type RunResult } from "./helpers.js";
import { rm } from "node:fs/promises";

export const REPO = resolve(import.meta.dirname, "../..");
export const SYNTAX = `# syntax=${FRONTEND_IMAGE}`;

export type SpeckBuildOptions = Omit<BuildxOptions, "file" | "context"> & {
  readonly dir: string;
  /** Build file name inside `dir`; default speck.yaml. */
  readonly file?: string;
  /** Leave out the prepared toolchain (to test the base-image path or its absence). */
  readonly withoutToolchain?: boolean;
};

export function speckBuild(daemon: Daemon, o: SpeckBuildOptions): Promise<RunResult> {
  const { dir, file, withoutToolchain, buildContexts, ...rest } = o;
  return buildx(daemon, {
    ...rest,
    context: dir,
    file: join(dir, file ?? "speck.yaml"),
    buildContexts: { ...(withoutToolchain ? {} : { toolchain: `docker-image://${TOOLCHAIN_IMAGE}` }), ...buildContexts },
  });
}

/** A copy of examples/NAME in a temp dir (tests may touch files; the repo stays clean). */
export async function exampleCopy(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `speck-${name}-`));
  await cp(join(REPO, "examples", name), dir, { recursive: true });
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Removes an image when the test ends, whatever happened. */
export function cleanupImage(daemon: Daemon, tag: string): void {
  onTestFinished(async () => {
    await docker(daemon, ["image", "rm", "-f", tag], { check: false });
  });
}

/** A unique tag per daemon and test, so parallel runs and stale images cannot pass a test. */
export function tagFor(daemon: Daemon, what: string): string {
  return `speck-e2e/${what}:${daemon.name}-${process.pid}`;
}

export async function readText(path: string): Promise<string> {
  return readFile(path, "utf8");
}
