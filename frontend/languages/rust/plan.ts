// planRust(spec) -> Plan for a Cargo workspace: the toolchain (rust, cargo,
// clang and lld on the build platform; the target's C library and, for a
// foreign target, its rust-stdlib in /<triple>), the skeleton the fetch and
// dependency ops see, and the three cargo ops. Pure, like the other planners.
//
// Every target is compiled on the build platform: cargo always gets
// `--target`, and every target setting is per target
// (CARGO_TARGET_<TRIPLE>_*, CC_<triple>), so build scripts and proc-macros,
// which cargo builds for the host when `--target` is given (cargo #4423),
// keep the host's defaults and run natively.

import { UserError } from "../../errors.js";
import { spanOf, type Spec } from "../../speckfile/types.js";
import { assemblePlan, OUT_DIR, SRC_DIR } from "../../plan/plan.js";
import { sameMachine, sysrootOf, targetOf } from "../../plan/targets.js";
import type { CompilePlan, PlannedFlag, Platform, ToolchainPlan } from "../../plan/types.js";
import { RUST_PROFILES } from "./profiles.js";
import { rustKeysOf } from "./spec-part.js";
import type { CargoEnvVar, CargoOp, CrateSupply, RustBuildPlan, SkeletonFile } from "./types.js";
import { maskLock, maskManifest, type CargoWorkspace } from "./workspace.js";

/** CARGO_HOME in every op: fixed, so the fetch op's output is where the builds look and paths in the binary are the same on every machine. */
export const CARGO_HOME = "/cargo";
/** CARGO_TARGET_DIR: outside the read-only sources; the dependency op's output, the workspace op's starting point. */
export const CARGO_TARGET_DIR = "/target";
/** Where a `cargoregistry` named context (a cargo directory source) is mounted. */
export const CARGO_REGISTRY_DIR = "/cargo-registry";
/** The source name the registry context replaces cargo's default registry (`crates-io`) with. */
const REGISTRY_SOURCE = "speck-registry";

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/**
 * The toolchain for `platform`: always the build platform's rust and cargo
 * (rustc cross-compiles; nothing is emulated), clang as the target's linker
 * driver with lld, and gcc and musl-dev, which rustc's default linker `cc`
 * needs for the build scripts and proc-macros it links for the host. The
 * target root gets its C library and libgcc (gcc, musl-dev), the spec's
 * packages, and for a foreign target its standard library (rust-stdlib):
 * Alpine's `rust` carries only the host's.
 */
export function rustToolchain(spec: Spec, platform: Platform, buildPlatform: Platform = platform): ToolchainPlan {
  const target = targetOf(platform, spec.file);
  if (platform.architecture === "arm") {
    const span = spanOf(spec, "language") ?? spanOf(spec, "sources");
    throw new UserError(
      [{
        message: `cannot build Rust for ${target.id}: Alpine's rust cannot link a static binary for 32-bit Arm (its APKBUILD turns +crt-static off for arm* with "+crt-static still broken here"), and speck builds only static binaries`,
        ...(span ? { span } : {}),
        hint: "build for linux/arm64, or drop 32-bit Arm from --platform",
      }],
      spec.file,
    );
  }
  const foreign = !sameMachine(platform, buildPlatform);
  return {
    image: spec.toolchain.image,
    compiler: "cargo",
    platform: { ...buildPlatform },
    emulated: false,
    packages: sorted(["cargo", "clang", "gcc", "lld", "musl-dev", "rust"]),
    sysroot: { path: sysrootOf(target), triple: target.triple, apkArch: target.apkArch, packages: sorted(["gcc", "musl-dev", ...(foreign ? ["rust-stdlib"] : []), ...spec.packages]) },
    warnings: [],
  };
}

export interface RustPlanOptions {
  readonly platform: Platform;
  readonly buildPlatform: Platform;
  readonly files: readonly string[];
  readonly workspace: CargoWorkspace;
  /** Each manifest's text (context path -> text), and Cargo.lock's. */
  readonly texts: ReadonlyMap<string, string>;
  /** `cargoregistry` was given as a named context. */
  readonly registry?: boolean;
  readonly sourceDateEpoch?: number;
}

