// planC(spec) -> Plan for C, C++ and mixed programs: the toolchain, the
// compiler argv, the context files to send. Pure and synchronous; the stages
// build LLB from the result.

import { isGlob } from "../../speckfile/sources.js";
import { expandSources, HEADER_EXTENSIONS } from "./sources.js";
import { spanOf, type Spec } from "../../speckfile/types.js";
import { assemblePlan, LINK_MAP, META_DIR, OUT_DIR, SRC_DIR } from "../../plan/plan.js";
import type { CompilePlan, Plan, PlannedFlag, Platform, ToolchainPlan } from "../../plan/types.js";
import { chooseCompiler, type CompilerChoice } from "./compiler.js";
import { sourceInputs } from "./source-languages.js";
import { C_PROFILES, profileFlags } from "./profiles.js";
import { vendorPins } from "./vendor-defaults.js";
import { projectPackages } from "./build-files.js";
import { cKeysOf, type ProjectBuild } from "./spec-part.js";

export interface PlanOptions {
  /** The target platform: the binary and the image are for it. */
  readonly platform: Platform;
  /** The worker's platform, where clang runs for every target; the target's own when omitted. */
  readonly buildPlatform?: Platform;
  /** The context's files (relative, `/`-separated); required only when `sources` has globs. */
  readonly files?: readonly string[];
  /** Seconds since the epoch for SOURCE_DATE_EPOCH; 0 when the build does not set one. */
  readonly sourceDateEpoch?: number;
  /** Write a link map for the SBOM (`--sbom`); off, the compile is byte-for-byte the one without it. */
  readonly linkMap?: boolean;
  /** A CMake or Meson project: how its target was compiled, once the frontend has read ninja's commands. */
  readonly projectMode?: ProjectModeSummary;
}

/** How a project's target compiles: its units as a graph, one ninja op (and why), or not known offline. */
export type ProjectModeSummary = { readonly kind: "units"; readonly units: number; readonly archives: number } | { readonly kind: "ninja"; readonly why: string } | { readonly kind: "offline" };

/** A CMake or Meson project's part of the plan, for explain. */
export interface ProjectPlanPart {
  readonly project?: ProjectBuild & { readonly mode: ProjectModeSummary };
}

/**
 * Stage 1 alone: what the toolchain needs depends on the spec and platform,
 * not on the context's files, so the frontend resolves it while the context
 * is still being transferred.
 */
export function cToolchain(spec: Spec, platform: Platform, buildPlatform: Platform = platform): ToolchainPlan {
  return toolchainOf(spec, chooseCompiler(spec, platform, buildPlatform));
}

function toolchainOf(spec: Spec, c: CompilerChoice): ToolchainPlan {
  const project = cKeysOf(spec).project;
  return {
    image: spec.toolchain.image,
    compiler: c.name,
    platform: { ...c.runsOn },
    emulated: c.emulated,
    // A CMake or Meson project: its build system, samurai and llvm-ar on the build platform.
    packages: project ? [...new Set([...c.packages, ...projectPackages(project.system)])].sort() : c.packages,
    ...(c.sysroot ? { sysroot: c.sysroot } : {}),
    warnings: c.warnings,
  };
}

