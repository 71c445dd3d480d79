// A CMake or Meson target's commands (ninja-commands.ts) as the unit graph
// `sources:` builds use: a -M scan per set of identical flags, one op per
// translation unit mounting what the scan says it reads, archives, the link.
// Pure: project-stage.ts runs the ops.

import { SRC_DIR } from "../../plan/plan.js";
import { BUILD_DIR } from "./build-files.js";
import { buildPath, type TargetCommands } from "./ninja-commands.js";
import { OBJ_DIR, parseDepfile, SCAN_CHUNK, SCAN_SCRIPT } from "./unit-plan.js";

type Compile = TargetCommands["compiles"][number];
const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/**
 * The compile as a unit op runs it: the object to the unit's fresh mount
 * (`-o /obj/<name>`: ninja would have made its directory first), and no
 * depfile (`-MD -MF ...`: ninja's own bookkeeping, which speck's scan
 * replaces; it changes nothing in the object).
 */
export function unitArgv(c: Compile): { argv: string[]; object: string } {
  const object = `${OBJ_DIR}/${base(c.output)}`;
  const argv: string[] = [];
  for (let i = 0; i < c.argv.length; i++) {
    const a = c.argv[i] as string;
    if (a === "-MD" || a === "-MMD") continue;
    if (a === "-MF" || a === "-MT" || a === "-MQ") {
      i++;
      continue;
    }
    if (a === "-o") {
      argv.push("-o", object);
      i++;
      continue;
    }
    argv.push(a);
  }
  return { argv, object };
}

/** The compile's flags with no source and no output: what units scanned together must share. */
function scanFlags(c: Compile): string[] {
  const argv = unitArgv(c).argv;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-o") {
      i++;
      continue;
    }
    if (argv[i] === "-c") continue;
    out.push(argv[i] as string);
  }
  const at = out.lastIndexOf(c.source);
  if (at > 0) out.splice(at, 1);
  return out;
}

export interface ProjectScan {
  /** Indexes into `compiles`, in the order the scan's rules come out. */
  readonly units: readonly number[];
  readonly argv: readonly string[];
  /** Context files the scan mounts, each on its own; undefined: the whole context. */
  readonly reads: readonly string[] | undefined;
}

/**
 * One `-M` run per set of units whose flags are the same (a CMake target's
 * units share them), in chunks of SCAN_CHUNK as a `sources:` build scans
 * (unit-plan.ts, planScans): given the context's files, each chunk mounts its
 * own sources and every file that is no unit's source, so editing a `.c`
 * scans one chunk again. Without `files`, one scan per set over the whole
 * context (the fallback when a chunk fails: a source that includes another).
 */
export function projectScans(compiles: readonly Compile[], files?: readonly string[]): ProjectScan[] {
  const sources = new Set(compiles.flatMap((c) => contextSource(c.source) ?? []));
  const others = files?.filter((f) => !sources.has(f));
  const chunked = others !== undefined && others.length <= MAX_SCAN_MOUNTS;
  const groups = new Map<string, { flags: string[]; units: number[] }>();
  compiles.forEach((c, i) => {
    const flags = scanFlags(c);
    const key = JSON.stringify(flags);
    const g = groups.get(key) ?? { flags, units: [] };
    g.units.push(i);
    groups.set(key, g);
  });
  return [...groups.values()].flatMap((g) =>
    chunks(g.units, chunked ? SCAN_CHUNK : g.units.length).map((units) => ({
      units,
      argv: ["sh", "-c", SCAN_SCRIPT, "speck-scan", ...g.flags, "-M", ...units.map((i) => compiles[i]?.source ?? "")],
      reads: chunked ? [...units.flatMap((i) => contextSource(compiles[i]?.source ?? "") ?? []), ...(others ?? [])] : undefined,
    })),
  );
}

/** Beyond this many non-source files a chunk would mount too many: scan the whole context instead (as unit-plan.ts). */
const MAX_SCAN_MOUNTS = 256;

function chunks<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += Math.max(1, n)) out.push(xs.slice(i, i + Math.max(1, n)));
  return out;
}

/** What one unit reads: context files (under /src) and configured-tree files (under /build); undefined: all of both. */
export interface UnitReads {
  readonly context: readonly string[];
  readonly tree: readonly string[];
}

/**
 * Each unit's reads from the scans' rules, paths resolved against the build
 * directory (the commands' working directory). A rule list that does not fit
 * (another count, a context path that was not sent) gives undefined for the
 * units of that scan: they mount the whole context and tree, never stale.
 */
export function projectReads(compiles: readonly Compile[], scans: readonly ProjectScan[], depfiles: readonly string[], files: readonly string[]): (UnitReads | undefined)[] {
  const present = new Set(files);
  const out: (UnitReads | undefined)[] = compiles.map(() => undefined);
  scans.forEach((scan, s) => {
    let rules: string[][];
    try {
      rules = parseDepfile(depfiles[s] ?? "");
    } catch {
      return;
    }
    if (rules.length !== scan.units.length) return;
    const reads: UnitReads[] = [];
    for (const [k, unit] of scan.units.entries()) {
      const context = new Set<string>();
      const tree = new Set<string>();
      for (const p of rules[k] ?? []) {
        const abs = buildPath(p, BUILD_DIR);
        if (abs.startsWith(`${SRC_DIR}/`)) context.add(abs.slice(SRC_DIR.length + 1));
        else if (abs.startsWith(`${BUILD_DIR}/`)) tree.add(abs.slice(BUILD_DIR.length + 1));
      }
      if ([...context].some((f) => !present.has(f))) return;
      const source = buildPath(compiles[unit]?.source ?? "", BUILD_DIR);
      if (!(rules[k] ?? []).some((p) => buildPath(p, BUILD_DIR) === source)) return;
      reads.push({ context: [...context].sort(), tree: [...tree].sort() });
    }
    scan.units.forEach((unit, k) => (out[unit] = reads[k]));
  });
  return out;
}

/** The link as speck runs it: each input at its own mount's directory, the binary at `output`. */
export function linkArgv(argv: readonly string[], inputs: ReadonlyMap<string, string>, output: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "-o") {
      out.push("-o", output);
      i++;
      continue;
    }
    out.push(inputs.get(a) ?? a);
  }
  return out;
}

/** The context path of a compiled source, for the SBOM (a source generated into the tree has none). */
export function contextSource(source: string): string | undefined {
  const abs = buildPath(source, BUILD_DIR);
  return abs.startsWith(`${SRC_DIR}/`) ? abs.slice(SRC_DIR.length + 1) : undefined;
}