export function planRust(spec: Spec, options: RustPlanOptions): RustBuildPlan {
  const { platform, buildPlatform, files, workspace, texts } = options;
  const rust = rustKeysOf(spec);
  if (rust === undefined) throw new TypeError("planRust(): not a Rust spec");
  if (spec.name === "") throw new TypeError("planRust(): the spec's name comes from the workspace; parse it again with the binary's name");
  const toolchain = rustToolchain(spec, platform, buildPlatform);
  const sysroot = toolchain.sysroot;
  if (sysroot === undefined) throw new TypeError("rustToolchain() plans a target root");
  const triple = sysroot.triple;
  const profile = RUST_PROFILES[spec.profile];
  const { pkg, bin } = chooseBinary(spec, workspace, rust.bin);
  const lock = texts.get("Cargo.lock");
  if (lock === undefined) throw noLock(spec);
  const supply = crateSupply(files, lock, options.registry === true);
  const local = new Set(workspace.packages.map((p) => p.name));
  const epoch = options.sourceDateEpoch ?? 0;

  const T = triple.toUpperCase().replace(/[-.]/g, "_");
  const rustflags = [
    { flag: "-C target-feature=+crt-static", why: "link the C library statically: a scratch image has no loader or libc" },
    // Static, not static-pie (what +crt-static gives on Alpine's musl targets
    // by default), as C's size profile links -no-pie: a fixed load address
    // needs no self-relocation code or relocation tables. Measured with rustc
    // 1.95 on the host's x86_64-unknown-linux-gnu (no musl std was at hand
    // offline), the size profile on examples/rust-hello: static-pie
    // 1,125,664 B, static 1,084,664 B (-3.6%). The cost is ASLR for the
    // program's own image.
    { flag: "-C relocation-model=static", why: "a static executable at a fixed address, not static-pie (+crt-static's default on musl): no self-relocation code or tables (-3.6% on rust-hello); the program's own image gets no ASLR" },
    { flag: `-C link-arg=--target=${triple}`, why: "clang links for the target, whichever machine runs it" },
    { flag: `-C link-arg=--sysroot=${sysroot.path}`, why: "crt files, libc and libgcc from the target's own root (apk add --root)" },
    { flag: "-C link-arg=-fuse-ld=lld", why: "LLVM's linker: one linker for every architecture" },
    { flag: `--remap-path-prefix=${SRC_DIR}=.`, why: "paths in panic messages and debug info relative to the workspace, not the build's mount point" },
  ];
  const environment: CargoEnvVar[] = [
    { name: "CARGO_HOME", value: CARGO_HOME, why: "where the fetch op leaves the crates: fixed, so paths in the binary are the same on every machine" },
    { name: "CARGO_TARGET_DIR", value: CARGO_TARGET_DIR, why: "outside the read-only sources: the dependency op's output and the workspace op's starting point" },
    { name: "CARGO_TERM_COLOR", value: "never", why: "plain text in the build log" },
    { name: "SOURCE_DATE_EPOCH", value: String(epoch), why: "the time anything that records one (a build script, a proc-macro) writes: the same on every build" },
    { name: `CARGO_TARGET_${T}_LINKER`, value: "clang", why: "the target's linker driver, with the flags below; set for the target only, so build scripts and proc-macros link with the host's cc" },
    { name: `CARGO_TARGET_${T}_RUSTFLAGS`, value: rustflags.map((f) => f.flag).join(" "), why: "rustc's flags for the target's units only: a global RUSTFLAGS would reach build scripts and proc-macros too (cargo #4423)", parts: rustflags },
    { name: `CC_${triple}`, value: "clang", why: "the C compiler a build script (the cc crate) uses for the target" },
    { name: `CFLAGS_${triple}`, value: `--target=${triple} --sysroot=${sysroot.path}`, why: "its flags: compile for the target, against the target's root" },
  ];
  const env = sorted(environment.map((v) => `${v.name}=${v.value}`));
  const manifestProfile = releaseProfile(texts.get("Cargo.toml") ?? "");
  const settings = profile.settings.map((s) => (manifestProfile.has(s.key) ? { ...s, manifest: manifestProfile.get(s.key) as string } : s));
  const set = new Set(profile.settings.map((s) => s.key));
  const manifestKept = [...manifestProfile].filter(([key]) => !set.has(key)).map(([key, value]) => ({ key, value }));
  const featureFlags: PlannedFlag[] = [
    ...(rust.features.length > 0 ? [{ flag: "--features", why: "from `features`", from: "compiler" as const }, { flag: rust.features.join(","), why: "from `features`", from: "compiler" as const }] : []),
    ...(rust.defaultFeatures ? [] : [{ flag: "--no-default-features", why: "from `default-features: false`", from: "compiler" as const }]),
  ];
  const flags: PlannedFlag[] = [
    { flag: "--frozen", why: "Cargo.lock as written (--locked) and no network (--offline): the crates come from the fetch op, vendor/ or the registry context", from: "determinism" },
    { flag: "--release", why: "the release profile, with the Cargo profile settings above", from: "profile" },
    { flag: "--target", why: "cross-compile for the target; build scripts and proc-macros build for and run on the build platform", from: "compiler" },
    { flag: triple, why: "Alpine's name for the target", from: "compiler" },
    { flag: "-p", why: "the package that holds the binary", from: "compiler" },
    { flag: pkg, why: `the package of \`${bin}\``, from: "compiler" },
    ...featureFlags,
    ...profile.flags.map((f) => ({ ...f, from: "profile" as const })),
    ...(supply.kind === "registry"
      ? [
          { flag: `--config=source.crates-io.replace-with="${REGISTRY_SOURCE}"`, why: "cargo's default registry (crates-io) is replaced by the directory source from --build-context cargoregistry", from: "compiler" as const },
          { flag: `--config=source.${REGISTRY_SOURCE}.directory="${CARGO_REGISTRY_DIR}"`, why: "where that directory is mounted", from: "compiler" as const },
        ]
      : []),
  ];
  const binFlags: PlannedFlag[] = [{ flag: "--bin", why: "the one binary target to build", from: "compiler" }, { flag: bin, why: "from `bin`, or the workspace's only binary", from: "compiler" }];
  const build = ["cargo", "build", ...flags.map((f) => f.flag)];
  // `cargo rustc` passes what follows `--` to the binary's own unit only: every
  // dependency is compiled as `cargo build` compiles it (the same units, so the
  // workspace op reuses them), while the skeleton's stub binary stops at its
  // metadata, with no codegen and no link. With fat LTO that link is most of a
  // small program's build (rust-hello on the double: 36 s of 40 s).
  const dependencies: CargoOp = { argv: ["cargo", "rustc", ...flags.map((f) => f.flag), ...binFlags.map((f) => f.flag), "--", "--emit=metadata"], env };
  const output = `${OUT_DIR}/${spec.name}`;
  const compile: CompilePlan = {
    argv: [...build, ...binFlags.map((f) => f.flag)],
    env,
    cwd: SRC_DIR,
    srcDir: SRC_DIR,
    outDir: OUT_DIR,
    output,
    libs: [],
    flags: [...flags, ...binFlags],
  };
  const skeleton = skeletonFiles(workspace, texts, files, local);
  return assemblePlan(spec, {
    platform,
    profile,
    toolchain,
    sources: [...spec.sources],
    compile,
    compilePatterns: rustContextPatterns(spec),
  }, {
    rust: {
      package: pkg,
      bin,
      featureArgs: featureFlags.map((f) => f.flag),
      triple,
      buildPlatform: { ...buildPlatform },
      foreignStdlib: !sameMachine(platform, buildPlatform),
      supply,
      skeleton,
      skeletonDirs: supply.kind === "vendor" ? ["vendor"] : [],
      ...(supply.kind === "fetch" ? { fetch: { argv: ["cargo", "fetch", "--locked"], env: sorted([`CARGO_HOME=${CARGO_HOME}`, "CARGO_TERM_COLOR=never"]) } } : {}),
      dependencies,
      artifact: `${triple}/release/${bin}`,
      settings,
      manifestKept,
      environment,
      localPackages: [...local].sort(),
    },
  });
}

