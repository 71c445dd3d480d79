// Issue 20 end to end, the path every user with a network takes: the fetch op (`cargo fetch --locked`
// with the build's network) downloading real crates from a cargo sparse registry, and `--network`.
// The registry is the test's own (sparse-registry.ts: Debian's crates served in cargo's sparse format
// on 127.0.0.1), and every build here has a `.cargo/config.toml` that replaces cargo's default
// registry with it: the fetch op's only destination is this machine's loopback, which a build op
// reaches with `--network=host` (the daemon's embedded BuildKit then runs it in the host's network
// namespace) and cannot reach from the sandbox network (its own namespace, whose 127.0.0.1 is its own).
//
// Through the Alpine stand-in, as rust.test.ts (whose builds skip the fetch op: they give the crates
// as `--build-context cargoregistry=`), with `profile: debug` to keep the compiles short.

import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, expect, it } from "vitest";
import { viaAlpine } from "./alpine.js";
import { debianCrates, type DirectorySource } from "./crates.js";
import { describeDaemons, fixture, type RunResult } from "./helpers.js";
import { ranVertices } from "./rawjson.js";
import { run } from "./run.js";
import { REPO, speckBuild } from "./speck.js";
import { loopbackConfig, sparseRegistry, writeSparseLock, type SparseRegistry } from "./sparse-registry.js";

const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };
const LOCKS = join(process.env["SPECK_TESTBED_DIR"] ?? join(REPO, ".cache/testbed"), "dl", "crates-trixie", "sparse-locks");

/** How often each of the three cargo ops ran in a build. */
function cargoOps(r: RunResult): { fetch: number; deps: number; workspace: number } {
  const names = ranVertices(r.stderr).map((v) => v.name);
  return {
    fetch: names.filter((n) => n.startsWith("[crates ")).length,
    deps: names.filter((n) => n.startsWith("[dependencies ")).length,
    workspace: names.filter((n) => /^\[compile [^\]]*\] cargo build/.test(n)).length,
  };
}

type LockedPackage = { name: string; version: string; source?: string; checksum?: string };

async function registryPackages(dir: string): Promise<LockedPackage[]> {
  const lock = parse(await readFile(join(dir, "Cargo.lock"), "utf8")) as { package?: LockedPackage[] };
  return (lock.package ?? []).filter((p) => p.source?.startsWith("registry+"));
}

/** `<name>-<version>` of every package Cargo.lock takes from a registry. */
async function lockedCrates(dir: string): Promise<string[]> {
  return (await registryPackages(dir)).map((p) => `${p.name}-${p.version}`).sort();
}

async function lockedChecksums(dir: string): Promise<string[]> {
  return (await registryPackages(dir)).map((p) => `${p.name}-${p.version} ${p.checksum ?? ""}`).sort();
}

