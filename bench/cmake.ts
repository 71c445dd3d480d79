// Section "cmake" (issue 21): the generated ~100-unit CMake program
// (bench/gen-c-project.ts, `build: "cmake"`: a static library of 100 units,
// main.c linking it, a configure_file header) built three ways on alpine:3.22
// (the test bed's stand-in, its real apk):
//   speck     `build: cmake`: configure in its own op, then one op per unit
//             from `ninja -t commands`, the archive and the link
//   (a)       bench/dockerfiles/cmake.Dockerfile: `cmake -G Ninja` + `ninja` in one RUN
//   (b)       cmake-ccache.Dockerfile: the same with ccache as the compiler
//             launcher, its cache in a cache mount
// Phases, in order, on one copy of the tree:
//   cold      after `docker builder prune -af`
//   no-op     the same build again
//   .c edit   one unit changed (a new function in src/net/u07.c)
//   .h edit   one header changed (a declaration in src/util/util.h: 26 units)
//   CMakeLists.txt edit  the project version (configure again; gen_config.h
//             changes, so main.c recompiles)
//   fresh     after another prune, one more .c edit, with --cache-from the
//             registry cache the previous state exported (a CI runner with a
//             warm registry cache; (b)'s cache mount is never exported)
// The three alternate within each repetition, who goes first rotating.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Daemon } from "../test/e2e/daemon.js";
import { STANDIN } from "../test/e2e/alpine.js";
import { buildx, docker } from "../test/e2e/docker.js";
import { startRegistry, type Registry } from "../test/e2e/registry.js";
import { DOCKERFILES, removeDir } from "./builds.js";
import { genCProject, writeCMakeVersion } from "./gen-c-project.js";
import { editC, editH, type AppendEdit, type InsertEdit } from "./incremental.js";
import { daemonOf, type BenchContext, type Row, type SectionResult, type Section, type Target } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

export const CMAKE_PHASES = ["cold", "no-op", ".c edit", ".h edit", "CMakeLists.txt edit", "fresh + registry cache"] as const;
type Phase = (typeof CMAKE_PHASES)[number];
export const CMAKE_TOOLS = ["speck", "(a) cmake+ninja RUN", "(b) + ccache mount"] as const;
type Tool = (typeof CMAKE_TOOLS)[number];
export type CMakeRuns = Record<Tool, Record<Phase, number[]>>;

/** Runs of every tool and phase, each list from `f` (empty lists to fill, or test data). */
export function cmakeRuns(f: (tool: Tool, phase: Phase) => number[]): CMakeRuns {
  const one = (tool: Tool): Record<Phase, number[]> => {
    const r = {} as Record<Phase, number[]>;
    for (const ph of CMAKE_PHASES) r[ph] = f(tool, ph);
    return r;
  };
  return { speck: one("speck"), "(a) cmake+ninja RUN": one("(a) cmake+ninja RUN"), "(b) + ccache mount": one("(b) + ccache mount") };
}

const SHORT: Record<Tool, string> = { speck: "speck", "(a) cmake+ninja RUN": "run", "(b) + ccache mount": "ccache" };
const C_EDIT: AppendEdit = { file: "src/net/u07.c", text: (n) => `\nu64 bench_edit_${n}(void) { return ${n}ULL; }\n` };
const H_EDIT: InsertEdit = { file: "src/util/util.h", before: "#endif", text: (n) => `u64 bench_decl_${n}(u64 x);\n` };

/** `docker buildx build` argv pieces of one tool, on the stand-in as alpine:3.22. */
export function cmakeBuildOptions(tool: Tool, dir: string): { readonly file: string; readonly buildContexts: Readonly<Record<string, string>> } {
  const buildContexts = { "alpine:3.22": `docker-image://${STANDIN}` };
  if (tool === "speck") return { file: join(dir, "speck.yaml"), buildContexts };
  return { file: join(DOCKERFILES, tool === "(a) cmake+ninja RUN" ? "cmake.Dockerfile" : "cmake-ccache.Dockerfile"), buildContexts };
}

function buildOne(d: Daemon, tool: Tool, dir: string, timeoutMs: number, extraArgs: readonly string[] = []): Promise<unknown> {
  return buildx(d, { context: dir, tags: [`speck-bench/cmake:${SHORT[tool]}`], load: true, timeoutMs, extraArgs, ...cmakeBuildOptions(tool, dir) });
}

async function runPhases(d: Daemon, tool: Tool, rep: number, registry: Registry, timeoutMs: number): Promise<Record<Phase, number>> {
  const dir = await mkdtemp(join(tmpdir(), "speck-bench-cmake-"));
  // A salt per repetition: nothing of one repetition's tree is in another's cache.
  genCProject(dir, { build: "cmake", salt: `bench cmake ${tool} ${rep} ${Date.now()}` });
  const ref = `${registry.address}/speck-bench/cmake-${SHORT[tool]}:${rep}`;
  try {
    const build = (extra: readonly string[] = []) => buildOne(d, tool, dir, timeoutMs, extra);
    await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
    const cold = (await timed(() => build())).ms;
    const noop = (await timed(() => build())).ms;
    await editC(dir, C_EDIT, rep);
    const c = (await timed(() => build())).ms;
    await editH(dir, H_EDIT, rep);
    const h = (await timed(() => build())).ms;
    writeCMakeVersion(dir, `2.${rep}.0`);
    const cm = (await timed(() => build())).ms;
    // Untimed: the state a previous CI run leaves in the registry.
    await build([`--cache-to=type=registry,ref=${ref},mode=max`]);
    await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
    await editC(dir, C_EDIT, rep + 1000);
    const fresh = (await timed(() => build([`--cache-from=type=registry,ref=${ref}`]))).ms;
    return { cold, "no-op": noop, ".c edit": c, ".h edit": h, "CMakeLists.txt edit": cm, "fresh + registry cache": fresh };
  } finally {
    await removeDir(dir);
  }
}