/** The package and binary to build: `bin`, or the workspace's only binary. */
export function chooseBinary(spec: Spec, workspace: CargoWorkspace, wanted: string | undefined): { pkg: string; bin: string } {
  const all = workspace.packages.flatMap((p) => p.bins.map((bin) => ({ pkg: p.name, bin })));
  const listed = all.map((b) => `\`${b.bin}\` (package ${b.pkg})`).join(", ");
  if (wanted !== undefined) {
    const found = all.find((b) => b.bin === wanted);
    if (found) return found;
    const span = spanOf(spec, "bin");
    throw new UserError([{ message: `the workspace has no binary target \`${wanted}\`${all.length > 0 ? `; it has ${listed}` : ""}`, ...(span ? { span } : {}), hint: all.length > 0 ? `write \`bin: ${all[0]?.bin}\`` : "add src/main.rs or a [[bin]] target" }], spec.file);
  }
  const span = spanOf(spec, "sources");
  const where = span ? { span } : {};
  if (all.length === 1 && all[0]) return all[0];
  if (all.length === 0) {
    throw new UserError([{ message: "the Cargo workspace has no binary target: no src/main.rs, src/bin/*.rs or [[bin]] in its members", ...where, hint: "add src/main.rs to a member package" }], spec.file);
  }
  throw new UserError([{ message: `the Cargo workspace has ${all.length} binary targets: ${listed}; speck builds one`, ...where, hint: `add \`bin: ${all[0]?.bin}\` (or another of them)` }], spec.file);
}

