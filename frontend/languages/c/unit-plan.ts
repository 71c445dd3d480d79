// The compile as a graph of translation units (issue 12): a dependency scan,
// one compile per source (`-c`) and a link over the objects. Pure: the
// frontend runs the scan, hands its output to `planUnits`, and turns the
// result into LLB (unit-ops.ts).

import { posix } from "node:path";
import type { Language } from "../../speckfile/types.js";
import { extensionOf } from "../../speckfile/sources.js";
import { SRC_DIR } from "../../plan/plan.js";
import type { Plan } from "../../plan/types.js";
import { languageSwitch, sourceLanguage } from "./source-languages.js";

/** Where a unit's object is written (a fresh mount per unit). */
export const OBJ_DIR = "/obj";
/** Where the scan writes its make rules (a fresh mount). */
export const DEPS_DIR = "/deps";
export const DEPS_FILE = "deps.mk";

/**
 * The language a unit compiles as: its extension's (source-languages.ts decides),
 * or the program's for assembler, which the driver hands on by extension.
 */
function unitLanguage(source: string, program: Language): Language {
  const lang = sourceLanguage(source);
  return lang === "assembler" ? program : lang;
}

/**
 * The single run's driver (`clang++`, `cc`, ...: the compiler seam, compiler.ts,
 * chose it): every unit, scan and link runs it, so a C source of a C++ program
 * is compiled by it with `-x c`, as the single run fences it (source-languages.ts: a
 * C unit keeps the C++ program's profile flags and unwind tables).
 */
function programDriver(plan: Plan): string {
  const driver = plan.compile.argv[0];
  if (driver === undefined) throw new TypeError("planUnits(): the plan's compile has no argv");
  return driver;
}

function languageArgs(source: string, program: Language): string[] {
  return languageSwitch(source, program) === "c" ? ["-x", "c"] : [];
}

/**
 * Flags that make the compiler see the whole program at once, or read files
 * the dependency scan cannot name: with any of them, the per-unit graph would
 * give another binary (or a stale one), so the build keeps one compiler run.
 */
const WHOLE_PROGRAM = [/^-flto/, /^-fwhole-program$/, /^-combine$/, /^@/, /^-specs[=]?/, /^-fprofile-use/, /^-fauto-profile/, /^-save-temps/, /^-B/, /^--sysroot/, /^-isysroot/, /^-fplugin/];

export type CompileMode = { readonly kind: "units" } | { readonly kind: "single"; readonly why: string };

/**
 * Below this many sources the build keeps one compiler run. Measured on the
 * 2-core dev host (d28, loaded), examples/crc32 (3 sources) through one run
 * and through the graph, 4 interleaved runs each: a no-op took 1.23 s against
 * 1.63 s, a one-file edit 1.75 s against 2.28 s (medians). The graph pays a
 * scan (one more container and solve round trip) and a container per unit; an
 * edit wins that back only when the other units' compile time is over ~0.5 s,
 * i.e. from about 5 files of ~0.15 s each, and more for lighter files. A
 * no-op never wins it back; the registry cache a CI runner gets is the gain.
 */
export const MIN_UNITS = 8;

/** One compiler run or the unit graph. */
export function compileMode(plan: Plan): CompileMode {
  if (plan.sources.length < MIN_UNITS) {
    return { kind: "single", why: `${plan.sources.length} source${plan.sources.length === 1 ? "" : "s"}: below ${MIN_UNITS}, one compiler run is faster than a step per source` };
  }
  // The compiler seam's own --sysroot names the target root the scan sees too; only the user's flags can be whole-program.
  const flag = plan.compile.flags.find((f) => f.from !== "compiler" && WHOLE_PROGRAM.some((re) => re.test(f.flag)));
  if (flag) return { kind: "single", why: `\`${flag.flag}\` needs the whole program in one compiler run` };
  return { kind: "units" };
}

/**
 * Flags the compile and scan get: the single run's, in its order, less the
 * SBOM's link map (a link-only output; on a `-c` run it would only split the
 * units' cache keys between builds with and without `--sbom`).
 */
function compileFlags(plan: Plan): string[] {
  return plan.compile.flags.filter((f) => f.from !== "sbom").map((f) => f.flag);
}

