// Plan -> LLB: the three stages of a speck build as pure functions over
// llb/ states. Nothing here talks to the daemon; build.ts resolves the
// toolchain and the context first, the CLI does the same offline.
// These are the stage builders every language shares; a language's own ops
// (a unit graph, a module download) are in frontend/languages/<name>/.

import { copy, mkdir, mount, scratch, timestampFromSeconds, type ExecState, type Mount, type SourceLocation, type State } from "../../llb/index.js";
import type { Plan, SysrootPlan, ToolchainPlan } from "../plan/index.js";
import { targetCacheMount, targetRootInstallArgv } from "../plan/apk-root.js";
import { DEFAULT_NETWORK, packageNetwork, type NetworkSettings } from "./network.js";

/** The stages of a speck build, by the names `--no-cache-filter` takes. */
export const STAGES = ["toolchain", "compile", "image"] as const;
export type Stage = (typeof STAGES)[number];

/** Per-build switches that change how ops are cached and labelled, not what they do. */
export interface StageOptions {
  /** The stages to run again instead of taking from the cache (`--no-cache`, `--no-cache-filter`). */
  readonly noCache: ReadonlySet<Stage>;
  /** Where in the build file each stage comes from, so a failing step shows that line. */
  readonly locations?: { readonly toolchain?: SourceLocation | undefined; readonly compile?: SourceLocation | undefined };
  /** `--network` and the proxy build args, for the ops that download (network.ts); none given: the sandbox network. */
  readonly network?: NetworkSettings;
}

/** Where the package cache lives in Alpine; a cache mount keeps downloads across builds. */
const APK_CACHE = "/var/cache/apk";

/**
 * Stage 1: the Alpine base plus exactly the packages the plan names. The
 * package cache is a cache mount keyed by platform (packages differ per
 * architecture), locked because apk does not share its cache safely.
 */
export function installPackages(base: State, toolchain: ToolchainPlan, platformId: string, opts: StageOptions): State {
  const location = opts.locations?.toolchain;
  return base
    .run({
      // --update-cache: Alpine images ship no package index; fetch it (into the cache mount) first.
      args: ["apk", "add", "--no-progress", "--update-cache", "--cache-dir", APK_CACHE, ...toolchain.packages],
      mounts: [mount.cache(APK_CACHE, `speck-apk-${platformId}`, { sharing: "locked" })],
      ...packageNetwork(opts.network ?? DEFAULT_NETWORK),
      customName: `[toolchain ${platformId}] apk add ${toolchain.packages.join(" ")}`,
      ...(opts.noCache.has("toolchain") ? { ignoreCache: true } : {}),
      ...(location ? { sourceLocations: [location] } : {}),
    })
    .root();
}

/**
 * Stage 1, second half (clang): the target's libraries in a root of their
 * own, `/<triple>`, installed by the build platform's apk for the target's
 * architecture (the way tonistiigi/xx's xx-apk does it). The root gets the
 * base image's repositories first, as a file, so apk needs no shell; then one
 * `apk add --root --initdb --arch` (apk-root.ts: the target's own keys, no
 * install scripts). Its downloads go to a cache mount keyed by the target
 * platform (its packages are that architecture's), inside the root where apk
 * resolves `--cache-dir`, so none of them lands in the toolchain layer.
 */
export function installSysroot(toolchain: State, base: State, sysroot: SysrootPlan, targetId: string, opts: StageOptions): State {
  const location = opts.locations?.toolchain;
  const apkDir = `${sysroot.path}/etc/apk`;
  const prepared = toolchain.file(
    [mkdir(apkDir, 0o755, { makeParents: true }), copy(base, "/etc/apk/repositories", `${apkDir}/repositories`)],
    { customName: `[toolchain ${targetId}] prepare ${sysroot.path} for apk --root` },
  );
  return prepared
    .run({
      args: targetRootInstallArgv(sysroot),
      mounts: [mount.cache(targetCacheMount(sysroot), `speck-apk-${targetId}`, { sharing: "locked" })],
      ...packageNetwork(opts.network ?? DEFAULT_NETWORK),
      customName: `[toolchain ${targetId}] apk add --root ${sysroot.path} ${sysroot.packages.join(" ")}`,
      ...(opts.noCache.has("toolchain") ? { ignoreCache: true } : {}),
      ...(location ? { sourceLocations: [location] } : {}),
    })
    .root();
}

