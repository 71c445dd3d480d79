// Section "rust" (issue 20): examples/rust-hello and examples/rust-serde (serde with derive, serde_json, a
// path crate) built for linux/amd64 through the test bed's Alpine stand-in (its Rust is the Debian double:
// glibc-static, so sizes are the double's, not Alpine's musl ones), three ways:
//   speck        the example's speck.yaml (the dependency op keyed on the lock, manifests and toolchain)
//   usual        bench/dockerfiles/rust-usual.Dockerfile: COPY . ., one cargo build --release, strip, scratch
//   dummy-main   bench/dockerfiles/rust-<name>.dummy-main.Dockerfile: dependencies built against stub
//                targets in their own layer, then the sources (with the `touch` that avoids cargo #2644)
// Phases, per tool, within one repetition (tools take turns, who goes first rotating):
//   cold         after `docker builder prune -af` (the toolchain install included, for every tool alike)
//   edit         src/main.rs changed (a workspace-only edit), built again
// and for speck only:
//   fresh        the edited state exported with --cache-to type=registry,mode=max to a registry on
//                127.0.0.1 (untimed), prune, one more edit, a build with --cache-from (a fresh CI runner)
// Crates come from Debian (test/e2e/crates.ts), vendored into the copy for every tool alike, with a
// Cargo.lock made against them by the double's cargo.

import { appendFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STANDIN } from "../test/e2e/alpine.js";
import { debianCrates, writeLock, writeVendored } from "../test/e2e/crates.js";
import type { Daemon } from "../test/e2e/daemon.js";
import { buildx, docker } from "../test/e2e/docker.js";
import { startRegistry, type Registry } from "../test/e2e/registry.js";
import { DOCKERFILES, exampleCopy, removeDir } from "./builds.js";
import { imageBytes } from "./image-bytes.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

const TOOLS = ["speck", "usual", "dummy-main"] as const;
type Tool = (typeof TOOLS)[number];
const PHASES = ["cold", "edit"] as const;
type Phase = (typeof PHASES)[number];

interface Program {
  readonly name: string;
  /** Needs Debian's crates vendored and a Cargo.lock made against them. */
  readonly crates: boolean;
}

const PROGRAMS: readonly Program[] = [
  { name: "rust-hello", crates: false },
  { name: "rust-serde", crates: true },
];

const CONTEXTS = { "alpine:3.22": `docker-image://${STANDIN}` };

async function copyOf(d: Daemon, p: Program): Promise<string> {
  const dir = await exampleCopy(p.name);
  if (p.crates) {
    const source = await debianCrates();
    await writeLock(d, dir, source);
    await writeVendored(dir, source);
  }
  return dir;
}

async function edit(dir: string, n: number): Promise<void> {
  await appendFile(join(dir, "src/main.rs"), `// bench edit ${n} ${process.pid}\n`);
}

function tagOf(p: Program, tool: Tool): string {
  return `speck-bench/${p.name}:${tool}`;
}

function build(d: Daemon, tool: Tool, p: Program, dir: string, timeoutMs: number, extraArgs: readonly string[] = []): Promise<unknown> {
  const common = { context: dir, tags: [tagOf(p, tool)], load: true, timeoutMs, extraArgs, buildContexts: CONTEXTS };
  if (tool === "speck") return buildx(d, { ...common, file: join(dir, "speck.yaml") });
  if (tool === "usual") return buildx(d, { ...common, file: join(DOCKERFILES, "rust-usual.Dockerfile"), buildArgs: { BIN: p.name } });
  return buildx(d, { ...common, file: join(DOCKERFILES, `${p.name}.dummy-main.Dockerfile`) });
}

async function prune(d: Daemon): Promise<void> {
  await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
}

