// Issue 20 end to end: Cargo workspaces through speck's default path on Alpine (the test bed's stand-in,
// whose rust and cargo are the offline double: see test/e2e/alpine-standin/ and the README's Rust
// section for what it proves and what it does not). Real crates (serde with its derive macro,
// serde_json) come from Debian's packages as a cargo directory source (crates.ts), given to speck as
// `--build-context cargoregistry=<dir>`: no op reaches a network.
//
// Cross builds run with qemu switched off in binfmt_misc, so an op that needed emulation (a build
// script or proc-macro built for the target, a foreign toolchain) would fail; qemu is switched on
// again only to run the results. Every build shares its toolchain stages through the daemon's cache, and
// the builds of one example with the same manifests, crates and features share their dependency op, so
// most later tests pay for their workspace op only; the vendor/ and `features` cases compile their
// dependencies again (another skeleton, another cargo argv).

import { createHash } from "node:crypto";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { viaAlpine } from "./alpine.js";
import { enableEmulation, QEMU, withoutEmulation } from "./binfmt.js";
import { debianCrates, writeLock, writeVendored, type DirectorySource } from "./crates.js";
import { describeDaemons, docker, fixture, type RunResult } from "./helpers.js";
import { spdxProblems } from "../../frontend/sbom/testing/spdx-rules.js";
import { readOciArchive } from "./oci-attestations.js";
import { ranVertices, vertexOrder } from "./rawjson.js";
import { run } from "./run.js";
import { exampleCopy, speckBuild, tagFor, type SpeckBuildOptions } from "./speck.js";

const THREE = ["linux/amd64", "linux/arm64", "linux/riscv64"] as const;
const QEMU_OF: Readonly<Record<string, string>> = { amd64: "qemu-x86_64", arm64: QEMU.arm64 as string, riscv64: QEMU.riscv64 as string };
const ARCH_OF: Readonly<Record<string, string>> = { "linux/amd64": "x86_64", "linux/arm64": "aarch64", "linux/riscv64": "riscv64" };
const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };

