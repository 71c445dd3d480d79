// Plan -> LLB for a Cargo workspace, as pure functions: the skeleton, the
// stdlib link for a foreign target, and the three cargo ops. Every op runs on
// the build platform; only the image is the target's.
//
// Why the dependency op cannot leave a stale build behind (cargo #2644,
// #9312: a path crate is judged fresh when its sources are older than the
// last build's dep-info): the skeleton gives every local package the version
// SKELETON_VERSION, which no real crate has. Cargo puts the package id, and
// so its version, into each unit's metadata hash (the `-C metadata` and the
// names of its files in target/ and its fingerprint), so in the workspace op
// every local package is a unit the dependency op never built: cargo compiles
// it from the real sources whatever their mtimes. The registry crates' ids
// are the same in both ops, and cargo judges those by id, not by mtime, so
// they are reused.
//
// Checked with cargo 1.95 on examples/rust-serde, the skeleton and then the
// real workspace at the same path, every real file's mtime set to 2001 (older
// than the skeleton's build) and greeting's word edited: with the skeleton as
// speck writes it, cargo compiled greeting and rust-serde again, reused the
// nine registry crates, and the program printed the edit. The negative
// control, the skeleton with the real versions left in: cargo compiled
// nothing, and the binary was the stub's empty main.

import { copy, mkdir, mkfile, mount, scratch, timestampFromSeconds, type SourceLocation, type State } from "../../../llb/index.js";
import { DEFAULT_NETWORK, downloadNetwork, type Download } from "../../pipeline/network.js";
import { envRecord, parentDirs, type StageOptions } from "../../pipeline/stages.js";
import { CARGO_HOME, CARGO_REGISTRY_DIR, CARGO_TARGET_DIR } from "./plan.js";
import type { RustBuildPlan } from "./types.js";

/**
 * The skeleton the fetch and dependency ops see, made by one FileOp: the
 * manifests and lock (local versions masked), empty targets, the context's
 * cargo config and vendor/. Its cache key is these bytes alone, so an edit
 * anywhere else in the workspace keeps both ops cached.
 */
export function skeleton(context: State, plan: RustBuildPlan): State {
  const r = plan.rust;
  const timestamp = timestampFromSeconds(0);
  const dirs = parentDirs([...r.skeleton.map((f) => `/${f.path}`), ...r.skeletonDirs.map((d) => `/${d}`)]);
  return scratch().file(
    [
      ...dirs.map((d) => mkdir(d, 0o755, { timestamp })),
      ...r.skeleton.map((f) => (f.from === "text" ? mkfile(`/${f.path}`, 0o644, f.text, { timestamp }) : copy(context, f.path, `/${f.path}`, { timestamp }))),
      ...r.skeletonDirs.map((d) => copy(context, d, `/${d}`, { copyDirContentsOnly: true, createDestPath: true })),
    ],
    { customName: `[rust] skeleton: ${r.skeleton.filter((f) => !f.path.endsWith(".rs")).map((f) => f.path).join(", ")} and ${r.skeleton.filter((f) => f.path.endsWith(".rs")).length} stub targets` },
  );
}

/**
 * A foreign target's standard library is in its root (rust-stdlib installed
 * with apk --root); rustc looks for it in its own sysroot, so a link puts it
 * there (as tonistiigi/xx's xx-cargo does). `ln` comes from the base image's
 * busybox; the argv has no shell.
 */
export function linkStdlib(toolchain: State, plan: RustBuildPlan, label: string, opts: StageOptions): State {
  const t = plan.rust.triple;
  if (!plan.rust.foreignStdlib) return toolchain;
  const argv = ["ln", "-sfn", `/${t}/usr/lib/rustlib/${t}`, `/usr/lib/rustlib/${t}`];
  return toolchain.run({
    args: argv,
    user: "0:0",
    network: "none",
    customName: `[toolchain ${label}] ${argv.join(" ")}`,
    ...(opts.noCache.has("toolchain") ? { ignoreCache: true } : {}),
  }).root();
}

/** What the fetch op says when the build has no network (network.ts): what it downloads and what to give instead. */
export function fetchDownload(plan: RustBuildPlan, where: Pick<Download, "file" | "span">): Download {
  return {
    op: `the fetch op (${plan.rust.fetch?.argv.join(" ") ?? "cargo fetch --locked"})`,
    what: "the crates Cargo.lock names",
    instead: "give the crates without a network: a vendor/ directory with .cargo/config.toml (`cargo vendor`), or --build-context cargoregistry=<dir> (a cargo directory source)",
    ...where,
  };
}