async function rustSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const store = await mkdtemp(join(tmpdir(), "speck-bench-registry-"));
  const registry: Registry = await startRegistry(store);
  const timeRows: Row[] = [];
  const sizeRows: Row[] = [];
  const targets: Target[] = [];
  const failures: string[] = [];
  try {
    for (const p of PROGRAMS) {
      const got = Object.fromEntries(TOOLS.map((t) => [t, { cold: [] as number[], edit: [] as number[] }])) as Record<Tool, Record<Phase, number[]>>;
      const fresh: number[] = [];
      for (let rep = 1; rep <= ctx.reps; rep++) {
        const order = TOOLS.map((_, i) => TOOLS[(i + rep) % TOOLS.length] as Tool);
        for (const tool of order) {
          ctx.log(`rust: ${p.name} ${tool} repetition ${rep}/${ctx.reps}`);
          const dir = await copyOf(d, p);
          try {
            await prune(d);
            got[tool].cold.push((await timed(() => build(d, tool, p, dir, ctx.buildTimeoutMs))).ms);
            await edit(dir, rep);
            got[tool].edit.push((await timed(() => build(d, tool, p, dir, ctx.buildTimeoutMs))).ms);
            if (tool === "speck") {
              const ref = `${registry.address}/speck-bench/${p.name}:${rep}`;
              await build(d, tool, p, dir, ctx.buildTimeoutMs, [`--cache-to=type=registry,ref=${ref},mode=max`]);
              await prune(d);
              await edit(dir, rep + 1000);
              // A failed run is reported (NaN, and why in the notes), not allowed to take the section's other numbers with it.
              try {
                fresh.push((await timed(() => build(d, tool, p, dir, ctx.buildTimeoutMs, [`--cache-from=type=registry,ref=${ref}`]))).ms);
              } catch (e) {
                fresh.push(Number.NaN);
                failures.push(`${p.name} fresh, repetition ${rep}: ${String(e).split("\n").filter((l) => /ERROR|error/.test(l)).slice(-2).join(" / ")}`);
              }
            }
          } finally {
            await removeDir(dir);
          }
        }
      }
      const med = (tool: Tool, ph: Phase): number => median(got[tool][ph]);
      for (const ph of PHASES) {
        const s = med("speck", ph);
        const u = med("usual", ph);
        const m = med("dummy-main", ph);
        timeRows.push({
          program: p.name,
          phase: ph,
          "speck s": seconds(s),
          "usual s": seconds(u),
          "dummy-main s": seconds(m),
          "usual/speck": ratio(u, s),
          "dummy-main/speck": ratio(m, s),
          "speck runs s": got.speck[ph].map((x) => seconds(x).toFixed(1)).join(" "),
          "usual runs s": got.usual[ph].map((x) => seconds(x).toFixed(1)).join(" "),
          "dummy-main runs s": got["dummy-main"][ph].map((x) => seconds(x).toFixed(1)).join(" "),
        });
      }
      const sCold = med("speck", "cold");
      const sFresh = median(fresh);
      timeRows.push({ program: p.name, phase: "fresh + registry cache", "speck s": seconds(sFresh), "speck runs s": fresh.map((x) => seconds(x).toFixed(1)).join(" ") });
      const sEdit = med("speck", "edit");
      const uEdit = med("usual", "edit");
      const mEdit = med("dummy-main", "edit");
      targets.push({ what: `${p.name}: workspace-only edit, usual/speck`, goal: ">= 5x", measured: `${ratio(uEdit, sEdit)}x (${seconds(sEdit)} s vs ${seconds(uEdit)} s)`, met: uEdit / sEdit >= 5 });
      targets.push({ what: `${p.name}: workspace-only edit, speck vs dummy-main`, goal: "faster", measured: `${seconds(sEdit)} s vs ${seconds(mEdit)} s`, met: sEdit < mEdit });
      targets.push({ what: `${p.name}: fresh runner + registry cache vs speck cold`, goal: ">= 5x faster", measured: `${ratio(sCold, sFresh)}x (${seconds(sFresh)} s vs ${seconds(sCold)} s)`, met: sCold / sFresh >= 5 });

      // Sizes: the images the last repetition left.
      for (const tool of ["speck", "usual"] as const) {
        const b = await imageBytes(d, tagOf(p, tool));
        const bin = Math.max(0, ...b.files.values());
        sizeRows.push({ program: p.name, build: tool, "binary bytes": bin, "layers compressed": b.layersCompressed, "image compressed": b.imageCompressed });
      }
    }
  } finally {
    await registry.stop();
    await removeDir(store);
    await docker(d, ["image", "rm", "-f", ...PROGRAMS.flatMap((p) => TOOLS.map((t) => tagOf(p, t)))], { check: false });
  }
  return {
    tables: [
      { title: `rust: build wall time, linux/amd64, median of ${ctx.reps} interleaved repetitions (docker buildx build --load)`, rows: timeRows },
      { title: "rust: image sizes (speck's default profile vs the usual Dockerfile's strip)", rows: sizeRows },
    ],
    targets,
    notes: [
      "Both programs are built through the Alpine stand-in, whose rust/cargo are Debian's 1.85 behind alpine-rustc.sh: binaries are glibc-static, so sizes are the double's; Alpine's musl binaries are smaller.",
      "usual: bench/dockerfiles/rust-usual.Dockerfile. dummy-main: bench/dockerfiles/rust-<program>.dummy-main.Dockerfile (with the touch that keeps cargo from keeping the stub).",
      "edit: a comment appended to src/main.rs. fresh: --cache-to type=registry,mode=max on 127.0.0.1 (untimed), prune, another edit, --cache-from.",
      "rust-serde's crates: Debian trixie's librust-*-dev (test/e2e/crates.ts), vendored into the context for every tool, Cargo.lock made by the double's cargo.",
      ...failures.map((f) => `FAILED: ${f}`),
    ],
  };
}

export const RUST: Section = { id: "rust", title: "Rust: sizes and rebuilds", needsDaemon: true, run: rustSection };