/**
 * Stage 2: one compiler run. The sources are a read-only mount of the
 * context (only the files the plan names were sent), the binary goes to a
 * fresh mount, and the step has no network: nothing but the inputs can
 * shape the output.
 */
export function compile(toolchain: State, context: State, plan: Plan, platformId: string, opts: StageOptions): State {
  return compileOutputs(toolchain, context, plan, platformId, opts).binary;
}

/** compile(), plus the link map's mount when the plan asks for one (the SBOM reads it). */
/** What the compile stage hands on: the binary's mount, and the link map's when the plan asks for one. */
export interface CompileOutputs {
  readonly binary: State;
  readonly linkMap?: State;
}

export function compileOutputs(toolchain: State, context: State, plan: Plan, platformId: string, opts: StageOptions): CompileOutputs {
  const c = plan.compile;
  // SBOM: the link map, a second output of the link step.
  const exec = compileExec(toolchain, context, plan, platformId, opts, c.linkMap ? [mount.bind(c.linkMap.dir, scratch())] : [], opts.locations?.compile);
  return { binary: exec.getMount(c.outDir), ...(c.linkMap ? { linkMap: exec.getMount(c.linkMap.dir) } : {}) };
}

/**
 * The plan's compile as one exec, C's and Go's alike: the context read-only at
 * the source directory, a fresh output mount, no network, plus `extra` mounts.
 */
export function compileExec(toolchain: State, context: State, plan: Plan, label: string, opts: StageOptions, extra: readonly Mount[], location?: SourceLocation): ExecState {
  const c = plan.compile;
  return toolchain.run({
    args: c.argv,
    env: envRecord(c.env),
    cwd: c.cwd,
    // Root inside a throwaway, offline step: the fresh /out mount is root-owned,
    // and a prepared toolchain's own USER must not make it unwritable.
    user: "0:0",
    network: "none",
    mounts: [mount.bind(c.srcDir, context, { readonly: true }), mount.bind(c.outDir, scratch()), ...extra],
    customName: `[compile ${label}] ${c.argv.join(" ")}`,
    ...(opts.noCache.has("compile") ? { ignoreCache: true } : {}),
    ...(location ? { sourceLocations: [location] } : {}),
  });
}

/**
 * Stage 3: scratch plus the binary (0755, root-owned) plus the spec's extra
 * files, every timestamp set to SOURCE_DATE_EPOCH (or 0) so the layer is the
 * same bytes on every build.
 */
export function assembleImage(
  compiled: State,
  context: State,
  plan: Plan,
  epochSeconds: number,
  opts: StageOptions & { readonly customName?: string },
): State {
  const timestamp = timestampFromSeconds(epochSeconds);
  const owner = { user: 0, group: 0 };
  const bin = plan.image.binary;
  // Parent directories are made explicitly: ones a copy creates on its own
  // would carry the time of the build, and the layer would differ each time.
  const actions = [
    copy(compiled, bin.path, bin.path, { mode: bin.mode, owner, timestamp }),
    ...parentDirs(plan.image.files.map((f) => f.dest)).map((dir) => mkdir(dir, 0o755, { owner, timestamp })),
    ...plan.image.files.map((f) => copy(context, f.src, f.dest, { mode: f.mode, owner, timestamp })),
  ];
  return scratch().file(actions, {
    ...(opts.customName !== undefined ? { customName: opts.customName } : {}),
    ...(opts.noCache.has("image") ? { ignoreCache: true } : {}),
  });
}

/** Every directory above the given absolute paths, parents first, without `/`. */
export function parentDirs(paths: readonly string[]): string[] {
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) dirs.add(`/${parts.slice(0, i).join("/")}`);
  }
  return [...dirs].sort();
}

/** A plan's `KEY=VALUE` list as the record an exec takes. */
export function envRecord(env: readonly string[]): Record<string, string> {
  return Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}
