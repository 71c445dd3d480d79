// The CLI's view of a build, with no daemon: the spec and the context come
// from the local disk, the toolchain is named but not pinned (pinning needs a
// registry). Used by `speck llb` and `speck explain`.

import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { formatPlatform, image, local, marshal, normalizeImageRef, type Definition, type Platform, type State } from "../llb/index.js";
import { checkPackageClauses, contextPatterns, goModFile, mainPackageFiles, noGoMod, parseGoMod, plan as makePlan, planGo, planToolchain, type Plan } from "./plan/index.js";
import { parseSpec, type Spec } from "./speckfile/index.js";
import { hostPlatform } from "./gateway/platforms.js";
import { goBuild, moduleDownload } from "./pipeline/go-graph.js";
import { escapes } from "./pipeline/context.js";
import { assembleImage, compile, installPackages, installSysroot } from "./pipeline/graph.js";
import { UserError } from "./errors.js";

export interface OfflineOptions {
  /** The build context directory; default: the build file's directory. */
  readonly context?: string;
  readonly platform: Platform;
  /** Where the toolchain runs (a daemon's worker platform); default: this machine's. */
  readonly buildPlatform?: Platform;
  /** A prepared toolchain image (like --build-context toolchain=docker-image://...). */
  readonly toolchain?: string;
  readonly sourceDateEpoch?: number;
}

export function loadSpecFile(file: string): Spec {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  return parseSpec(file, data);
}

/**
 * Regular files under `dir`, relative with `/`, as the gateway path sees the
 * context: a link that leaves it is refused (context.ts's rule). VCS and
 * dependency folders are skipped: they never hold inputs, and a real build
 * never sends them unless a pattern names them.
 */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const skip = new Set([".git", "node_modules"]);
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const full = join(d, entry.name);
      const rel = relative(dir, full).split(sep).join("/");
      if (entry.isDirectory()) walk(full);
      else if (entry.isSymbolicLink()) {
        const target = readlinkSync(full);
        if (escapes(rel, target)) throw new UserError(`\`${rel}\` is a symbolic link to \`${target}\`, outside the build context (copy the file into the context instead of linking to it)`);
        if (statSync(full, { throwIfNoEntry: false })?.isFile()) out.push(rel);
      } else if (entry.isFile()) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

export interface OfflineBuild {
  readonly spec: Spec;
  readonly plan: Plan;
  readonly image: State;
  readonly definition: Definition;
}

export function offlineBuild(file: string, opts: OfflineOptions): OfflineBuild {
  const spec = loadSpecFile(file);
  const contextDir = resolve(opts.context ?? dirname(file));
  const files = listFiles(contextDir);
  if (spec.language === "go") return offlineGoBuild(spec, contextDir, files, opts);
  const epoch = opts.sourceDateEpoch ?? 0;
  const plan = makePlan(spec, { platform: opts.platform, buildPlatform: opts.buildPlatform ?? hostPlatform(), files, sourceDateEpoch: epoch });
  const pid = formatPlatform(opts.platform);
  const runsOn = plan.toolchain.platform;
  const stage = { noCache: new Set<never>() };
  // Offline there is no session: the unique id keeps the cache key stable per context directory.
  const context = local("context", { uniqueId: `speck-cli:${contextDir}`, includePatterns: contextPatterns(spec), sharedKeyHint: "context", customName: "[internal] load build context" });
  const base = image(normalizeImageRef(opts.toolchain ?? plan.toolchain.image), { platform: runsOn });
  const sysroot = plan.toolchain.sysroot;
  const tools = opts.toolchain !== undefined ? base : installPackages(base, plan.toolchain, formatPlatform(runsOn), stage);
  const toolchain = opts.toolchain !== undefined || sysroot === undefined ? tools : installSysroot(tools, base, sysroot, pid, stage);
  const compiled = compile(toolchain, context, plan, pid, stage);
  const img = assembleImage(compiled, context, plan, epoch, stage);
  return { spec, plan, image: img, definition: marshal(img, { platform: opts.platform }) };
}

/**
 * A Go module offline: go.mod and the main package's files come from disk;
 * the toolchain runs on this machine's platform (the build platform of a
 * local daemon) and cross-compiles for the target.
 */
function offlineGoBuild(spec0: Spec, contextDir: string, files: readonly string[], opts: OfflineOptions): OfflineBuild {
  if (!files.includes("go.mod")) throw noGoMod(spec0);
  const goMod = parseGoMod(goModFile(readFileSync(join(contextDir, "go.mod"))));
  const spec = spec0.go?.nameFromModule ? parseSpec(spec0.file.name, spec0.file.data, { goModule: goMod.module.value }) : spec0;
  checkPackageClauses(spec, new Map(mainPackageFiles(spec, files).map((f) => [f, readFileSync(join(contextDir, f)).subarray(0, 8192)])));
  // Where the toolchain runs: planToolchain decides (the build platform; the target for cgo).
  const buildPlatform = planToolchain(spec, opts.platform, opts.buildPlatform ?? hostPlatform()).platform;
  const plan = planGo(spec, { platform: opts.platform, buildPlatform, files, goMod });
  const bpid = formatPlatform(buildPlatform);
  const stage = { noCache: new Set<never>() };
  const context = local("context", { uniqueId: `speck-cli:${contextDir}`, includePatterns: contextPatterns(spec), sharedKeyHint: "context", customName: "[internal] load build context" });
  const toolchain = opts.toolchain !== undefined
    ? image(normalizeImageRef(opts.toolchain), { platform: buildPlatform })
    : installPackages(image(normalizeImageRef(plan.toolchain.image), { platform: buildPlatform }), plan.toolchain, bpid, stage);
  const modules = moduleDownload(toolchain, context, plan, undefined, bpid, stage);
  const compiled = goBuild(toolchain, context, modules, plan, formatPlatform(opts.platform), stage);
  const img = assembleImage(compiled, context, plan, opts.sourceDateEpoch ?? 0, stage);
  return { spec, plan, image: img, definition: marshal(img, { platform: opts.platform }) };
}
