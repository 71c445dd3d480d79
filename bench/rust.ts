// Section "rust" (issue 20): examples/rust-hello and examples/rust-serde (serde with derive, serde_json, a
// path crate) built for linux/amd64 through the test bed's Alpine stand-in (its Rust is the Debian double:
// glibc-static, so sizes are the double's, not Alpine's musl ones), three ways:
//   speck        the example's speck.yaml (the dependency op keyed on the lock, manifests and toolchain)
//   usual        bench/dockerfiles/rust-usual.Dockerfile: COPY . ., one cargo build --release, strip, scratch
//   dummy-main   bench/dockerfiles/rust-<name>.dummy-main.Dockerfile: dependencies built against stub
//                targets in their own layer, then the sources (with the `touch` that avoids cargo #2644)
// Profiles: every tool compiles with the same cargo settings. speck gets `profile: <p>`; the Dockerfiles get
// the same `profile.release` keys as CARGO_PROFILE_RELEASE_* build args, taken from speck's own profile table
// (frontend/languages/rust/profiles.ts), so neither side pays for LTO the other skips:
//   size         speck's default: opt-level "s", fat LTO, one codegen unit, stripped
//   speed        opt-level 3, stripped: cargo's own release profile plus the strip the usual Dockerfile does
// Phases, per tool and profile, within one repetition (tools take turns, who goes first rotating):
//   cold         after `docker builder prune -af` (the toolchain install included, for every tool alike)
//   edit         src/main.rs changed (a workspace-only edit), built again
// and for speck only:
//   fresh        the edited state exported with --cache-to type=registry,mode=max to a registry on
//                127.0.0.1 (untimed), prune, one more edit, a build with --cache-from (a fresh CI runner)
// Crates come from Debian (test/e2e/crates.ts), vendored into the copy for every tool alike, with a
// Cargo.lock made against them by the double's cargo.
// Where the time went: every timed build runs with --progress=rawjson, and the cargo op that compiles the
// program (speck's workspace op, the Dockerfiles' last `cargo build`) is timed from BuildKit's own vertex
// start and end. For the fresh runner, the time before that op starts is the cache import and layer pulls.

import { appendFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STANDIN } from "../test/e2e/alpine.js";
import { debianCrates, writeLock, writeVendored } from "../test/e2e/crates.js";
import type { Daemon } from "../test/e2e/daemon.js";
import { buildx, docker } from "../test/e2e/docker.js";
import { ranSpans } from "../test/e2e/rawjson.js";
import type { RunResult } from "../test/e2e/run.js";
import { RUST_PROFILES } from "../frontend/languages/rust/profiles.js";
import { startRegistry, type Registry } from "../test/e2e/registry.js";
import { DOCKERFILES, exampleCopy, removeDir, setProfile } from "./builds.js";
import { imageBytes } from "./image-bytes.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

const TOOLS = ["speck", "usual", "dummy-main"] as const;
type Tool = (typeof TOOLS)[number];
const PHASES = ["cold", "edit"] as const;
type Phase = (typeof PHASES)[number];
const BENCH_PROFILES = ["size", "speed"] as const;
type BenchProfile = (typeof BENCH_PROFILES)[number];

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

/** speck's profile as the Dockerfiles' CARGO_PROFILE_RELEASE_* build args (cargo's config-by-environment names). */
function cargoProfileArgs(profile: BenchProfile): Record<string, string> {
  return Object.fromEntries(
    RUST_PROFILES[profile].settings.map((x) => [`CARGO_PROFILE_RELEASE_${x.key.toUpperCase().replace(/-/g, "_")}`, x.value.replace(/^"(.*)"$/, "$1")]),
  );
}

async function copyOf(d: Daemon, p: Program, profile: BenchProfile): Promise<string> {
  const dir = await exampleCopy(p.name);
  if (p.crates) {
    const source = await debianCrates();
    await writeLock(d, dir, source);
    await writeVendored(dir, source);
  }
  await setProfile(dir, profile);
  return dir;
}

async function edit(dir: string, n: number): Promise<void> {
  await appendFile(join(dir, "src/main.rs"), `// bench edit ${n} ${process.pid}\n`);
}

function tagOf(p: Program, tool: Tool, profile: BenchProfile): string {
  return `speck-bench/${p.name}:${tool}-${profile}`;
}

/** One timed build: its wall time, and the cargo op that compiled the program (its own time, and how long after the build began it started). */
interface Timing {
  readonly ms: number;
  readonly cargoMs: number;
  readonly beforeCargoMs: number;
}

/** speck's workspace op is `[compile …] cargo build …`; the Dockerfiles' RUN is `cargo build` or, in exec form, `"cargo", "build"`. */
const CARGO_BUILD = /cargo"?,? "?build/;

