// Section "incremental" (issue 12): the per-unit compile graph against (a)
// the single-cc Dockerfile and (b) the best a Dockerfile user can do, ccache
// in a cache mount. For the generated ~100-unit program and examples/crc32:
//   cold      after `docker builder prune -af`
//   no-op     the same build again
//   .c edit   one source changed (a new function: its object changes)
//   .h edit   one header changed (a new declaration: every includer recompiles)
//   fresh     after another prune, one more .c edit, with --cache-from the
//             registry cache the previous state exported (a CI runner with a
//             warm registry cache). Cache mounts are never exported, so (b)
//             starts empty there: that is the point of the issue.
// The three tools alternate within each repetition, who goes first rotating.

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Daemon } from "../test/e2e/daemon.js";
import { TOOLCHAIN_IMAGE } from "../test/e2e/daemon.js";
import { buildx, docker } from "../test/e2e/docker.js";
import { run } from "../test/e2e/run.js";
import { startRegistry, type Registry } from "../test/e2e/registry.js";
import { DOCKERFILES, exampleCopy, removeDir } from "./builds.js";
import { genCProject } from "./gen-c-project.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

const PHASES = ["cold", "no-op", ".c edit", ".h edit", "fresh + registry cache"] as const;
type Phase = (typeof PHASES)[number];
const TOOLS = ["speck", "(a) single cc", "(b) ccache mount"] as const;
type Tool = (typeof TOOLS)[number];

const CCACHE_IMAGE = "local/speck-bench-ccache";

/** An edit that appends to a file (a new function: its object changes). */
export interface AppendEdit {
  readonly file: string;
  readonly text: (n: number) => string;
}
/** An edit that inserts before the last `before` of a file (a declaration before a header's #endif). */
export interface InsertEdit extends AppendEdit {
  readonly before: string;
}

interface Program {
  readonly name: string;
  /** A fresh copy of the program's tree. */
  copy(): Promise<string>;
  readonly cEdit: AppendEdit;
  readonly hEdit: InsertEdit;
  readonly dockerfile: string;
  readonly libs: string;
}

const PROGRAMS: readonly Program[] = [
  {
    name: "gen",
    copy: async () => {
      const dir = await mkdtemp(join(tmpdir(), "speck-bench-gen-"));
      genCProject(dir);
      return dir;
    },
    cEdit: { file: "src/net/u07.c", text: (n) => `\nu64 bench_edit_${n}(void) { return ${n}ULL; }\n` },
    hEdit: { file: "src/util/util.h", before: "#endif", text: (n) => `u64 bench_decl_${n}(u64 x);\n` },
    dockerfile: "gen.Dockerfile",
    libs: "",
  },
  {
    name: "crc32",
    copy: () => exampleCopy("crc32"),
    cEdit: { file: "src/hex.c", text: (n) => `\nint bench_edit_${n}(void) { return ${n}; }\n` },
    hEdit: { file: "include/crc32sum.h", before: "#endif", text: (n) => `int bench_decl_${n}(int x);\n` },
    dockerfile: "crc32.Dockerfile",
    libs: "-lz",
  },
];

export async function editC(dir: string, e: AppendEdit, n: number): Promise<void> {
  const f = join(dir, e.file);
  await writeFile(f, (await readFile(f, "utf8")) + e.text(n));
}

export async function editH(dir: string, e: InsertEdit, n: number): Promise<void> {
  const f = join(dir, e.file);
  const text = await readFile(f, "utf8");
  const at = text.lastIndexOf(e.before);
  if (at < 0) throw new Error(`${f} has no ${e.before}`);
  await writeFile(f, text.slice(0, at) + e.text(n) + text.slice(at));
}

function buildOne(d: Daemon, tool: Tool, p: Program, dir: string, timeoutMs: number, extraArgs: readonly string[] = []): Promise<unknown> {
  const tag = `speck-bench/inc-${p.name}:${tool === "speck" ? "speck" : tool === "(a) single cc" ? "single" : "ccache"}`;
  const common = { context: dir, tags: [tag], load: true, timeoutMs, extraArgs };
  if (tool === "speck") return buildx(d, { ...common, file: join(dir, "speck.yaml"), buildContexts: { toolchain: `docker-image://${TOOLCHAIN_IMAGE}` } });
  if (tool === "(a) single cc") return buildx(d, { ...common, file: join(DOCKERFILES, p.dockerfile) });
  return buildx(d, { ...common, file: join(DOCKERFILES, "ccache.Dockerfile"), buildArgs: { NAME: p.name, LIBS: p.libs } });
}

async function runPhases(d: Daemon, tool: Tool, p: Program, n: number, registry: Registry, timeoutMs: number): Promise<Record<Phase, number>> {
  const dir = await p.copy();
  const ref = `${registry.address}/speck-bench/${p.name}-${tool === "speck" ? "speck" : tool === "(a) single cc" ? "single" : "ccache"}:${n}`;
  try {
    const build = (extra: readonly string[] = []) => buildOne(d, tool, p, dir, timeoutMs, extra);
    await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
    const cold = (await timed(() => build())).ms;
    const noop = (await timed(() => build())).ms;
    await editC(dir, p.cEdit, n);
    const c = (await timed(() => build())).ms;
    await editH(dir, p.hEdit, n);
    const h = (await timed(() => build())).ms;
    // Untimed: the state a previous CI run leaves in the registry.
    await build([`--cache-to=type=registry,ref=${ref},mode=max`]);
    await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
    await editC(dir, p.cEdit, n + 1000);
    const fresh = (await timed(() => build([`--cache-from=type=registry,ref=${ref}`]))).ms;
    return { cold, "no-op": noop, ".c edit": c, ".h edit": h, "fresh + registry cache": fresh };
  } finally {
    await removeDir(dir);
  }
}

