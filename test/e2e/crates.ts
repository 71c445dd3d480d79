// Real crates for Rust tests, made at test time from Debian trixie's `librust-*-dev` packages, so the
// fetch-less paths (a `cargoregistry=` named context, a `vendor/` directory) are proven with real
// third-party code, a derive proc-macro included, that is never copied into this repository.
//
// Debian installs each crate at /usr/share/cargo/registry/<name>-<version>/ with a .cargo-checksum.json
// of the form {"package": <checksum>, "files": {}}: the directory is a cargo *directory source* as it is
// (cargo's `[source.<name>] directory = ...`). The `package` value is what cargo copies into Cargo.lock
// for the crate; Debian writes the public registry's checksum when it had one (itoa, memchr, proc-macro2, quote,
// serde_derive, unicode-ident here) and the literal string "Could not get crate checksum" when not (ryu,
// serde, serde_json, syn here). So a Cargo.lock made against this tree holds against this tree (offline),
// not against the public registry. `files` is empty: cargo verifies no file of a directory source then.
//
//   npx tsx test/e2e/crates.ts     prints the directory source's path (downloading once), for example to
//                                  make a Cargo.lock against it with a host cargo (lockCommand below);
//                                  tests use writeLock, which runs the double's own cargo.

import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { STANDIN } from "./alpine.js";
import type { Daemon } from "./daemon.js";
import { docker } from "./docker.js";
import { run } from "./run.js";

const REPO = resolve(import.meta.dirname, "../..");
const SUITE = "trixie";

/** serde with its derive macro and serde_json, and everything they need with their default features. */
export const SERDE_PACKAGES: readonly string[] = [
  "librust-serde-dev",
  "librust-serde-derive-dev",
  "librust-serde-json-dev",
  "librust-proc-macro2-dev",
  "librust-quote-dev",
  "librust-syn-dev",
  "librust-unicode-ident-dev",
  "librust-itoa-dev",
  "librust-ryu-dev",
  "librust-memchr-dev",
];

export interface DebianCrate {
  readonly name: string;
  readonly version: string;
  /** The crate's directory name inside the source: `<name>-<version>`. */
  readonly dir: string;
  /** .cargo-checksum.json's `package`: a sha256, or Debian's "Could not get crate checksum". */
  readonly checksum: string;
}

export interface DirectorySource {
  /** Absolute path of the directory source (one `<name>-<version>/` per crate). Shared: do not write into it. */
  readonly dir: string;
  readonly crates: readonly DebianCrate[];
}

function testbedDir(): string {
  return process.env["SPECK_TESTBED_DIR"] ?? join(REPO, ".cache/testbed");
}

/**
 * The directory source of Debian's `packages` (default: serde, serde_derive, serde_json and their
 * dependencies). Downloaded with a private apt state (the host's apt configuration is not touched,
 * nothing is installed) and unpacked once per set of packages; later calls reuse it.
 */