async function build(d: Daemon, tool: Tool, p: Program, profile: BenchProfile, dir: string, timeoutMs: number, extraArgs: readonly string[] = []): Promise<Timing> {
  const common = { context: dir, tags: [tagOf(p, tool, profile)], load: true, timeoutMs, extraArgs: [...extraArgs, "--progress=rawjson"], buildContexts: CONTEXTS };
  const begun = Date.now();
  const t = await timed((): Promise<RunResult> => {
    if (tool === "speck") return buildx(d, { ...common, file: join(dir, "speck.yaml") });
    if (tool === "usual") return buildx(d, { ...common, file: join(DOCKERFILES, "rust-usual.Dockerfile"), buildArgs: { BIN: p.name, ...cargoProfileArgs(profile) } });
    return buildx(d, { ...common, file: join(DOCKERFILES, `${p.name}.dummy-main.Dockerfile`), buildArgs: cargoProfileArgs(profile) });
  });
  const op = ranSpans(t.value.stderr)
    .filter((v) => CARGO_BUILD.test(v.name))
    .sort((a, b) => b.started - a.started)[0];
  return { ms: t.ms, cargoMs: op ? op.completed - op.started : Number.NaN, beforeCargoMs: op ? op.started - begun : Number.NaN };
}

async function prune(d: Daemon): Promise<void> {
  await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
}

const secs = (xs: readonly number[]): string => xs.map((x) => seconds(x).toFixed(1)).join(" ");