/** Flags the link gets: all of the single run's. */
function linkFlags(plan: Plan): string[] {
  return plan.compile.flags.map((f) => f.flag);
}

/** Sources the scan preprocesses: assembler (`.s`) is not preprocessed and reads only itself. */
function scanned(source: string): boolean {
  return extensionOf(source) !== ".s";
}

export interface ScanPlan {
  readonly language: Language;
  /** Sources in the order their rules come out. */
  readonly sources: readonly string[];
  /** Context files the scan mounts, each on its own; `undefined`: the whole context. */
  readonly reads: readonly string[] | undefined;
  /**
   * `sh -c` with a constant script: the only shell use, to send the driver's
   * stdout (the make rules of every source, in input order) to a file. User
   * input is only ever an argument after the script, never script text.
   */
  readonly argv: readonly string[];
}

export const SCAN_SCRIPT = `exec "$@" >${DEPS_DIR}/${DEPS_FILE}`;

/**
 * One `-M` run per language (a C++ driver preprocesses `.c` as C++, which can
 * take other `#if` branches). `-M`, not `-MM`: `-MM` leaves out headers found
 * in system directories, and `-isystem vendor/include` in `cflags` makes a
 * context directory one; the toolchain's own headers are dropped afterwards
 * by path. It only preprocesses, so it costs a fraction of a compile.
 */
export function planScans(plan: Plan, files: readonly string[] | undefined): ScanPlan[] {
  const byLanguage = new Map<Language, string[]>();
  for (const s of plan.sources.filter(scanned)) {
    const lang = unitLanguage(s, plan.language);
    byLanguage.set(lang, [...(byLanguage.get(lang) ?? []), s]);
  }
  // Chunked: each scan mounts its own sources and every file that is not a
  // source, so editing a .c re-runs one chunk's scan, not all of them.
  const others = files?.filter((f) => !plan.sources.includes(f));
  const chunked = others !== undefined && others.length <= MAX_SCAN_MOUNTS;
  return [...byLanguage].flatMap(([language, all]) =>
    chunks(all, chunked ? SCAN_CHUNK : all.length).map((sources) => ({
      language,
      sources,
      reads: chunked ? [...sources, ...others] : undefined,
      argv: ["sh", "-c", SCAN_SCRIPT, "speck-scan", programDriver(plan), ...compileFlags(plan), "-M", ...languageArgs(sources[0] ?? "", plan.language), ...sources],
    })),
  );
}

/**
 * Sources per scan. Measured on the generated 101-unit program (d28): one
 * scan of all took 0.67 s of a 2 s one-file rebuild; a chunk re-scans in
 * about a sixth of that, and chunks scan side by side on a cold build.
 */
export const SCAN_CHUNK = 16;
/** Beyond this many non-source files a chunk would mount too many: scan the whole context instead. */
const MAX_SCAN_MOUNTS = 256;

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += Math.max(1, n)) out.push(xs.slice(i, i + Math.max(1, n)));
  return out;
}

/**
 * The rules of a depfile, in order: each rule's prerequisites, unescaped.
 * gcc writes `target: prereq prereq \` with `\ ` for a space and `$$` for `$`.
 */
export function parseDepfile(text: string): string[][] {
  const rules: string[][] = [];
  const joined = text.replace(/\\\r?\n/g, " ");
  for (const line of joined.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const words = splitWords(line);
    const colon = words.findIndex((w) => w.endsWith(":"));
    if (colon < 0) throw new Error(`not a make rule: ${line.slice(0, 200)}`);
    rules.push(words.slice(colon + 1));
  }
  return rules;
}

function splitWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    if (c === "\\" && (line[i + 1] === " " || line[i + 1] === "#" || line[i + 1] === "\\")) {
      cur += line[i + 1];
      i++;
    } else if (c === "$" && line[i + 1] === "$") {
      cur += "$";
      i++;
    } else if (c === " " || c === "\t") {
      if (cur !== "") words.push(cur);
      cur = "";
    } else cur += c;
  }
  if (cur !== "") words.push(cur);
  return words;
}

