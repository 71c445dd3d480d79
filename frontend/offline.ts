// The CLI's view of a build, with no daemon: the spec and the context come
// from the local disk, the toolchain is named but not pinned (pinning needs a
// registry). Used by `speck llb` and `speck explain`.

import { readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { formatPlatform, image, local, marshal, normalizeImageRef, type Definition, type Platform, type State } from "../llb/index.js";
import { contextPatterns, plan as makePlan, type Plan } from "./plan/index.js";
import { parseSpec, type Spec } from "./speckfile/index.js";
import { escapes } from "./pipeline/context.js";
import { assembleImage, compile, installPackages, installSysroot } from "./pipeline/graph.js";
import { hostPlatform } from "./gateway/platforms.js";
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