function crateSupply(files: readonly string[], lock: string, registry: boolean): CrateSupply {
  const vendored = files.some((f) => f.startsWith("vendor/")) && (files.includes(".cargo/config.toml") || files.includes(".cargo/config"));
  if (vendored) return { kind: "vendor" };
  if (!/^source\s*=/m.test(lock)) return { kind: "none" };
  return registry ? { kind: "registry" } : { kind: "fetch" };
}

/** The skeleton: masked manifests and lock, empty targets, and the context's cargo config. */
function skeletonFiles(workspace: CargoWorkspace, texts: ReadonlyMap<string, string>, files: readonly string[], local: ReadonlySet<string>): SkeletonFile[] {
  const out: SkeletonFile[] = [];
  for (const m of workspace.manifests) {
    const text = texts.get(m);
    if (text === undefined) throw new TypeError(`planRust(): no text for ${m}`);
    out.push({ path: m, from: "text", text: maskManifest(text), why: "the manifest, local versions masked" });
  }
  out.push({ path: "Cargo.lock", from: "text", text: maskLock(texts.get("Cargo.lock") ?? "", local), why: "the lock, local versions masked" });
  const seen = new Set(out.map((f) => f.path));
  for (const p of workspace.packages) {
    for (const s of p.stubs) {
      if (seen.has(s.path)) continue;
      seen.add(s.path);
      out.push({ path: s.path, from: "text", text: s.kind === "lib" ? "" : "fn main() {}\n", why: "a stub target" });
    }
  }
  for (const f of [".cargo/config.toml", ".cargo/config"]) if (files.includes(f)) out.push({ path: f, from: "context" });
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The keys of the top manifest's `[profile.release]`, with their values as written. */
function releaseProfile(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let inside = false;
  for (const line of text.split("\n")) {
    const header = /^\s*\[([^\[\]]+)\]/.exec(line);
    if (header) {
      inside = (header[1] ?? "").trim() === "profile.release";
      continue;
    }
    const kv = inside ? /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*(#.*)?$/.exec(line) : null;
    if (kv?.[1] && kv[2] !== undefined) out.set(kv[1], kv[2]);
  }
  return out;
}

/** A Rust build sends its workspace whole: every listed directory. */
export function rustContextPatterns(spec: Spec): string[] {
  return sorted(spec.sources.map((s) => (s === "." ? "**" : `${s}/**`)));
}

function noLock(spec: Spec): UserError {
  const span = spanOf(spec, "sources");
  return new UserError([{ message: "no Cargo.lock at the top of the build context: speck builds with --locked, from the versions the lock pins", ...(span ? { span } : {}), hint: "run `cargo generate-lockfile` (or any cargo build) and add Cargo.lock to the context" }], spec.file);
}

/** The error for a Rust build whose context has no Cargo.toml at its top. */
export function noManifest(spec: Spec): UserError {
  const span = spanOf(spec, "sources");
  return new UserError([{ message: "no Cargo.toml at the top of the build context: a Rust build starts from its workspace", ...(span ? { span } : {}), hint: "run `cargo init` in the context directory" }], spec.file);
}
