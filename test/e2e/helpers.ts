// What e2e test files import: the daemons to run on, docker/buildx runners, fixtures, image
// inspection, and the daemon's log when a test fails.
import { openSync, readSync, closeSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, inject, it, onTestFinished } from "vitest";
import type { Daemon } from "./daemon.js";

export type { Daemon } from "./daemon.js";
export { EXAMPLES_SYNTAX, FRONTEND_IMAGE, NODE_IMAGE, TOOLCHAIN_IMAGE } from "./daemon.js";
export { buildx, buildxArgs, daemonEnv, docker, type BuildxOptions, type DockerOptions } from "./docker.js";
export { imageLayers, inspectImage, tarballLayers, type ImageInspect, type LayerEntry } from "./image.js";
export { RunError, type RunResult } from "./run.js";

/**
 * `describe(title [daemon], fn)` once per daemon from the global setup. Every test in it prints
 * what the daemon logged during the test when it fails (a frontend's stderr goes there). When
 * the e2e tier has no daemon, the block is registered as skipped, so it is reported as skipped.
 */
export function describeDaemons(title: string, fn: (daemon: Daemon) => void): void {
  const daemons = inject("daemons");
  if (daemons.length === 0) {
    describe.skip(`${title} (e2e skipped: ${inject("e2eSkipReason")})`, () => {
      it("needs a BuildKit daemon", () => undefined);
    });
    return;
  }
  for (const daemon of daemons) {
    describe(`${title} [${daemon.name}]`, () => {
      printDaemonLogOnFailure(daemon);
      fn(daemon);
    });
  }
}

/**
 * describeDaemons on the last daemon only (the newest: the set-up lists d26 before d28), for checks
 * the BuildKit version cannot change, so the tier does not build the same thing twice.
 */
export function describeNewestDaemon(title: string, fn: (daemon: Daemon) => void): void {
  const newest = inject("daemons").at(-1);
  if (newest === undefined) {
    describeDaemons(title, fn);
    return;
  }
  describe(`${title} [${newest.name}]`, () => {
    printDaemonLogOnFailure(newest);
    fn(newest);
  });
}

/** Registers hooks that print the daemon log written during a test, if that test failed. */
export function printDaemonLogOnFailure(daemon: Daemon): void {
  const file = daemon.logFile;
  if (file === null) return;
  let offset = 0;
  beforeEach(() => {
    offset = fileSize(file);
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state !== "fail") return;
    const text = readFrom(file, offset, 64 * 1024);
    process.stderr.write(`--- ${daemon.name} dockerd.log during "${ctx.task.name}" (${file}) ---\n${text}\n--- end ---\n`);
  });
}

/** The last `lines` lines of the daemon's log ("" when the log is unknown). */
export function daemonLogTail(daemon: Daemon, lines = 50): string {
  if (daemon.logFile === null) return "";
  const text = readFrom(daemon.logFile, Math.max(0, fileSize(daemon.logFile) - 256 * 1024), 256 * 1024);
  return text.split("\n").slice(-lines - 1).join("\n");
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Up to `max` bytes of `file` from `offset` (the tail end when there is more). */
function readFrom(file: string, offset: number, max: number): string {
  const size = fileSize(file);
  const start = Math.max(offset, size - max);
  if (size <= start) return "";
  const buf = Buffer.alloc(size - start);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  return buf.toString("utf8");
}

/**
 * Writes `files` (relative path → content) into a new temporary directory and returns its path.
 * Called inside a test, the directory is removed when the test finishes; set SPECK_E2E_KEEP=1 to
 * keep it for a look after a failure.
 */
export async function fixture(files: Readonly<Record<string, string | Uint8Array>>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "speck-e2e-"));
  for (const [rel, content] of Object.entries(files)) {
    if (rel.startsWith("/") || rel.split("/").includes("..")) throw new Error(`fixture path must be relative: ${rel}`);
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  if (!process.env["SPECK_E2E_KEEP"]) onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
