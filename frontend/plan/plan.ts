// plan(spec) -> Plan: the toolchain, the compiler argv, the context files to
// send and the image config. Pure and synchronous; the frontend pins images
// and builds LLB from the result.

import { expandSources, HEADER_EXTENSIONS, isGlob } from "../speckfile/sources.js";
import { spanOf, type Spec } from "../speckfile/types.js";
import { chooseCompiler, type CompilerChoice } from "./compiler.js";
import { goContextPatterns } from "./go.js";
import { sourceInputs } from "./languages.js";
import { targetOf } from "./targets.js";
import { PROFILES, profileFlags } from "./profiles.js";
import { vendorPins } from "./vendor-defaults.js";
import type { CompilePlan, ImageConfigPlan, Plan, PlannedFlag, Platform, ToolchainPlan } from "./types.js";

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
}

export const SRC_DIR = "/src";
export const OUT_DIR = "/out";
/** The link step's second output, only with an SBOM: the linker's map file. */
export const META_DIR = "/meta";
export const LINK_MAP = `${META_DIR}/link.map`;

/**
 * Stage 1 alone: what the toolchain needs depends on the spec and platform,
 * not on the context's files, so the frontend resolves it while the context
 * is still being transferred.
 */
export function planToolchain(spec: Spec, platform: Platform, buildPlatform: Platform = platform): ToolchainPlan {
  if (spec.language === "go") return goToolchain(spec, platform, buildPlatform);
  return toolchainOf(spec, chooseCompiler(spec, platform, buildPlatform));
}

/**
 * Go cross-compiles by itself (GOOS/GOARCH/GOARM): its toolchain runs on the
 * build platform for every target. cgo needs the target's C compiler, so a
 * cgo build runs on the target (emulated where it is foreign) with gcc.
 */
function goToolchain(spec: Spec, platform: Platform, buildPlatform: Platform): ToolchainPlan {
  const target = targetOf(platform, spec.file);
  const cgo = spec.go?.cgo === true;
  const runsOn = cgo ? platform : buildPlatform;
  const emulated = cgo && (platform.architecture !== buildPlatform.architecture || (platform.variant ?? "") !== (buildPlatform.variant ?? ""));
  return {
    image: spec.toolchain.image,
    compiler: "go",
    platform: { ...runsOn },
    emulated,
    packages: [...new Set(["go", ...(cgo ? ["gcc", "musl-dev"] : []), ...spec.packages])].sort(),
    warnings: emulated ? [`${target.id}: cgo needs the target's C compiler, so the Go toolchain runs under emulation on ${target.id}`] : [],
  };
}

function toolchainOf(spec: Spec, c: CompilerChoice): ToolchainPlan {
  return {
    image: spec.toolchain.image,
    compiler: c.name,
    platform: { ...c.runsOn },
    emulated: c.emulated,
    packages: c.packages,
    ...(c.sysroot ? { sysroot: c.sysroot } : {}),
    warnings: c.warnings,
  };
}

