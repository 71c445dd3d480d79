// The CLI's view of a build, with no daemon: the spec and the context come
// from the local disk, the toolchain is named but not pinned (pinning needs a
// registry). Used by `speck llb` and `speck explain`.

import { openSync, readdirSync, readFileSync, readlinkSync, readSync, closeSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { image, local, marshal, normalizeImageRef, type Definition, type Platform, type State } from "../llb/index.js";
import { withImageFiles, type Plan, type ToolchainPlan } from "./plan/index.js";
import type { Spec } from "./speckfile/index.js";
import { hostPlatform } from "./gateway/platforms.js";
import { escapes } from "./pipeline/context.js";
import { assembleImage, type StageOptions } from "./pipeline/stages.js";
import { toolchainStages } from "./pipeline/toolchain.js";
import type { NetworkSettings } from "./pipeline/network.js";
import { languageFromContext, parseBuildFile, supportFor } from "./languages/registry.js";
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
  /** `--network` and proxies, as a build would get them from buildx. */
  readonly network?: NetworkSettings;
}

export function loadSpecFile(file: string): Spec {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  return parseBuildFile(file, data);
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
  const contextDir = resolve(opts.context ?? dirname(file));
  const files = listFiles(contextDir);
  const spec0 = languageFromContext(loadSpecFile(file), files);
  const language = supportFor(spec0);
  const stage: StageOptions = { noCache: new Set(), ...(opts.network ? { network: opts.network } : {}) };
  // Offline there is no session: the unique id keeps the cache key stable per context directory.
  const context = local("context", { uniqueId: `speck-cli:${contextDir}`, includePatterns: withImageFiles(spec0, language.contextPatterns(spec0)), sharedKeyHint: "context", customName: "[internal] load build context" });
  const { spec, plan, compiled } = language.prepareOffline({
    spec: spec0,
    files,
    readFile: (path, length) => readContextFile(join(contextDir, path), length),
    platform: opts.platform,
    buildPlatform: opts.buildPlatform ?? hostPlatform(),
    sourceDateEpoch: opts.sourceDateEpoch ?? 0,
    context,
    stage,
    toolchain: (tc) => offlineToolchain(tc, opts, stage),
  });
  const img = assembleImage(compiled, context, plan, opts.sourceDateEpoch ?? 0, stage);
  return { spec, plan, image: img, definition: marshal(img, { platform: opts.platform }) };
}

/**
 * The toolchain as the CLI names it: a prepared image used as is (like
 * --build-context toolchain=docker-image://...), or the plan's base image,
 * not pinned (pinning needs a registry), with the same package stages as a build.
 */
function offlineToolchain(tc: ToolchainPlan, opts: OfflineOptions, stage: StageOptions): State {
  const base = image(normalizeImageRef(opts.toolchain ?? tc.image), { platform: tc.platform });
  return opts.toolchain !== undefined ? base : toolchainStages(base, tc, opts.platform, stage);
}

/** A context file, or its first `length` bytes. */
function readContextFile(path: string, length: number | undefined): Uint8Array {
  if (length === undefined) return readFileSync(path);
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(length);
    return buf.subarray(0, readSync(fd, buf, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}
