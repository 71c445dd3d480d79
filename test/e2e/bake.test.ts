// Issue 22, end to end: examples/ci/bake/docker-bake.hcl builds its two specs for two platforms,
// and a second run, after the builder's cache is pruned, takes every compile from the local
// cache the first run wrote. Counts come from `--progress=rawjson` (test/e2e/rawjson.ts).

import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { describeDaemons, docker, TOOLCHAIN_IMAGE, type Daemon } from "./helpers.js";
import { jsonObjects, ranVertices } from "./rawjson.js";
import { REPO } from "./speck.js";

const BAKE_DIR = join(REPO, "examples/ci/bake");
/** What the bake file tags (the docker driver stores a bake result without an output in the daemon). */
const TAGS = ["speck-examples/hello", "speck-examples/crc32"];
/** Two specs times two platforms: one compile step each (hello and crc32 have under 8 sources: one compiler run). */
const COMPILES = ["crc32 linux/amd64", "crc32 linux/arm64", "hello linux/amd64", "hello linux/arm64"];

interface Vertex {
  readonly digest: string;
  readonly name?: string;
  readonly cached?: boolean;
  readonly completed?: string;
}

/**
 * Every completed compile vertex of a bake run as "<target> <platform>": which ran and which came
 * from the cache. bake prefixes each vertex name with its target: `[hello compile linux/arm64] clang ...`.
 */
function compiles(stderr: string): { ran: string[]; cached: string[] } {
  const seen = new Map<string, Vertex>();
  for (const text of jsonObjects(stderr)) {
    for (const v of (JSON.parse(text) as { vertexes?: Vertex[] }).vertexes ?? []) seen.set(v.digest, { ...seen.get(v.digest), ...v });
  }
  const ran = new Set(ranVertices(stderr).map((v) => v.digest));
  const named = [...seen.values()].flatMap((v) => {
    const m = /^\[(\S+) compile (\S+)\] /.exec(v.name ?? "");
    return m && v.completed !== undefined ? [{ v, key: `${m[1]} ${m[2]}` }] : [];
  });
  return { ran: named.filter((n) => ran.has(n.v.digest)).map((n) => n.key).sort(), cached: named.filter((n) => n.v.cached === true).map((n) => n.key).sort() };
}

function bake(daemon: Daemon, cacheDir: string): Promise<string> {
  const env = { CACHE_DIR: cacheDir, TOOLCHAIN: `docker-image://${TOOLCHAIN_IMAGE}` };
  return docker(daemon, ["buildx", "bake", "--progress=rawjson", "--provenance=false"], { cwd: BAKE_DIR, env, timeoutMs: 600_000 }).then((r) => r.stderr);
}

describeDaemons("bake", (daemon) => {
  it("builds hello and crc32 for amd64 and arm64, then again from the local cache after a prune, compiling nothing", { timeout: 900_000 }, async () => {
    const cache = await mkdtemp(join(tmpdir(), "speck-bake-cache-"));
    onTestFinished(() => rm(cache, { recursive: true, force: true }));
    onTestFinished(async () => void (await docker(daemon, ["image", "rm", "-f", ...TAGS], { check: false })));
    const prune = async (): Promise<void> => void (await docker(daemon, ["builder", "prune", "-af"]));

    // Cold: nothing in the builder, no cache directory yet (buildx skips a missing one with a warning).
    await prune();
    const first = compiles(await bake(daemon, cache));
    expect(first.ran).toEqual(COMPILES);
    // One cache directory, each target under its own name in it.
    for (const t of ["hello", "crc32"]) await access(join(cache, t, "index.json"));

    // The builder forgets everything; only the exported cache can make the compiles cached.
    await prune();
    const second = compiles(await bake(daemon, cache));
    expect(second.ran).toEqual([]);
    expect(second.cached).toEqual(COMPILES);

    // Control: pruned again and pointed at an empty directory, every compile runs again, so the
    // second run's nothing came from the cache directory and not from the daemon.
    await prune();
    const empty = await mkdtemp(join(tmpdir(), "speck-bake-empty-"));
    onTestFinished(() => rm(empty, { recursive: true, force: true }));
    expect(compiles(await bake(daemon, empty)).ran).toEqual(COMPILES);
  });
});