describeDaemons("Rust: the fetch op from a sparse registry on the loopback, and --network (issue 20)", (daemon) => {
  let crates: DirectorySource;
  let registry: SparseRegistry;
  const cleanup: (() => Promise<void>)[] = [];
  let dir = "";

  /** examples/rust-serde pointed at `reg`, `profile: debug`, with a Cargo.lock the double's cargo made against the registry. */
  async function project(reg: SparseRegistry): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), "speck-rust-fetch-"));
    cleanup.push(() => rm(d, { recursive: true, force: true }));
    await cp(join(REPO, "examples", "rust-serde"), d, { recursive: true });
    await writeFile(join(d, "speck.yaml"), `${await readFile(join(d, "speck.yaml"), "utf8")}profile: debug\n`);
    await mkdir(join(d, ".cargo"));
    await writeFile(join(d, ".cargo/config.toml"), loopbackConfig(reg));
    await writeSparseLock(daemon, d, reg, LOCKS);
    return d;
  }

  function build(d: string, o: { network?: "host" | "none"; out: string; check?: boolean; proxy?: string }): Promise<RunResult> {
    return speckBuild(daemon, {
      ...viaAlpine(),
      dir: d,
      buildArgs: { ...EPOCH, ...(o.proxy ? { HTTP_PROXY: o.proxy } : {}) },
      timeoutMs: 900_000,
      outputs: [`type=local,dest=${o.out}`],
      extraArgs: ["--progress=rawjson", ...(o.network ? [`--network=${o.network}`] : [])],
      ...(o.check === undefined ? {} : { check: o.check }),
    });
  }

  beforeAll(async () => {
    crates = await debianCrates();
    registry = await sparseRegistry(crates);
    cleanup.push(() => registry.close());
    // The registry's port is in .cargo/config.toml, which the skeleton holds: every op from the fetch
    // op on is new to the daemon in each run, so "ran once" below cannot be a cache hit of an earlier run.
    dir = await project(registry);
  }, 900_000);
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it("--network=host: the fetch op downloads every crate Cargo.lock names from the loopback registry; the fetch, dependency and workspace ops run once; the program runs", { timeout: 900_000 }, async () => {
    const served = registry.requests.length;
    const out = await fixture({});
    const t0 = performance.now();
    const r = await build(dir, { network: "host", out });
    process.stderr.write(`rust-fetch [${daemon.name}] first build with --network=host: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    expect(cargoOps(r)).toEqual({ fetch: 1, deps: 1, workspace: 1 });
    const during = registry.requests.slice(served);
    // Every package the lock takes from a registry came through this server, each once.
    expect(registry.downloads().sort()).toEqual(await lockedCrates(dir));
    expect((await lockedCrates(dir)).length).toBe(crates.crates.length);
    expect(during.filter((q) => q.path === "/index/config.json").length).toBeGreaterThan(0);
    expect((await run([join(out, "rust-serde")])).stdout).toBe('{"word":"hello","to":"world","times":2}\n');
  });

  it("a workspace edit re-runs neither the fetch nor the dependency op; a Cargo.lock edit re-runs both, and the crates are downloaded again, through the proxy buildx passes", { timeout: 900_000 }, async () => {
    const out = await fixture({});
    const lib = join(dir, "greeting/src/lib.rs");
    await writeFile(lib, (await readFile(lib, "utf8")).replace('"hello"', '"howdy"'));
    const before = registry.downloads().length;
    // From here on with a proxy (the registry itself, which answers as a proxy for its own origin):
    // the fetch op gets it as proxy_env, which BuildKit leaves out of the cache key, so the ops the
    // first build ran without it are still reused.
    const proxy = `http://127.0.0.1:${registry.port}`;
    const edited = await build(dir, { network: "host", out, proxy });
    expect(cargoOps(edited)).toEqual({ fetch: 0, deps: 0, workspace: 1 });
    expect(registry.downloads().length).toBe(before);
    expect((await run([join(out, "rust-serde")])).stdout).toBe('{"word":"howdy","to":"world","times":2}\n');
    // A blank line at the end changes the lock's bytes, not what it pins: both ops key on it.
    await writeFile(join(dir, "Cargo.lock"), `${await readFile(join(dir, "Cargo.lock"), "utf8")}\n`);
    const mark = registry.requests.length;
    const relocked = await build(dir, { network: "host", out: await fixture({}), proxy });
    expect(cargoOps(relocked)).toEqual({ fetch: 1, deps: 1, workspace: 1 });
    expect(registry.downloads().slice(before).sort()).toEqual(await lockedCrates(dir));
    // cargo (its libcurl) sent every request of this fetch to the proxy: the build arg reached the op.
    const fetched = registry.requests.slice(mark);
    expect(fetched.length).toBeGreaterThan(0);
    expect(fetched.filter((q) => !q.proxied)).toEqual([]);
  });

  it("without --network=host the sandbox cannot reach the host's loopback: a located error names the fetch op with cargo's message, and nothing is built", { timeout: 900_000 }, async () => {
    const out = await fixture({});
    const r = await build(dir, { out, check: false });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/speck\.yaml:\d+:\d+: the fetch op \(cargo fetch --locked\) failed with the build's sandbox network; cargo says: error: /);
    expect(r.stderr).toMatch(/127\.0\.0\.1[^\n]*\[7\] Could(n't| not) connect to server/);
    expect(r.stderr).toContain("needs --network=host");
    expect(cargoOps(r)).toMatchObject({ deps: 0, workspace: 0 });
    expect(await readdir(out)).toEqual([]);
  });

  it("--network=none: refused before any op runs, naming the fetch op and what to give instead", { timeout: 600_000 }, async () => {
    const served = registry.requests.length;
    const out = await fixture({});
    const r = await build(dir, { network: "none", out, check: false });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/speck\.yaml:\d+:\d+: --network=none, but the fetch op \(cargo fetch --locked\) downloads the crates Cargo\.lock names and needs a network/);
    expect(r.stderr).toContain("--build-context cargoregistry=<dir>");
    // No op ran: no apk install, no cargo (resolving the base image's config is not an op).
    expect(ranVertices(r.stderr).map((v) => v.name).filter((n) => /^\[(toolchain [^\]]*\] apk |crates |dependencies |compile |diagnose )/.test(n))).toEqual([]);
    expect(registry.requests.length).toBe(served);
    expect(await readdir(out)).toEqual([]);
  });

  it("negative control: the double's cargo refuses a crate whose bytes do not match the index's cksum", { timeout: 900_000 }, async () => {
    const bad = await sparseRegistry(crates);
    cleanup.push(() => bad.close());
    bad.tamper("itoa-1.0.14");
    const d = await project(bad);
    // The lock pins the same checksums as the good registry's (the index lines are the same): what cargo
    // refuses below is the downloaded bytes, which the server did send (status 200).
    expect(await lockedChecksums(d)).toEqual(await lockedChecksums(dir));
    const out = await fixture({});
    const r = await build(d, { network: "host", out, check: false });
    expect(r.code).not.toBe(0);
    expect(bad.downloads()).toContain("itoa-1.0.14");
    expect(r.stderr).toMatch(/the fetch op \(cargo fetch --locked\) failed with the host's network \(--network=host\); cargo says: error: [^\n]*failed to verify the checksum of `itoa v1\.0\.14/);
    expect(cargoOps(r)).toMatchObject({ deps: 0, workspace: 0 });
    expect(await readdir(out)).toEqual([]);
  });
});