/** Rows and targets from the measured runs (pure: unit-tested). */
export function cmakeReport(got: CMakeRuns): { rows: Row[]; targets: Target[] } {
  const med = (tool: Tool, ph: Phase): number => median(got[tool][ph]);
  const runs = (tool: Tool, ph: Phase): string => got[tool][ph].map((x) => seconds(x).toFixed(2)).join(" ");
  const rows: Row[] = CMAKE_PHASES.map((ph) => ({
    phase: ph,
    "speck s": seconds(med("speck", ph)),
    "(a) s": seconds(med("(a) cmake+ninja RUN", ph)),
    "(b) s": seconds(med("(b) + ccache mount", ph)),
    "(a)/speck": ratio(med("(a) cmake+ninja RUN", ph), med("speck", ph)),
    "(b)/speck": ratio(med("(b) + ccache mount", ph), med("speck", ph)),
    "speck runs s": runs("speck", ph),
    "(a) runs s": runs("(a) cmake+ninja RUN", ph),
    "(b) runs s": runs("(b) + ccache mount", ph),
  }));
  const sC = med("speck", ".c edit");
  const aC = med("(a) cmake+ninja RUN", ".c edit");
  const sCold = med("speck", "cold");
  const aCold = med("(a) cmake+ninja RUN", "cold");
  const sFresh = med("speck", "fresh + registry cache");
  const targets: Target[] = [
    { what: "cmake gen: one .c edit, (a)/speck", goal: ">= 5x", measured: `${ratio(aC, sC)}x (${seconds(sC)} s vs ${seconds(aC)} s)`, met: aC / sC >= 5 },
    { what: "cmake gen: cold, speck/(a)", goal: "<= 1x", measured: `${ratio(sCold, aCold)}x (${seconds(sCold)} s vs ${seconds(aCold)} s)`, met: sCold <= aCold },
    { what: "cmake gen: fresh runner + registry cache vs (a) cold", goal: ">= 5x faster", measured: `${ratio(aCold, sFresh)}x (${seconds(sFresh)} s vs ${seconds(aCold)} s)`, met: aCold / sFresh >= 5 },
  ];
  return { rows, targets };
}

async function cmakeSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const store = await mkdtemp(join(tmpdir(), "speck-bench-registry-"));
  const registry = await startRegistry(store);
  const got = cmakeRuns(() => []);
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      const order = CMAKE_TOOLS.map((_, i) => CMAKE_TOOLS[(i + rep) % CMAKE_TOOLS.length] as Tool);
      for (const tool of order) {
        ctx.log(`cmake: ${tool} repetition ${rep}/${ctx.reps}`);
        const t = await runPhases(d, tool, rep, registry, ctx.buildTimeoutMs);
        for (const ph of CMAKE_PHASES) got[tool][ph].push(t[ph]);
      }
    }
  } finally {
    await registry.stop();
    await removeDir(store);
    await docker(d, ["image", "rm", "-f", ...CMAKE_TOOLS.map((t) => `speck-bench/cmake:${SHORT[t]}`)], { check: false });
  }
  const { rows, targets } = cmakeReport(got);
  return {
    tables: [{ title: `cmake: build wall time, median of ${ctx.reps} interleaved repetitions (docker buildx build --load, alpine:3.22 = the stand-in)`, rows }],
    targets,
    notes: [
      "Program: bench/gen-c-project.ts with build: cmake, 101 units (100 in the static library genunits, main.c in the program), -Os-class flags on every side (speck's size profile; CMAKE_BUILD_TYPE=MinSizeRel in the Dockerfiles), static, clang + lld.",
      "(a): bench/dockerfiles/cmake.Dockerfile, `apk add cmake samurai clang lld musl-dev`, then `cmake -G Ninja` and `ninja` in one RUN. (b): cmake-ccache.Dockerfile, the same with ccache as CMAKE_C_COMPILER_LAUNCHER and its cache in a cache mount.",
      "Edits: .c appends a function to src/net/u07.c; .h adds a declaration to src/util/util.h (read by the 25 units of src/util and main.c); CMakeLists.txt changes the project VERSION, which only gen_config.h (read by main.c) uses.",
      "fresh + registry cache: the previous state's build exported --cache-to type=registry,mode=max (untimed) to a registry on 127.0.0.1; then prune, one more .c edit, and a build with --cache-from. (b)'s cache mount is not exported, so it starts empty.",
      "The stand-in's samurai runs Debian's ninja 1.12 behind samurai's tool list (test/e2e/alpine-standin/samu.sh): the build's scheduling is ninja's, not samurai's.",
    ],
  };
}

export const CMAKE: Section = { id: "cmake", title: "CMake projects (issue 21)", needsDaemon: true, run: cmakeSection };
