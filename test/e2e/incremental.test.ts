// Issue 12, end to end: the compile is one cached op per translation unit, so
// an edit re-runs exactly the units that read the edited file, an object is
// never stale, and BuildKit's exported cache carries the objects to a daemon
// that has none. Counts come from `--progress=rawjson` (test/e2e/rawjson.ts).

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { genCProject, writeConfig, type GeneratedProject } from "../../bench/gen-c-project.js";
import { offlineBuild } from "../../frontend/offline.js";
import { SCAN_CHUNK } from "../../frontend/languages/c/unit-plan.js";
import { describeDaemons, docker, FRONTEND_IMAGE, TOOLCHAIN_IMAGE, type Daemon } from "./helpers.js";
import { compileRuns, type CompileRuns } from "./rawjson.js";
import { startRegistry } from "./registry.js";
import { cleanupImage, speckBuild, tagFor } from "./speck.js";

async function tempDir(what: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `speck-${what}-`));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Replaces `from` by `to` in a file, failing if `from` is not there (an edit that did nothing proves nothing). */
async function edit(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, "utf8");
  if (!text.includes(from)) throw new Error(`${path} has no ${JSON.stringify(from)}`);
  await writeFile(path, text.replace(from, to));
}

interface Project {
  readonly dir: string;
  readonly gen: GeneratedProject;
  readonly tag: string;
  build(extraArgs?: readonly string[]): Promise<CompileRuns>;
  /** The client's stderr of the last build (the rawjson stream and buildx's warnings). */
  lastStderr(): string;
  output(): Promise<string>;
  imageId(): Promise<string>;
}

async function project(daemon: Daemon, what: string, dirs: number, perDir: number): Promise<Project> {
  const dir = await tempDir(what);
  // Salted per run: "cold" must be cold on a daemon that built this program before.
  const gen = genCProject(dir, { dirs, perDir, work: 1, syntax: FRONTEND_IMAGE, salt: `${what} ${daemon.name} ${process.pid} ${Date.now()}` });
  const tag = tagFor(daemon, what);
  cleanupImage(daemon, tag);
  let stderr = "";
  return {
    dir,
    gen,
    tag,
    build: async (extraArgs = []) => {
      stderr = (await speckBuild(daemon, { dir, tags: [tag], load: true, extraArgs: ["--progress=rawjson", ...extraArgs], timeoutMs: 600_000 })).stderr;
      return compileRuns(stderr);
    },
    lastStderr: () => stderr,
    output: async () => (await docker(daemon, ["run", "--rm", "--network=none", tag])).stdout.trim(),
    imageId: async () => (await docker(daemon, ["image", "inspect", "-f", "{{.Id}}", tag])).stdout.trim(),
  };
}

/** The file at `path` in an image, read with docker create + cp. */
async function binaryOf(daemon: Daemon, tag: string, path: string): Promise<Buffer> {
  const out = await tempDir("bin");
  const id = (await docker(daemon, ["create", tag])).stdout.trim();
  try {
    await docker(daemon, ["cp", `${id}:${path}`, join(out, "bin")]);
  } finally {
    await docker(daemon, ["rm", id], { check: false });
  }
  return readFile(join(out, "bin"));
}

/** The plan's single `cc` over every source (what speck ran before issue 12), in the prepared toolchain. */
async function singleRun(daemon: Daemon, dir: string): Promise<Buffer> {
  const { plan } = offlineBuild(join(dir, "speck.yaml"), { platform: { os: "linux", architecture: "amd64" } });
  const out = await tempDir("single");
  const env = plan.compile.env.flatMap((kv) => ["-e", kv]);
  await docker(daemon, ["run", "--rm", "--network=none", "-u", "0:0", ...env, "-v", `${dir}:${plan.compile.srcDir}:ro`, "-v", `${out}:${plan.compile.outDir}`, "-w", plan.compile.cwd, TOOLCHAIN_IMAGE, ...plan.compile.argv], { timeoutMs: 300_000 });
  return readFile(join(out, plan.name));
}

const nothing: CompileRuns = { units: [], scan: 0, link: 0 };

