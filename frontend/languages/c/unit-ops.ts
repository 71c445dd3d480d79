// The compile stage as a graph: a dependency scan, one cached op per
// translation unit, and a link (issue 12). The plan says what runs
// (unit-plan.ts); this file says how BuildKit caches it.
//
// The fact the graph is built on, in BuildKit's solver/llbsolver/ops/exec.go
// (ExecOp.CacheMap and getMountDeps, the same in v0.13.2 and v0.25.2): every
// mount of an input adds its selector to that input's dependency, and when a
// mount is read-only (and not `/`), the dependency gets a ComputeDigestFunc
// that hashes the *content* of exactly the selected paths (cache/contenthash,
// symlinks followed). The selector itself is blanked from the op's digest.
// So a unit that mounts only its source and its headers, each read-only with
// the file as selector, is found in the cache by the content of those files:
// an edit anywhere else in the context changes the context's own key but not
// the unit's content key. The link mounts each object read-only the same way,
// so a unit recompiled to the same bytes leaves the link cached.

import { mount, scratch, type Mount, type ProgressGroup, type RunOptions, type State } from "../../../llb/index.js";
import { SRC_DIR, type Plan } from "../../plan/index.js";
import { envRecord, type CompileOutputs, type StageOptions } from "../../pipeline/stages.js";
import { DEPS_DIR, OBJ_DIR, type LinkPlan, type ScanPlan, type UnitPlan } from "./unit-plan.js";

/** What every compile-stage step shares (a unit's, a scan's, a project's configure): env, root, no network, --no-cache, the spec's line. */
export function stepOptions(plan: Plan, opts: StageOptions): Pick<RunOptions, "env" | "user" | "network" | "ignoreCache" | "sourceLocations"> {
  const env = envRecord(plan.compile.env);
  const location = opts.locations?.compile;
  return {
    env,
    // As the single compile: root in a throwaway, offline step.
    user: "0:0",
    network: "none",
    ...(opts.noCache.has("compile") ? { ignoreCache: true } : {}),
    ...(location ? { sourceLocations: [location] } : {}),
  };
}

/**
 * A scan sees its own sources and every other sent file (the headers a unit
 * reads are what it is asking), so it runs again after an edit to one of its
 * sources or to any non-source file; it only preprocesses, and its output
 * decides the graph, never an object's bytes.
 */
export function scanOp(toolchain: State, context: State, plan: Plan, scan: ScanPlan, platformId: string, opts: StageOptions, tree?: TreeMounts): State {
  return toolchain
    .run({
      ...stepOptions(plan, opts),
      args: scan.argv,
      cwd: tree?.cwd ?? SRC_DIR,
      mounts: [...readOnly(context, scan.reads), ...(tree?.mounts ?? []), mount.bind(DEPS_DIR, scratch())],
      customName: `[scan ${platformId}] ${scan.argv[4] ?? "cc"} -M ${scan.sources[0] ?? ""}${scan.sources.length > 1 ? ` (+${scan.sources.length - 1} ${scan.language === "c++" ? "C++" : "C"} sources)` : ""}`,
    })
    .getMount(DEPS_DIR);
}

/**
 * A CMake or Meson unit (project-stage.ts) runs in the configured tree: its
 * commands name paths relative to it, and it reads generated headers from it
 * (each file mounted on its own, like the context's).
 */
export interface TreeMounts {
  readonly cwd: string;
  readonly mounts: readonly Mount[];
}

/**
 * A static library from unit objects (each read-only at its own directory):
 * `ar` writes the archive to a fresh mount, and the index step, when the
 * build system runs one, rewrites it in place in a second op.
 */
export function archiveOp(toolchain: State, plan: Plan, members: readonly State[], memberDirs: readonly string[], argv: readonly string[], ranlib: readonly string[] | undefined, outDir: string, label: string, platformId: string, opts: StageOptions): State {
  const archived = toolchain
    .run({
      ...stepOptions(plan, opts),
      args: argv,
      cwd: outDir,
      mounts: [...members.map((m, i) => mount.bind(memberDirs[i] ?? `${OBJ_DIR}/${i}`, m, { readonly: true })), mount.bind(outDir, scratch())],
      customName: `[archive ${platformId}] ${label} (${members.length} objects)`,
      progressGroup: group(platformId),
    })
    .getMount(outDir);
  if (ranlib === undefined) return archived;
  return toolchain
    .run({ ...stepOptions(plan, opts), args: ranlib, cwd: outDir, mounts: [mount.bind(outDir, archived)], customName: `[archive ${platformId}] ${ranlib[0] ?? "ranlib"} ${label}`, progressGroup: group(platformId) })
    .getMount(outDir);
}

/** One unit: only the files it reads are mounted, each at its own path under /src. */
export function unitOp(toolchain: State, context: State, plan: Plan, unit: UnitPlan, index: number, total: number, platformId: string, opts: StageOptions, tree?: TreeMounts): State {
  return toolchain
    .run({
      ...stepOptions(plan, opts),
      args: unit.argv,
      cwd: tree?.cwd ?? SRC_DIR,
      mounts: [...readOnly(context, unit.reads), ...(tree?.mounts ?? []), mount.bind(OBJ_DIR, scratch())],
      // Short names: hundreds of these must stay readable in --progress=plain.
      customName: `[compile ${platformId} ${index + 1}/${total}] ${unit.argv[0] ?? "cc"} -c ${unit.source}`,
      progressGroup: group(platformId),
    })
    .getMount(OBJ_DIR);
}

/**
 * The link: every object read-only at its own directory, the binary to a
 * fresh mount. The scans' outputs are mounted too, read only and unused by
 * the linker: that makes them part of the result's graph, so `--cache-to
 * mode=max` exports them and a fresh daemon finds the scan in the cache
 * (they change only when some unit's header list does, which re-shapes the
 * graph anyway).
 */
export function linkOp(toolchain: State, context: State, scans: readonly State[], objects: readonly State[], plan: Plan, link: LinkPlan, platformId: string, opts: StageOptions): CompileOutputs {
  const c = plan.compile;
  const exec = toolchain
    .run({
      ...stepOptions(plan, opts),
      args: link.argv,
      cwd: SRC_DIR,
      mounts: [
        ...(link.needsContext ? [mount.bind(SRC_DIR, context, { readonly: true })] : []),
        ...scans.map((s, i) => mount.bind(`${DEPS_DIR}/${i}`, s, { readonly: true })),
        ...objects.map((o, i) => mount.bind(link.objectDirs[i] ?? `${OBJ_DIR}/${i}`, o, { readonly: true })),
        mount.bind(c.outDir, scratch()),
        // SBOM: the link map, a second output of the link.
        ...(c.linkMap ? [mount.bind(c.linkMap.dir, scratch())] : []),
      ],
      customName: `[link ${platformId}] ${link.argv[0] ?? "cc"} -o ${c.output} (${objects.length} objects)`,
    });
  return { binary: exec.getMount(c.outDir), ...(c.linkMap ? { linkMap: exec.getMount(c.linkMap.dir) } : {}) };
}

/** Each file read-only at its own path under /src (keyed by its content), or the whole context. */
function readOnly(context: State, reads: readonly string[] | undefined): Mount[] {
  if (reads === undefined) return [mount.bind(SRC_DIR, context, { readonly: true })];
  return reads.map((f) => mount.bind(`${SRC_DIR}/${f}`, context, { readonly: true, selector: f }));
}

function group(platformId: string): ProgressGroup {
  return { id: `speck-units-${platformId}`, name: `[compile ${platformId}] translation units` };
}