describeDaemons("Rust: Cargo workspaces on Alpine (issue 20)", (daemon) => {
  let crates: DirectorySource;
  let FOREIGN_QEMU: string[] = [];
  let native = "";
  const tags: string[] = [];

  beforeAll(async () => {
    const arch = (await docker(daemon, ["version", "-f", "{{.Server.Arch}}"])).stdout.trim();
    native = `linux/${arch}`;
    FOREIGN_QEMU = Object.entries(QEMU_OF).flatMap(([a, q]) => (a === arch ? [] : [q]));
    await enableEmulation(FOREIGN_QEMU); // to run the results later, not to build them
    crates = await debianCrates();
  }, 600_000);
  afterAll(async () => {
    for (const tag of tags) await docker(daemon, ["image", "rm", "-f", tag], { check: false });
  });

  function rustBuild(o: Omit<SpeckBuildOptions, "withoutToolchain" | "buildContexts"> & { registry?: boolean }): Promise<RunResult> {
    const { registry, ...rest } = o;
    const base = viaAlpine();
    return speckBuild(daemon, { ...base, buildContexts: { ...base.buildContexts, ...(registry ? { cargoregistry: crates.dir } : {}) }, timeoutMs: 900_000, buildArgs: EPOCH, ...rest });
  }

  /**
   * examples/rust-serde with a Cargo.lock made against Debian's crates (the example ships none: a lock
   * names its registry), built with `profile: debug`: no optimisation or LTO keeps the tests' compiles
   * short. rust-hello keeps the default `size` profile (fat LTO, one codegen unit, stripped), so the
   * profile users get is cross-built and run too.
   *
   * The copy has one more dependency, optional behind a feature `ident` that only the SBOM test turns on:
   * unicode-ident. Off, it is in Cargo.lock and compiled for the build platform (proc-macro2, which serde's
   * derive uses, needs it), but never for the target: the SBOM must not list it then, and must with it on.
   */
  async function serdeCopy(): Promise<string> {
    const dir = await exampleCopy("rust-serde");
    const manifest = join(dir, "Cargo.toml");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace('serde_json = "1"\n', 'serde_json = "1"\nunicode-ident = { version = "1", optional = true }\n\n[features]\nident = ["dep:unicode-ident"]\n'));
    await writeLock(daemon, dir, crates);
    await writeFile(join(dir, "speck.yaml"), `${await readFile(join(dir, "speck.yaml"), "utf8")}profile: debug\n`);
    return dir;
  }

  /** The cargo ops that ran in a `--progress=rawjson` build: fetch, dependency and workspace ops. */
  const cargoOps = (names: string[]) => ({ fetch: names.filter((n) => n.startsWith("[crates ")).length, deps: names.filter((n) => n.startsWith("[dependencies ")).length, workspace: names.filter((n) => /^\[compile [^\]]*\] cargo build/.test(n)).length });

  /** A unique description in greeting's manifest: the skeleton, and every op after it, is new to a daemon that ran the test before. */
  async function freshSkeleton(dir: string): Promise<void> {
    const greetingToml = join(dir, "greeting/Cargo.toml");
    await writeFile(greetingToml, (await readFile(greetingToml, "utf8")).replace("[package]\n", `[package]\ndescription = "e2e run ${process.pid}-${Date.now()}"\n`));
  }

  it("rust-hello and rust-serde build for amd64, arm64 and riscv64 with emulation off, pass the static check, and run on each", { timeout: 1_800_000 }, async () => {
    const hello = await exampleCopy("rust-hello");
    const serde = await serdeCopy();
    const t0 = performance.now();
    const [h, s] = await withoutEmulation(FOREIGN_QEMU, () =>
      Promise.all([
        rustBuild({ dir: hello, platform: THREE.join(","), tags: [tagFor(daemon, "rust-hello")], load: true }),
        rustBuild({ dir: serde, platform: THREE.join(","), tags: [tagFor(daemon, "rust-serde")], load: true, registry: true }),
      ]),
    );
    tags.push(tagFor(daemon, "rust-hello"), tagFor(daemon, "rust-serde"));
    process.stderr.write(`rust [${daemon.name}] two examples x three platforms: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    for (const [name, r] of [["rust-hello", h], ["rust-serde", s]] as const) {
      const progress = r?.stderr ?? "";
      // The toolchain runs on the build platform only: no foreign apk add outside a target root.
      for (const p of THREE) if (p !== native) expect(progress, `${name} ${p}`).not.toMatch(new RegExp(`\\[toolchain ${p}\\] apk add (?!--root)`));
      expect(progress, name).toContain(`[toolchain ${native}] apk add cargo clang gcc lld musl-dev rust`);
      for (const p of THREE) if (p !== native) expect(progress, `${name} ${p}: the target's stdlib`).toMatch(new RegExp(`\\[toolchain ${p}\\] apk add --root /[a-z0-9_]+-alpine-linux-musl [^\\n]*rust-stdlib`));
      // speck's static check ran and passed for each platform (it fails the build otherwise): static, not static-pie.
      for (const p of THREE) expect(progress, `${name} ${p}`).toMatch(new RegExp(`\\[${p}\\] ${name}: [0-9,]+ B, static, profile ${name === "rust-hello" ? "size" : "debug"}`));
      // No op reached for the network: the crates came from the registry context.
      expect(progress, name).not.toContain("cargo fetch");
    }
    const ran: string[] = [];
    const want: string[] = [];
    for (const p of THREE) {
      const r1 = await docker(daemon, ["run", "--rm", "--network=none", "--ulimit", "core=0", "--platform", p, tagFor(daemon, "rust-hello"), "speck"], { check: false, timeoutMs: 120_000 });
      ran.push(`rust-hello on ${p}: exit ${r1.code} ${r1.stdout}`);
      want.push(`rust-hello on ${p}: exit 0 hello, speck, from Rust on ${ARCH_OF[p]}\n`);
      const r2 = await docker(daemon, ["run", "--rm", "--network=none", "--ulimit", "core=0", "--platform", p, tagFor(daemon, "rust-serde"), '{"word":"","to":"qemu","times":41}'], { check: false, timeoutMs: 120_000 });
      ran.push(`rust-serde on ${p}: exit ${r2.code} ${r2.stdout}`);
      want.push(`rust-serde on ${p}: exit 0 {"word":"hello","to":"qemu","times":42}\n`);
    }
    expect(ran).toEqual(want);
  });

  it("a workspace edit re-runs neither the fetch nor the dependency op and shows in the output; a Cargo.lock edit re-runs the dependency op", { timeout: 900_000 }, async () => {
    const dir = await serdeCopy();
    // A daemon that ran this test before holds every op below in its cache (a cache hit is no re-run).
    await freshSkeleton(dir);
    const out = await fixture({});
    const build = async () => {
      const r = await rustBuild({ dir, platform: native, registry: true, outputs: [`type=local,dest=${out}`], extraArgs: ["--progress=rawjson"] });
      return ranVertices(r.stderr).map((v) => v.name);
    };
    await build();
    // The path crate's function is edited: its mtime is newer, but cargo must not need that (see stages.ts).
    const lib = join(dir, "greeting/src/lib.rs");
    await writeFile(lib, (await readFile(lib, "utf8")).replace('"hello"', '"howdy"'));
    const edited = cargoOps(await build());
    expect(edited).toEqual({ fetch: 0, deps: 0, workspace: 1 });
    // The binary is for the daemon's own platform: it runs here as it is.
    expect((await run([join(out, "rust-serde")])).stdout).toBe('{"word":"howdy","to":"world","times":2}\n');
    // Cargo.lock edited (a comment line cargo ignores is enough to change the skeleton): the dependency op runs again.
    await writeFile(join(dir, "Cargo.lock"), `${await readFile(join(dir, "Cargo.lock"), "utf8")}\n`);
    const relocked = cargoOps(await build());
    expect(relocked.deps).toBe(1);
    expect(relocked.workspace).toBe(1);
  });

  it("linux/arm/v7 is refused with a located error that says why", { timeout: 300_000 }, async () => {
    const dir = await exampleCopy("rust-hello");
    const r = await rustBuild({ dir, platform: "linux/arm/v7", check: false, outputs: [`type=local,dest=${await fixture({})}`] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("cannot build Rust for linux/arm/v7");
    expect(r.stderr).toContain("+crt-static still broken here");
    expect(r.stderr).toMatch(/speck\.yaml:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/);
  });

  it("bad inputs are located errors: two binaries and no `bin`, a Cargo.lock --locked refuses, a dynamic link", { timeout: 900_000 }, async () => {
    // Two binaries, no `bin`: refused before any op runs.
    const two = await exampleCopy("rust-hello");
    await writeFile(join(two, "src/bin-two.rs"), "fn main() {}\n");
    await writeFile(join(two, "Cargo.toml"), `${await readFile(join(two, "Cargo.toml"), "utf8")}\n[[bin]]\nname = "two"\npath = "src/bin-two.rs"\n`);
    const r1 = await rustBuild({ dir: two, platform: native, check: false, outputs: [`type=local,dest=${await fixture({})}`] });
    expect(r1.code).not.toBe(0);
    expect(r1.stderr).toContain("the Cargo workspace has 2 binary targets: `rust-hello` (package rust-hello), `two` (package rust-hello); speck builds one");

    // A dependency added to the manifest but not to Cargo.lock: cargo's --locked refuses; speck points into Cargo.lock.
    const stale = await serdeCopy();
    const manifest = join(stale, "Cargo.toml");
    await writeFile(manifest, (await readFile(manifest, "utf8")).replace('serde_json = "1"', 'serde_json = "1"\nitoa = "1"'));
    const r2 = await rustBuild({ dir: stale, platform: native, registry: true, check: false, outputs: [`type=local,dest=${await fixture({})}`] });
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/Cargo\.lock:1:1: Cargo\.lock does not match the manifests, and speck builds with --locked; cargo says: error: /);

    // A crate that links a system library dynamically (a build script asking for libz as a dylib): located, no image.
    const dyn = await exampleCopy("rust-hello");
    await writeFile(join(dyn, "build.rs"), 'fn main() { println!("cargo:rustc-link-lib=dylib=z"); }\n');
    await writeFile(join(dyn, "speck.yaml"), `${await readFile(join(dyn, "speck.yaml"), "utf8")}packages: [zlib-dev]\n`);
    const r3 = await rustBuild({ dir: dyn, platform: native, check: false, outputs: [`type=local,dest=${await fixture({})}`] });
    expect(r3.code).not.toBe(0);
    expect(r3.stderr).toMatch(/speck\.yaml:\d+:\d+: a crate does not link statically: /);
  });

  it("two builds give the same image digest", { timeout: 600_000 }, async () => {
    const dir = await exampleCopy("rust-hello");
    const digest = async (extraArgs: string[]) => {
      const out = await fixture({});
      await rustBuild({ dir, platform: native, outputs: [`type=oci,dest=${join(out, "img")},tar=false`], extraArgs });
      return (JSON.parse(await readFile(join(out, "img", "index.json"), "utf8")) as { manifests: { digest: string }[] }).manifests[0]?.digest;
    };
    // The first takes the first test's compile from the cache; the second compiles again.
    expect(await digest(["--no-cache-filter", "compile"])).toBe(await digest([]));
  });

  /** The crates (`name version`) the SPDX document of a native `--sbom` build of `dir` lists, and the document's packages. */
  async function sbomCrates(dir: string) {
    const out = await fixture({});
    await rustBuild({ dir, platform: native, registry: true, outputs: [`type=oci,dest=${join(out, "i.tar")}`], extraArgs: ["--sbom=true"] });
    const archive = await readOciArchive(join(out, "i.tar"));
    const statements = archive.images[0]?.statements.filter((st) => st.predicateType === "https://spdx.dev/Document") ?? [];
    expect(statements).toHaveLength(1);
    const doc = statements[0]?.predicate as unknown as { packages: { name: string; versionInfo?: string; checksums?: { algorithm: string; checksumValue: string }[]; externalRefs?: { referenceLocator: string }[] }[] };
    expect(spdxProblems(doc as never)).toEqual([]);
    const listed = doc.packages.filter((p) => p.externalRefs?.some((r) => r.referenceLocator.startsWith("pkg:cargo/")));
    return { names: listed.map((p) => `${p.name} ${p.versionInfo}`).sort(), listed };
  }

  it("--sbom lists the crates compiled for the target, with purls and the lock's checksums, and not the proc-macro's", { timeout: 600_000 }, async () => {
    const dir = await serdeCopy();
    const { names, listed } = await sbomCrates(dir);
    // Not unicode-ident: Cargo.lock pins it, and the build compiles it for the proc-macro's proc-macro2 on the
    // build platform, but `ident` is off, so nothing compiled for the target uses it.
    expect(await readFile(join(dir, "Cargo.lock"), "utf8")).toContain('name = "unicode-ident"');
    expect(names).toEqual(["itoa 1.0.14", "memchr 2.7.4", "ryu 1.0.19", "serde 1.0.217", "serde_json 1.0.139"]);
    const itoa = listed.find((p) => p.name === "itoa");
    expect(itoa?.externalRefs?.[0]?.referenceLocator).toBe("pkg:cargo/itoa@1.0.14");
    expect(itoa?.checksums).toEqual([{ algorithm: "SHA256", checksumValue: crates.crates.find((c) => c.name === "itoa")?.checksum }]);
  });

  it("--sbom follows `features`: with `features: [ident]` it lists the optional crate that feature turns on", { timeout: 600_000 }, async () => {
    const dir = await serdeCopy();
    await writeFile(join(dir, "speck.yaml"), `${await readFile(join(dir, "speck.yaml"), "utf8")}features: [ident]\n`);
    const { names, listed } = await sbomCrates(dir);
    expect(names).toEqual(["itoa 1.0.14", "memchr 2.7.4", "ryu 1.0.19", "serde 1.0.217", "serde_json 1.0.139", "unicode-ident 1.0.13"]);
    expect(listed.find((p) => p.name === "unicode-ident")?.checksums).toEqual([{ algorithm: "SHA256", checksumValue: crates.crates.find((c) => c.name === "unicode-ident")?.checksum }]);
  });

  it("vendor/ with .cargo/config.toml: no fetch op and one dependency op; a vendored crate's edit runs that op again, checked against .cargo-checksum.json", { timeout: 900_000 }, async () => {
    const dir = await serdeCopy();
    await writeVendored(dir, crates);
    await freshSkeleton(dir);
    const out = await fixture({});
    const build = (extraArgs: string[], check = true) => rustBuild({ dir, platform: native, outputs: [`type=local,dest=${out}`], extraArgs, check });
    const t0 = performance.now();
    const first = await build(["--progress=rawjson"]);
    // No fetch op at all, not even a cached one, and no registry context: cargo reads vendor/ as the config says.
    expect(vertexOrder(first.stderr).filter((n) => n.startsWith("[crates ") || n.includes("cargo fetch"))).toEqual([]);
    expect(cargoOps(ranVertices(first.stderr).map((v) => v.name))).toEqual({ fetch: 0, deps: 1, workspace: 1 });
    expect((await run([join(out, "rust-serde")])).stdout).toBe('{"word":"hello","to":"world","times":2}\n');

    // A directory source's .cargo-checksum.json lists files by SHA-256, and cargo checks each listed file
    // before it compiles the crate; an unlisted file is not checked (cargo src/sources/directory.rs,
    // DirectorySource::verify; called from fingerprint::prepare_target for every unit about to compile).
    // Debian lists none, `cargo vendor` lists every file.
    const crate = crates.crates.find((c) => c.name === "itoa")?.dir ?? "";
    const lib = join(dir, "vendor", crate, "src/lib.rs");
    const sums = join(dir, "vendor", crate, ".cargo-checksum.json");
    const listing = JSON.parse(await readFile(sums, "utf8")) as { package: string; files: Record<string, string> };
    const sha256 = async (path: string) => createHash("sha256").update(await readFile(path)).digest("hex");
    const before = await sha256(lib);
    await appendFile(lib, `// edited by the e2e test ${process.pid}\n`);
    // Negative control: the file listed with the checksum it had, as `cargo vendor` wrote it: cargo refuses the edit.
    await writeFile(sums, JSON.stringify({ ...listing, files: { "src/lib.rs": before } }));
    const refused = await build([], false);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("the listed checksum of");
    // With the checksum updated, the edit is accepted: the skeleton holds vendor/, so the dependency op runs again.
    await writeFile(sums, JSON.stringify({ ...listing, files: { "src/lib.rs": await sha256(lib) } }));
    const edited = await build(["--progress=rawjson"]);
    expect(cargoOps(ranVertices(edited.stderr).map((v) => v.name))).toEqual({ fetch: 0, deps: 1, workspace: 1 });
    expect((await run([join(out, "rust-serde")])).stdout).toBe('{"word":"hello","to":"world","times":2}\n');
    process.stderr.write(`rust [${daemon.name}] vendor/ test: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  });
});