describeDaemons("incremental compile", (daemon) => {
  it("a 101-unit program: each edit re-runs exactly the units that read the edited file, and never leaves a stale object", { timeout: 900_000 }, async () => {
    const p = await project(daemon, "incremental", 4, 25);
    const cold = await p.build();
    expect(cold.units).toHaveLength(101);
    expect(await p.output()).toMatch(/^value=1 sum=\d+$/);
    // The same bytes as the single compiler run the plan describes, run by hand in the same toolchain.
    expect(await binaryOf(daemon, p.tag, "/gen")).toEqual(await singleRun(daemon, p.dir));

    expect(await p.build()).toEqual(nothing);

    // The scans run in chunks: each sees its own sources and every non-source file.
    const chunks = Math.ceil(101 / SCAN_CHUNK);
    // One .c, changed so its object changes: that unit, the link, and the scan of its chunk.
    await edit(join(p.dir, "src/net/u07.c"), "u64 acc = 8ULL;", "u64 acc = 1008ULL;");
    expect(await p.build()).toEqual({ units: ["src/net/u07.c"], scan: 1, link: 1 });

    // A header: the units the scan says include it (util's 25 and main.c), and no others. The
    // declaration changes no object, so the link is found by the objects' content and skipped.
    await edit(join(p.dir, "src/util/util.h"), "#endif", "u64 util_extra(u64 x);\n#endif");
    expect(await p.build()).toEqual({ units: [...(p.gen.byDir["util"] ?? []), "src/main.c"].sort(), scan: chunks, link: 0 });

    // A sent header no unit reads: the scans run, nothing compiles, the image is the same.
    const before = await p.imageId();
    await writeFile(join(p.dir, "include/unused.h"), "/* read by no unit, edited */\n#define UNUSED 2\n");
    expect(await p.build()).toEqual({ units: [], scan: chunks, link: 0 });
    expect(await p.imageId()).toBe(before);
    // A file the build never sends: nothing runs at all.
    await writeFile(join(p.dir, "notes.txt"), "not a source\n");
    expect(await p.build()).toEqual(nothing);
    expect(await p.imageId()).toBe(before);

    // A constant in a header: exactly its readers recompile, the link runs, the program prints the new value.
    writeConfig(p.dir, 2);
    expect(await p.build()).toEqual({ units: [...p.gen.configReaders].sort(), scan: chunks, link: 1 });
    expect(await p.output()).toMatch(/^value=2 sum=\d+$/);
  });

  it("after `docker builder prune -af`, --cache-from a registry or a local directory compiles nothing, then one unit; an unreadable cache gives a cold build", { timeout: 900_000 }, async () => {
    const p = await project(daemon, "cache", 2, 10);
    const store = await tempDir("cache-store");
    const registry = await startRegistry(join(store, "registry"));
    onTestFinished(() => registry.stop());
    const ref = `${registry.address}/speck-cache/gen:${daemon.name}`;
    const local = join(store, "local");
    const prune = async (): Promise<void> => void (await docker(daemon, ["builder", "prune", "-af"]));

    const cold = await p.build([`--cache-to=type=registry,ref=${ref},mode=max`, `--cache-to=type=local,dest=${local},mode=max`]);
    expect(cold.units).toHaveLength(21);
    const first = await p.output();

    for (const from of [`type=registry,ref=${ref}`, `type=local,src=${local}`]) {
      await prune();
      expect(await p.build([`--cache-from=${from}`]), from).toEqual(nothing);
      expect(await p.output()).toBe(first);
    }

    await prune();
    await edit(join(p.dir, "src/core/u03.c"), "u64 acc = 4ULL;", "u64 acc = 1004ULL;");
    expect(await p.build([`--cache-from=type=registry,ref=${ref}`])).toEqual({ units: ["src/core/u03.c"], scan: 1, link: 1 });
    await prune();
    expect(await p.build([`--cache-from=type=local,src=${local}`])).toEqual({ units: ["src/core/u03.c"], scan: 1, link: 1 });

    // A cache that cannot be read: a registry that is gone, a directory with a corrupt index. Cold, not failed.
    await registry.stop();
    await writeFile(join(local, "index.json"), "{ not json");
    await prune();
    const unreadable = await p.build([`--cache-from=type=registry,ref=${ref}`, `--cache-from=type=local,src=${local}`]);
    expect(unreadable.units).toHaveLength(21);
    expect(p.lastStderr()).toMatch(/local cache import at \S+ not found/);
    expect(p.lastStderr()).toMatch(/importing cache manifest from 127\.0\.0\.1/);
    expect(await p.output()).not.toBe(first);
  });
});