export function planC(spec: Spec, options: PlanOptions): Plan & ProjectPlanPart {
  const { platform } = options;
  if (spec.language !== "c" && spec.language !== "c++") throw new TypeError(`planC(): a ${spec.language} spec is planned by its own language`);
  const program = spec.language;
  const compiler = chooseCompiler(spec, platform, options.buildPlatform ?? platform);
  const toolchain = toolchainOf(spec, compiler);
  const sources = resolveSources(spec, options.files);
  const profile = C_PROFILES[spec.profile];
  const driver = compiler.drivers[program];
  const epoch = options.sourceDateEpoch ?? 0;
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new TypeError(`sourceDateEpoch must be a non-negative integer, got ${epoch}`);

  const flags: PlannedFlag[] = [
    ...compiler.targetFlags,
    ...profileFlags(profile, program, compiler.name).map((f) => ({ ...f, from: "profile" as const })),
    ...vendorPins(profile.name, compiler.name, compiler.target),
    ...compiler.linkFlags,
    { flag: `-ffile-prefix-map=${SRC_DIR}=.`, why: "record source paths relative to the context, not the build's mount point", from: "determinism" },
    { flag: `-frandom-seed=${randomSeed(spec.name, sources)}`, why: "name-mangling seeds from the inputs, not from a random number", from: "determinism" },
    ...spec.cflags.map((flag) => ({ flag, why: "from `cflags`", from: "user" as const, key: "cflags" as const })),
    ...spec.defines.map((d) => ({ flag: d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`, why: "from `defines`", from: "user" as const, key: "defines" as const })),
    ...spec.include.map((dir) => ({ flag: `-I${SRC_DIR}/${dir}`, why: "from `include`", from: "user" as const, key: "include" as const })),
    ...spec.ldflags.map((flag) => ({ flag, why: "from `ldflags`", from: "user" as const, key: "ldflags" as const })),
    ...(options.linkMap ? [{ flag: `-Wl,-Map=${LINK_MAP}`, why: "for the SBOM: the linker lists every archive member it put into the binary", from: "sbom" as const }] : []),
  ];
  const output = `${OUT_DIR}/${spec.name}`;
  const libs = spec.libs.map((l) => `-l${l}`);
  const compile: CompilePlan = {
    argv: [driver, ...flags.map((f) => f.flag), "-o", output, ...sourceInputs(sources, program, libs.length > 0), ...libs],
    // PATH is the toolchain image's own (a prepared toolchain may keep its compiler elsewhere).
    env: [`LC_ALL=C`, `SOURCE_DATE_EPOCH=${epoch}`],
    cwd: SRC_DIR,
    srcDir: SRC_DIR,
    outDir: OUT_DIR,
    output,
    libs,
    flags,
    ...(options.linkMap ? { linkMap: { dir: META_DIR, path: LINK_MAP } } : {}),
  };
  const project = cKeysOf(spec).project;
  const own: ProjectPlanPart = project ? { project: { ...project, mode: options.projectMode ?? { kind: "offline" } } } : {};
  return assemblePlan(spec, { platform, profile, toolchain, sources, compile, compilePatterns: cCompilePatterns(spec) }, own);
}

function resolveSources(spec: Spec, files: readonly string[] | undefined): string[] {
  if (files === undefined) {
    if (spec.sources.some(isGlob)) throw new TypeError("planC(): the spec's sources have globs; pass the context's file list as options.files");
    return [...spec.sources];
  }
  const spans = spec.sources.map((_, i) => spanOf(spec, `sources[${i}]`));
  return expandSources(spec.sources, files, { file: spec.file, spans });
}

/**
 * What the compile needs from the context: the source patterns, every file
 * under the include directories, and the headers beside the sources (for
 * `#include "x.h"`). Nothing else is sent to the daemon.
 */
export function cCompilePatterns(spec: Spec): string[] {
  // A project's build files name its sources: the whole context is sent (the configure step sees only its build files for real).
  if (cKeysOf(spec).project) return ["**"];
  const out = new Set<string>(spec.sources);
  for (const dir of spec.include) out.add(`${dir}/**`);
  for (const s of spec.sources) {
    const slash = s.lastIndexOf("/");
    const dir = slash < 0 ? "" : `${s.slice(0, slash)}/`;
    for (const ext of HEADER_EXTENSIONS) out.add(`${dir}*${ext}`);
  }
  return [...out].sort();
}

/**
 * One seed for the single compiler invocation, derived from the name and the
 * source list (FNV-1a): stable across builds, different between programs.
 * gcc takes one -frandom-seed per driver run, so files of one program share it;
 * it only seeds names of otherwise-anonymous symbols, which stay file-local.
 */
function randomSeed(name: string, sources: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const ch of `${name}\0${sources.join("\0")}`) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `speck-${h.toString(16).padStart(8, "0")}`;
}