export async function debianCrates(packages: readonly string[] = SERDE_PACKAGES): Promise<DirectorySource> {
  const base = join(testbedDir(), "dl", `crates-${SUITE}`);
  const key = [...packages].sort().join(",");
  const dir = join(base, Buffer.from(key).toString("base64url").slice(0, 40) + `-${packages.length}`);
  if (!(await exists(join(dir, ".complete")))) {
    await mkdir(base, { recursive: true });
    const work = await mkdtemp(join(base, "tmp-"));
    try {
      const opts = await aptState(base);
      await run(["apt-get", "-qq", ...opts, "download", ...packages], { cwd: work });
      const debs = (await readdir(work)).filter((f) => f.endsWith(".deb"));
      if (debs.length !== packages.length) throw new Error(`apt-get download gave ${debs.length} .debs for ${packages.length} packages`);
      for (const deb of debs) await run(["dpkg-deb", "-x", join(work, deb), join(work, "root")]);
      const registry = join(work, "root/usr/share/cargo/registry");
      await writeFile(join(registry, ".complete"), `${key}\n`);
      await rm(dir, { recursive: true, force: true });
      // Whole or not at all: a concurrent caller sees the finished tree or none.
      await rename(registry, dir).catch(async (e: unknown) => {
        if (!(await exists(join(dir, ".complete")))) throw e;
      });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  const crates: DebianCrate[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const m = /^(.+)-(\d+\.\d+\.\d+.*)$/.exec(e.name);
    if (!m) throw new Error(`${dir}/${e.name}: not <name>-<version>`);
    const sum = JSON.parse(await readFile(join(dir, e.name, ".cargo-checksum.json"), "utf8")) as { package?: string };
    crates.push({ name: m[1]!, version: m[2]!, dir: e.name, checksum: sum.package ?? "" });
  }
  return { dir, crates };
}

/**
 * Copies the source's crates into `<ctx>/vendor/<name>-<version>/` and writes `<ctx>/.cargo/config.toml`
 * pointing crates-io at it, as `cargo vendor --versioned-dirs` lays a project out.
 */
export async function writeVendored(ctx: string, source: DirectorySource): Promise<void> {
  await mkdir(join(ctx, "vendor"), { recursive: true });
  for (const c of source.crates) await cp(join(source.dir, c.dir), join(ctx, "vendor", c.dir), { recursive: true });
  await mkdir(join(ctx, ".cargo"), { recursive: true });
  await writeFile(
    join(ctx, ".cargo/config.toml"),
    '[source.crates-io]\nreplace-with = "vendored-sources"\n\n[source.vendored-sources]\ndirectory = "vendor"\n',
  );
}

/** The argv that writes Cargo.lock in the current directory against the directory source at `source.dir`, offline. */
export function lockCommand(source: Pick<DirectorySource, "dir">, cargo = "cargo"): string[] {
  return [
    cargo, "generate-lockfile", "--offline",
    "--config", 'source.crates-io.replace-with="speck-debian"',
    "--config", `source.speck-debian.directory="${source.dir}"`,
  ];
}

/**
 * Writes `<project>/Cargo.lock` against `source` with the double's own cargo (1.85, in the Alpine
 * stand-in, no network), so no cargo is needed on the host and the lock is one that cargo reads.
 * The result is kept per (manifests, source) under the test bed's cache: only the first call pays for
 * the container (`apk add cargo`, ~30-60 s).
 */
export async function writeLock(daemon: Daemon, project: string, source: DirectorySource): Promise<void> {
  const manifests = (await readdir(project, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile() && e.name === "Cargo.toml" && !relative(project, e.parentPath).split("/").some((p) => p === "target" || p === "vendor"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const h = createHash("sha256").update(`${source.dir}\0${source.crates.map((c) => `${c.dir}:${c.checksum}`).join(",")}\0`);
  for (const m of manifests) h.update(`${relative(project, m)}\0`).update(await readFile(m)).update("\0");
  const cached = join(testbedDir(), "dl", `crates-${SUITE}`, "locks", `${h.digest("hex").slice(0, 32)}.lock`);
  if (!(await exists(cached))) {
    const script = 'apk add -q --no-progress cargo >/dev/null || exit 90; exec "$@"';
    await docker(daemon, [
      "run", "--rm", "--network=none", "-e", "CARGO_HOME=/tmp/cargo-home", "-w", "/project",
      "-v", `${resolve(project)}:/project`, "-v", `${source.dir}:/registry:ro`,
      STANDIN, "sh", "-c", script, "sh", ...lockCommand({ dir: "/registry" }),
    ], { timeoutMs: 300_000 });
    await mkdir(dirname(cached), { recursive: true });
    await cp(join(project, "Cargo.lock"), `${cached}.tmp`);
    await rename(`${cached}.tmp`, cached);
  } else {
    await cp(cached, join(project, "Cargo.lock"));
  }
}

async function aptState(base: string): Promise<string[]> {
  const state = join(base, "apt");
  // The mirror is the host's, read at run time; its name is written nowhere.
  const sources = await readFile(process.env["SPECK_APT_SOURCES"] ?? "/etc/apt/sources.list.d/debian.sources", "utf8");
  const mirror = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!mirror) throw new Error("no URIs: line in the host's debian.sources");
  await mkdir(join(state, "lists/partial"), { recursive: true });
  await mkdir(join(state, "cache/archives/partial"), { recursive: true });
  await writeFile(join(state, "sources.list"), `deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror} ${SUITE} main\n`);
  const opts = ["-o", `Dir::Etc::sourcelist=${join(state, "sources.list")}`, "-o", "Dir::Etc::sourceparts=-", "-o", `Dir::State::Lists=${join(state, "lists")}`, "-o", `Dir::Cache=${join(state, "cache")}`, "-o", "APT::Sandbox::User=root"];
  const lists = await readdir(join(state, "lists"));
  if (!lists.some((f) => f.endsWith("_Packages"))) await run(["apt-get", "-qq", ...opts, "update"]);
  return opts;
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const source = await debianCrates();
  console.log(source.dir);
}
