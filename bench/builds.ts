// The two ways the bench builds one program: through speck (the example's
// speck.yaml, the prepared toolchain as the `toolchain` context) and through
// the daemon's built-in Dockerfile frontend (a hand-written Dockerfile under
// bench/dockerfiles/). Builds run in a temporary copy of the example, so the
// bench can change sources and profiles without touching the repository.

import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { TOOLCHAIN_IMAGE, type Daemon } from "../test/e2e/daemon.js";
import { buildx, type BuildxOptions } from "../test/e2e/docker.js";
import type { RunResult } from "../test/e2e/run.js";

const REPO = resolve(import.meta.dirname, "..");
export const DOCKERFILES = join(REPO, "bench/dockerfiles");

export interface Example {
  readonly name: string;
  /** The binary's file name in the image. */
  readonly binary: string;
  /** A source file the "touch" rebuild changes. */
  readonly touch: string;
  /** The prepared toolchain speck gets as the `toolchain` context; default TOOLCHAIN_IMAGE (C). */
  readonly toolchain?: string;
}

/** Debian's Go 1.24 on the C toolchain image (test/e2e/base-images.sh). */
export const GO_TOOLCHAIN_IMAGE = "local/speck-toolchain:go";

export const EXAMPLES: readonly Example[] = [
  { name: "pausle", binary: "pausle", touch: "pausle.c" },
  { name: "pause", binary: "pause", touch: "pause.c" },
  { name: "hello", binary: "hello", touch: "hello.c" },
  { name: "httpd", binary: "httpd", touch: "httpd.c" },
  { name: "cpp", binary: "cpp-demo", touch: "main.cpp" },
  { name: "crc32", binary: "crc32", touch: "src/hex.c" },
  { name: "go-hello", binary: "go-hello", touch: "main.go", toolchain: GO_TOOLCHAIN_IMAGE },
  { name: "go-httpd", binary: "go-httpd", touch: "cmd/go-httpd/main.go", toolchain: GO_TOOLCHAIN_IMAGE },
];

export const PROFILES = ["size", "tiny", "speed", "debug"] as const;

export function example(name: string): Example {
  const e = EXAMPLES.find((x) => x.name === name);
  if (e === undefined) throw new Error(`no example ${name}`);
  return e;
}

/** A scratch copy of examples/NAME; remove it with `rm(dir)` when done. */
export async function exampleCopy(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `speck-bench-${name}-`));
  await cp(join(REPO, "examples", name), dir, { recursive: true });
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Sets `profile:` in the copy's speck.yaml (the examples leave it at the default). */
export async function setProfile(dir: string, profile: string): Promise<void> {
  const file = join(dir, "speck.yaml");
  const text = (await readFile(file, "utf8")).replace(/^profile:.*\n?/m, "");
  await writeFile(file, `${text.endsWith("\n") ? text : `${text}\n`}profile: ${profile}\n`);
}

/** Changes a source's content (a new comment each time), as an edit would. */
export async function touchSource(dir: string, ex: Example, n: number): Promise<void> {
  // A block comment is a comment in C, C++ and Go alike.
  await appendFile(join(dir, ex.touch), `/* bench edit ${n} ${process.pid} */\n`);
}

export interface BuildOptions {
  readonly dir: string;
  readonly tag: string;
  readonly timeoutMs: number;
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The `toolchain` context's image; default TOOLCHAIN_IMAGE. */
  readonly toolchain?: string;
}

function speckBuildx(o: BuildOptions): BuildxOptions {
  return {
    context: o.dir,
    file: join(o.dir, "speck.yaml"),
    buildContexts: { toolchain: `docker-image://${o.toolchain ?? TOOLCHAIN_IMAGE}` },
    ...(o.buildArgs === undefined ? {} : { buildArgs: o.buildArgs }),
    tags: [o.tag],
    load: true,
    timeoutMs: o.timeoutMs,
  };
}

export function speckBuild(d: Daemon, o: BuildOptions): Promise<RunResult> {
  return buildx(d, speckBuildx(o));
}

/** A build that should have failed for one reason but succeeded, timed out or failed for another. */
export class UnexpectedBuildOutcome extends Error {
  override readonly name = "UnexpectedBuildOutcome";
  constructor(
    readonly result: RunResult,
    readonly expected: RegExp,
  ) {
    const what = result.timedOut ? "timed out" : result.code === 0 ? "succeeded" : `failed otherwise (exit ${result.code ?? "by a signal"})`;
    const tail = result.stderr.trimEnd().split("\n").slice(-15).join("\n");
    super(`${result.argv.join(" ")}: expected the build to fail with an error matching ${String(expected)}, but it ${what}\n${tail}`);
  }
}

/**
 * The same build as speckBuild, for a frontend that is meant to fail (a floor
 * measurement): resolves when the client's output matches `why`, so a run that
 * failed for some other reason is never timed as if it were the floor.
 */
export async function speckBuildFailing(d: Daemon, o: BuildOptions, why: RegExp): Promise<RunResult> {
  const r = await buildx(d, { ...speckBuildx(o), check: false });
  if (r.timedOut || r.code === 0 || !why.test(r.stderr)) throw new UnexpectedBuildOutcome(r, why);
  return r;
}

/** Points the copy's `# syntax=` line at another frontend image. */
export async function useFrontend(dir: string, image: string): Promise<void> {
  const file = join(dir, "speck.yaml");
  await writeFile(file, (await readFile(file, "utf8")).replace(/^# syntax=.*$/m, `# syntax=${image}`));
}

/** Builds bench/dockerfiles/FILE with the daemon's built-in Dockerfile frontend. */
export function dockerfileBuild(d: Daemon, o: BuildOptions & { readonly dockerfile: string }): Promise<RunResult> {
  return buildx(d, {
    context: o.dir,
    file: join(DOCKERFILES, o.dockerfile),
    tags: [o.tag],
    load: true,
    timeoutMs: o.timeoutMs,
  });
}