export function plan(spec: Spec, options: PlanOptions): Plan {
  const { platform } = options;
  if (spec.language === "go") throw new TypeError("plan(): a Go spec is planned by planGo()");
  const compiler = chooseCompiler(spec, platform, options.buildPlatform ?? platform);
  const toolchain = toolchainOf(spec, compiler);
  const sources = resolveSources(spec, options.files);
  const profile = PROFILES[spec.profile];
  const driver = compiler.drivers[spec.language];
  const epoch = options.sourceDateEpoch ?? 0;
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new TypeError(`sourceDateEpoch must be a non-negative integer, got ${epoch}`);

  const flags: PlannedFlag[] = [
    ...compiler.targetFlags,
    ...profileFlags(profile, spec.language, compiler.name).map((f) => ({ ...f, from: "profile" as const })),
    ...vendorPins(profile.name, compiler.name, compiler.target),
    ...compiler.linkFlags,
    { flag: `-ffile-prefix-map=${SRC_DIR}=.`, why: "record source paths relative to the context, not the build's mount point", from: "determinism" },
    { flag: `-frandom-seed=${randomSeed(spec.name, sources)}`, why: "name-mangling seeds from the inputs, not from a random number", from: "determinism" },
    ...spec.cflags.map((flag) => ({ flag, why: "from `cflags`", from: "user" as const })),
    ...spec.defines.map((d) => ({ flag: d.value === undefined ? `-D${d.name}` : `-D${d.name}=${d.value}`, why: "from `defines`", from: "user" as const })),
    ...spec.include.map((dir) => ({ flag: `-I${SRC_DIR}/${dir}`, why: "from `include`", from: "user" as const })),
    ...spec.ldflags.map((flag) => ({ flag, why: "from `ldflags`", from: "user" as const })),
    ...(options.linkMap ? [{ flag: `-Wl,-Map=${LINK_MAP}`, why: "for the SBOM: the linker lists every archive member it put into the binary", from: "sbom" as const }] : []),
  ];
  const output = `${OUT_DIR}/${spec.name}`;
  const libs = spec.libs.map((l) => `-l${l}`);
  const compile: CompilePlan = {
    argv: [driver, ...flags.map((f) => f.flag), "-o", output, ...sourceInputs(sources, spec.language, libs.length > 0), ...libs],
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
  return assemblePlan(spec, { platform, profile, toolchain, sources, compile, compilePatterns: compilePatterns(spec) });
}

/**
 * A plan's fields that every language fills the same way from the spec (name,
 * image, budget, context patterns), around what its own planner decided.
 */
export function assemblePlan(
  spec: Spec,
  parts: Pick<Plan, "platform" | "profile" | "toolchain" | "sources" | "compile" | "go"> & { readonly compilePatterns: readonly string[] },
): Plan {
  const { compilePatterns: compile, ...decided } = parts;
  return deepFreeze({
    name: spec.name,
    language: spec.language,
    ...decided,
    platform: { ...parts.platform },
    context: { compile, image: [...new Set(spec.image.files.map((f) => f.src))].sort() },
    image: imagePlan(spec),
    ...(spec.budget !== undefined ? { budget: spec.budget } : {}),
  });
}

/** The image config and the binary's place in the image, from the spec's image block. */
function imagePlan(spec: Spec): ImageConfigPlan {
  const img = spec.image;
  return {
    entrypoint: img.entrypoint,
    cmd: img.cmd,
    env: img.env,
    user: img.user,
    workingDir: img.workdir,
    labels: img.labels,
    exposedPorts: img.expose,
    ...(img.stopsignal !== undefined ? { stopSignal: img.stopsignal } : {}),
    binary: { path: `/${spec.name}`, mode: 0o755 },
    files: img.files.map((f) => ({ ...f })),
  };
}

function resolveSources(spec: Spec, files: readonly string[] | undefined): string[] {
  if (files === undefined) {
    if (spec.sources.some(isGlob)) throw new TypeError("plan(): the spec's sources have globs; pass the context's file list as options.files");
    return [...spec.sources];
  }
  const spans = spec.sources.map((_, i) => spanOf(spec, `sources[${i}]`));
  return expandSources(spec.sources, files, { file: spec.file, spans });
}

/**
 * Every context pattern a build of `spec` reads (compile inputs and image
 * files): the frontend sends only these before it knows the file list.
 */
export function contextPatterns(spec: Spec): string[] {
  if (spec.language === "go") return [...new Set([...goContextPatterns(spec), ...spec.image.files.map((f) => f.src)])].sort();
  return [...new Set([...compilePatterns(spec), ...spec.image.files.map((f) => f.src)])].sort();
}

/**
 * What the compile needs from the context: the source patterns, every file
 * under the include directories, and the headers beside the sources (for
 * `#include "x.h"`). Nothing else is sent to the daemon.
 */
function compilePatterns(spec: Spec): string[] {
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

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