/**
 * The fetch op: `cargo fetch --locked` on the skeleton, into an empty
 * CARGO_HOME (its output), with the build's network and proxies (`--network`:
 * network.ts refuses `none` before anything runs).
 */
export function fetchCrates(toolchain: State, skel: State, plan: RustBuildPlan, label: string, opts: StageOptions, download: Download, location?: SourceLocation): State | undefined {
  const f = plan.rust.fetch;
  if (f === undefined) return undefined;
  return toolchain.run({
    ...fetchRun(skel, plan, opts, download),
    args: f.argv,
    customName: `[crates ${label}] ${f.argv.join(" ")}`,
    ...(opts.noCache.has("compile") ? { ignoreCache: true } : {}),
    ...(location ? { sourceLocations: [location] } : {}),
  }).getMount(CARGO_HOME);
}

/** What the fetch op runs with, but its argv: the one place that says it (the failure diagnosis runs it again). */
export function fetchRun(skel: State, plan: RustBuildPlan, opts: StageOptions, download: Download) {
  const f = plan.rust.fetch;
  if (f === undefined) throw new TypeError("fetchRun(): the plan has no fetch op");
  const src = plan.compile.srcDir;
  return {
    env: envRecord(f.env),
    cwd: src,
    user: "0:0",
    ...downloadNetwork(opts.network ?? DEFAULT_NETWORK, download),
    mounts: [mount.bind(src, skel, { readonly: true }), mount.bind(CARGO_HOME, scratch())],
  };
}

export interface CargoInputs {
  readonly toolchain: State;
  /** CARGO_HOME from the fetch op, if there is one. */
  readonly crates: State | undefined;
  /** The `cargoregistry` named context. */
  readonly registry: State | undefined;
}

export function cargoMounts(inputs: CargoInputs, plan: RustBuildPlan) {
  return [
    // Writable: cargo takes its package-cache lock and unpacks .crate files under CARGO_HOME; the changes are thrown away.
    mount.bind(CARGO_HOME, inputs.crates ?? scratch()),
    ...(plan.rust.supply.kind === "registry" && inputs.registry ? [mount.bind(CARGO_REGISTRY_DIR, inputs.registry, { readonly: true })] : []),
  ];
}

/** The dependency op: every dependency compiled against the skeleton, no network; its output is the target directory. */
export function buildDependencies(inputs: CargoInputs, skel: State, plan: RustBuildPlan, label: string, opts: StageOptions, location?: SourceLocation): State {
  const d = plan.rust.dependencies;
  const src = plan.compile.srcDir;
  return inputs.toolchain.run({
    args: d.argv,
    env: envRecord(d.env),
    cwd: src,
    user: "0:0",
    network: "none",
    mounts: [mount.bind(src, skel, { readonly: true }), ...cargoMounts(inputs, plan), mount.bind(CARGO_TARGET_DIR, scratch())],
    customName: `[dependencies ${label}] ${d.argv.join(" ")}`,
    ...(opts.noCache.has("compile") ? { ignoreCache: true } : {}),
    ...(location ? { sourceLocations: [location] } : {}),
  }).getMount(CARGO_TARGET_DIR);
}

/**
 * The workspace op: the same cargo build plus `--bin`, on the real sources
 * (read-only), starting from the dependency op's target directory (a
 * writable copy-on-write mount, so that op's result stays as it was). The
 * binary is then copied out of the target directory.
 */
export function buildWorkspace(inputs: CargoInputs, context: State, deps: State, plan: RustBuildPlan, label: string, opts: StageOptions, location?: SourceLocation): State {
  const c = plan.compile;
  const target = inputs.toolchain.run({
    args: c.argv,
    env: envRecord(c.env),
    cwd: c.cwd,
    user: "0:0",
    network: "none",
    mounts: [mount.bind(c.srcDir, context, { readonly: true }), ...cargoMounts(inputs, plan), mount.bind(CARGO_TARGET_DIR, deps)],
    customName: `[compile ${label}] ${c.argv.join(" ")}`,
    ...(opts.noCache.has("compile") ? { ignoreCache: true } : {}),
    ...(location ? { sourceLocations: [location] } : {}),
  }).getMount(CARGO_TARGET_DIR);
  return scratch().file([copy(target, `/${plan.rust.artifact}`, `/${plan.name}`)], { customName: `[compile ${label}] take ${plan.rust.artifact}` });
}