/**
 * What each unit reads from the context, from the scan's rules: the paths as
 * the compiler saw them (relative to /src, or absolute under it), made
 * relative to the context. Paths outside /src are the toolchain's, which is
 * part of every unit's key already. Returns undefined when the rules do not
 * fit the sources (a compiler that wrote something else): the caller then
 * mounts the whole context, the rule that is never wrong.
 */
export function unitReads(scans: readonly ScanPlan[], depfiles: readonly string[], sources: readonly string[], files: readonly string[]): Map<string, string[]> | undefined {
  const present = new Set(files);
  const reads = new Map<string, string[]>();
  for (const [i, scan] of scans.entries()) {
    let rules: string[][];
    try {
      rules = parseDepfile(depfiles[i] ?? "");
    } catch {
      return undefined;
    }
    if (rules.length !== scan.sources.length) return undefined;
    for (const [k, source] of scan.sources.entries()) {
      const deps = new Set<string>([source]);
      for (const p of rules[k] ?? []) {
        const rel = contextPath(p);
        if (rel === undefined) continue;
        if (!present.has(rel)) return undefined;
        deps.add(rel);
      }
      // The rule's first prerequisite is the source itself; a mismatch means the order is not what we assumed.
      if (contextPath(rules[k]?.[0] ?? "") !== source) return undefined;
      reads.set(source, [source, ...[...deps].filter((d) => d !== source).sort()]);
    }
  }
  for (const s of sources) if (!reads.has(s)) reads.set(s, [s]);
  return reads;
}

function contextPath(p: string): string | undefined {
  const abs = posix.normalize(p.startsWith("/") ? p : `${SRC_DIR}/${p}`);
  return abs.startsWith(`${SRC_DIR}/`) ? abs.slice(SRC_DIR.length + 1) : undefined;
}

export interface UnitPlan {
  readonly source: string;
  readonly language: Language;
  /** Context files the unit reads, the source first; `undefined`: the whole context. */
  readonly reads: readonly string[] | undefined;
  readonly argv: readonly string[];
  /** The object's path inside the unit's fresh OBJ_DIR mount. */
  readonly object: string;
}

export interface LinkPlan {
  readonly argv: readonly string[];
  /** Where each unit's object mount goes in the link step, in `units` order. */
  readonly objectDirs: readonly string[];
  /** `ldflags` may name context files (a linker script): then the link mounts the context at /src. */
  readonly needsContext: boolean;
}

/**
 * `ldflags` may name context files (a linker script, a version script): then
 * the link mounts the context. Decided by where a flag came from, typed, so
 * rewording a flag's explanation cannot change the link's mounts or its key.
 */
export function linkReadsContext(plan: Plan): boolean {
  return plan.compile.flags.some((f) => f.from === "user" && f.key === "ldflags");
}

export interface UnitGraphPlan {
  readonly units: readonly UnitPlan[];
  readonly link: LinkPlan;
}

/**
 * The unit graph. Each compile gets the single run's flags (the driver passes
 * cc1 the same options either way, so objects and the linked binary are the
 * same bytes: checked for every example), and the link gets them again with
 * the objects in source order, then the libraries, as the single run did.
 */
export function planUnits(plan: Plan, reads: ReadonlyMap<string, readonly string[]> | undefined): UnitGraphPlan {
  const flags = compileFlags(plan);
  const units = plan.sources.map((source): UnitPlan => {
    const language = unitLanguage(source, plan.language);

    const base = source.slice(source.lastIndexOf("/") + 1);
    const object = `${OBJ_DIR}/${base.slice(0, base.length - extensionOf(base).length)}.o`;
    return { source, language, reads: reads?.get(source), argv: [programDriver(plan), ...flags, "-c", "-o", object, ...languageArgs(source, plan.language), source], object };
  });
  const objectDirs = units.map((_, i) => `${OBJ_DIR}/${i}`);
  const objects = units.map((u, i) => `${objectDirs[i]}${u.object.slice(OBJ_DIR.length)}`);
  return {
    units,
    link: {
      argv: [programDriver(plan), ...linkFlags(plan), "-o", plan.compile.output, ...objects, ...plan.compile.libs],
      objectDirs,
      needsContext: linkReadsContext(plan),
    },
  };
}