async function rustSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const store = await mkdtemp(join(tmpdir(), "speck-bench-registry-"));
  const registry: Registry = await startRegistry(store);
  const timeRows: Row[] = [];
  const whereRows: Row[] = [];
  const sizeRows: Row[] = [];
  const targets: Target[] = [];
  const failures: string[] = [];
  try {
    for (const p of PROGRAMS) {
      type Runs = Record<Tool, Record<Phase, Timing[]>>;
      const got = Object.fromEntries(BENCH_PROFILES.map((pr) => [pr, Object.fromEntries(TOOLS.map((t) => [t, { cold: [], edit: [] }]))])) as unknown as Record<BenchProfile, Runs>;
      const fresh = Object.fromEntries(BENCH_PROFILES.map((pr) => [pr, [] as Timing[]])) as Record<BenchProfile, Timing[]>;
      for (let rep = 1; rep <= ctx.reps; rep++) {
        const profiles = rep % 2 === 1 ? BENCH_PROFILES : [...BENCH_PROFILES].reverse();
        for (const profile of profiles) {
          const order = TOOLS.map((_, i) => TOOLS[(i + rep) % TOOLS.length] as Tool);
          for (const tool of order) {
            ctx.log(`rust: ${p.name} ${profile} ${tool} repetition ${rep}/${ctx.reps}`);
            const dir = await copyOf(d, p, profile);
            try {
              await prune(d);
              got[profile][tool].cold.push(await build(d, tool, p, profile, dir, ctx.buildTimeoutMs));
              await edit(dir, rep);
              got[profile][tool].edit.push(await build(d, tool, p, profile, dir, ctx.buildTimeoutMs));
              if (tool === "speck") {
                const ref = `${registry.address}/speck-bench/${p.name}:${profile}-${rep}`;
                await build(d, tool, p, profile, dir, ctx.buildTimeoutMs, [`--cache-to=type=registry,ref=${ref},mode=max`]);
                await prune(d);
                await edit(dir, rep + 1000);
                // A failed run is reported (NaN, and why in the notes), not allowed to take the section's other numbers with it.
                try {
                  fresh[profile].push(await build(d, tool, p, profile, dir, ctx.buildTimeoutMs, [`--cache-from=type=registry,ref=${ref}`]));
                } catch (e) {
                  fresh[profile].push({ ms: Number.NaN, cargoMs: Number.NaN, beforeCargoMs: Number.NaN });
                  failures.push(`${p.name} ${profile} fresh, repetition ${rep}: ${String(e).split("\n").filter((l) => /ERROR|error/.test(l)).slice(-2).join(" / ")}`);
                }
              }
            } finally {
              await removeDir(dir);
            }
          }
        }
      }
      for (const profile of BENCH_PROFILES) {
        const runs = got[profile];
        const med = (tool: Tool, ph: Phase, f: (t: Timing) => number = (t) => t.ms): number => median(runs[tool][ph].map(f));
        for (const ph of PHASES) {
          const [s, u, m] = [med("speck", ph), med("usual", ph), med("dummy-main", ph)];
          timeRows.push({
            program: p.name,
            profile,
            phase: ph,
            "speck s": seconds(s),
            "usual s": seconds(u),
            "dummy-main s": seconds(m),
            "usual/speck": ratio(u, s),
            "dummy-main/speck": ratio(m, s),
            "speck runs s": secs(runs.speck[ph].map((t) => t.ms)),
            "usual runs s": secs(runs.usual[ph].map((t) => t.ms)),
            "dummy-main runs s": secs(runs["dummy-main"][ph].map((t) => t.ms)),
          });
          for (const tool of TOOLS) {
            const wall = med(tool, ph);
            const cargo = med(tool, ph, (t) => t.cargoMs);
            whereRows.push({ program: p.name, profile, phase: ph, build: tool, "wall s": seconds(wall), "cargo op s": seconds(cargo), "rest s": seconds(wall - cargo) });
          }
        }
        const f = fresh[profile];
        const sFresh = median(f.map((t) => t.ms));
        timeRows.push({ program: p.name, profile, phase: "fresh + registry cache", "speck s": seconds(sFresh), "speck runs s": secs(f.map((t) => t.ms)) });
        const fCargo = median(f.map((t) => t.cargoMs));
        const fBefore = median(f.map((t) => t.beforeCargoMs));
        whereRows.push({ program: p.name, profile, phase: "fresh + registry cache", build: "speck", "wall s": seconds(sFresh), "cargo op s": seconds(fCargo), "rest s": seconds(sFresh - fCargo), "before the cargo op s": seconds(fBefore) });
        const sCold = med("speck", "cold");
        const [sEdit, uEdit, mEdit] = [med("speck", "edit"), med("usual", "edit"), med("dummy-main", "edit")];
        const what = `${p.name}, profile ${profile}`;
        targets.push({ what: `${what}: workspace-only edit, usual/speck`, goal: ">= 5x", measured: `${ratio(uEdit, sEdit)}x (${seconds(sEdit)} s vs ${seconds(uEdit)} s)`, met: uEdit / sEdit >= 5 });
        targets.push({ what: `${what}: workspace-only edit, speck vs dummy-main`, goal: "faster", measured: `${seconds(sEdit)} s vs ${seconds(mEdit)} s`, met: sEdit < mEdit });
        targets.push({ what: `${what}: fresh runner + registry cache vs speck cold`, goal: ">= 5x faster", measured: `${ratio(sCold, sFresh)}x (${seconds(sFresh)} s vs ${seconds(sCold)} s)`, met: sCold / sFresh >= 5 });

        // Sizes: the images the last repetition left.
        for (const tool of ["speck", "usual"] as const) {
          const b = await imageBytes(d, tagOf(p, tool, profile));
          const bin = Math.max(0, ...b.files.values());
          sizeRows.push({ program: p.name, profile, build: tool, "binary bytes": bin, "layers compressed": b.layersCompressed, "image compressed": b.imageCompressed });
        }
      }
    }
  } finally {
    await registry.stop();
    await removeDir(store);
    await docker(d, ["image", "rm", "-f", ...PROGRAMS.flatMap((p) => BENCH_PROFILES.flatMap((pr) => TOOLS.map((t) => tagOf(p, t, pr))))], { check: false });
  }
  return {
    tables: [
      { title: `rust: build wall time, linux/amd64, median of ${ctx.reps} interleaved repetitions (docker buildx build --load), the same cargo profile on every side`, rows: timeRows },
      { title: "rust: where the time went (medians): the cargo op that compiles the program, timed by BuildKit, and the rest of the build", rows: whereRows },
      { title: "rust: image sizes (the same profile on both sides; the usual Dockerfile also runs strip)", rows: sizeRows },
    ],
    targets,
    notes: [
      "Both programs are built through the Alpine stand-in, whose rust/cargo are Debian's 1.85 behind alpine-rustc.sh: binaries are glibc-static, so sizes are the double's; Alpine's musl binaries are smaller.",
      "usual: bench/dockerfiles/rust-usual.Dockerfile. dummy-main: bench/dockerfiles/rust-<program>.dummy-main.Dockerfile (with the touch that keeps cargo from keeping the stub). Both get speck's profile settings as CARGO_PROFILE_RELEASE_* build args.",
      "edit: a comment appended to src/main.rs. fresh: --cache-to type=registry,mode=max on 127.0.0.1 (untimed), prune, another edit, --cache-from.",
      "rust-serde's crates: Debian trixie's librust-*-dev (test/e2e/crates.ts), vendored into the context for every tool, Cargo.lock made by the double's cargo.",
      ...failures.map((f) => `FAILED: ${f}`),
    ],
  };
}

export const RUST: Section = { id: "rust", title: "Rust: sizes and rebuilds", needsDaemon: true, run: rustSection };