async function ensureCcacheImage(d: Daemon, log: (l: string) => void): Promise<void> {
  const have = await docker(d, ["image", "inspect", CCACHE_IMAGE], { check: false });
  if (have.code === 0) return;
  log(`incremental: building ${CCACHE_IMAGE} (bench/ccache-image.sh)`);
  await run([join(import.meta.dirname, "ccache-image.sh"), CCACHE_IMAGE], { env: { ...process.env, DOCKER_HOST: d.dockerHost, DOCKER_CONFIG: d.dockerConfig, PATH: `${d.binDir}:${process.env["PATH"] ?? ""}` }, timeoutMs: 600_000 });
}

async function incrementalSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  await ensureCcacheImage(d, ctx.log);
  const store = await mkdtemp(join(tmpdir(), "speck-bench-registry-"));
  const registry = await startRegistry(store);
  const rows: Row[] = [];
  const targets: Target[] = [];
  try {
    for (const p of PROGRAMS) {
      const got = Object.fromEntries(TOOLS.map((t) => [t, Object.fromEntries(PHASES.map((ph) => [ph, [] as number[]]))])) as Record<Tool, Record<Phase, number[]>>;
      for (let rep = 1; rep <= ctx.reps; rep++) {
        const order = TOOLS.map((_, i) => TOOLS[(i + rep) % TOOLS.length] as Tool);
        for (const tool of order) {
          ctx.log(`incremental: ${p.name} ${tool} repetition ${rep}/${ctx.reps}`);
          const t = await runPhases(d, tool, p, rep, registry, ctx.buildTimeoutMs);
          for (const ph of PHASES) got[tool][ph].push(t[ph]);
        }
      }
      const med = (tool: Tool, ph: Phase): number => median(got[tool][ph]);
      for (const ph of PHASES) {
        const s = med("speck", ph);
        const a = med("(a) single cc", ph);
        const b = med("(b) ccache mount", ph);
        rows.push({
          program: p.name,
          phase: ph,
          "speck s": seconds(s),
          "(a) s": seconds(a),
          "(b) s": seconds(b),
          "speck/(a)": ratio(s, a),
          "speck/(b)": ratio(s, b),
          "speck runs s": got.speck[ph].map((x) => seconds(x).toFixed(2)).join(" "),
          "(a) runs s": got["(a) single cc"][ph].map((x) => seconds(x).toFixed(2)).join(" "),
          "(b) runs s": got["(b) ccache mount"][ph].map((x) => seconds(x).toFixed(2)).join(" "),
        });
      }
      const sC = med("speck", ".c edit");
      const aC = med("(a) single cc", ".c edit");
      const bC = med("(b) ccache mount", ".c edit");
      targets.push({ what: `${p.name}: one .c edit, (a)/speck`, goal: ">= 5x", measured: `${ratio(aC, sC)}x (${seconds(sC)} s vs ${seconds(aC)} s)`, met: aC / sC >= 5 });
      targets.push({ what: `${p.name}: one .c edit, speck vs (b) ccache`, goal: "faster", measured: `${seconds(sC)} s vs ${seconds(bC)} s`, met: sC < bC });
      const sCold = med("speck", "cold");
      const aCold = med("(a) single cc", "cold");
      targets.push({ what: `${p.name}: cold, speck/(a)`, goal: "<= 1x", measured: `${ratio(sCold, aCold)}x (${seconds(sCold)} s vs ${seconds(aCold)} s)`, met: sCold <= aCold });
      const sFresh = med("speck", "fresh + registry cache");
      targets.push({ what: `${p.name}: fresh runner + registry cache vs (a) cold`, goal: ">= 5x faster", measured: `${ratio(aCold, sFresh)}x (${seconds(sFresh)} s vs ${seconds(aCold)} s)`, met: aCold / sFresh >= 5 });
    }
  } finally {
    await registry.stop();
    await removeDir(store);
    await docker(d, ["image", "rm", "-f", ...PROGRAMS.flatMap((p) => ["speck", "single", "ccache"].map((t) => `speck-bench/inc-${p.name}:${t}`))], { check: false });
  }
  return {
    tables: [{ title: `incremental: build wall time, median of ${ctx.reps} interleaved repetitions (docker buildx build --load)`, rows }],
    targets,
    notes: [
      "gen: bench/gen-c-project.ts, 101 units in 4 directories; .c edit adds a function to src/net/u07.c; .h edit adds a declaration to src/util/util.h (read by 26 units).",
      "crc32: examples/crc32, 3 sources, below MIN_UNITS (frontend/languages/c/unit-plan.ts): speck builds it with one cc, and the rows show what that decision costs or saves; .c edit: src/hex.c; .h edit: include/crc32sum.h.",
      "(a): bench/dockerfiles/{gen,crc32}.Dockerfile, one cc over every source. (b): bench/dockerfiles/ccache.Dockerfile, ccache per file in parallel with its cache in a cache mount (image from bench/ccache-image.sh).",
      "fresh + registry cache: the previous state's build exported --cache-to type=registry,mode=max (untimed) to a registry on 127.0.0.1; then prune, one more .c edit, and a build with --cache-from. (b)'s cache mount is not exported, so it starts empty.",
    ],
  };
}

export const INCREMENTAL: Section = { id: "incremental", title: "incremental compiles", needsDaemon: true, run: incrementalSection };
