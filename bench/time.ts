// Section "time": build wall times for pausle, crc32 and go-httpd through speck and
// through the hand-written Dockerfile: cold (after `docker builder prune -af`),
// no-op rebuild, and rebuild after one source changed. The two tools alternate
// within every repetition (and swap who goes first each time), so drift on a
// shared machine hits both alike; medians are reported.

import type { Daemon } from "../test/e2e/daemon.js";
import { docker } from "../test/e2e/docker.js";
import { dockerfileBuild, example, exampleCopy, removeDir, speckBuild, touchSource, type Example } from "./builds.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

const PROGRAMS = ["pausle", "crc32", "go-httpd"] as const;
const PHASES = ["cold", "no-op", "touch"] as const;
type Phase = (typeof PHASES)[number];
type Tool = "speck" | "Dockerfile";

interface Runner {
  readonly tool: Tool;
  readonly dir: string;
  build(): Promise<unknown>;
}

async function runPhases(d: Daemon, r: Runner, ex: Example, n: number): Promise<Record<Phase, number>> {
  await docker(d, ["builder", "prune", "-af"], { timeoutMs: 300_000 });
  const cold = (await timed(() => r.build())).ms;
  const noop = (await timed(() => r.build())).ms;
  await touchSource(r.dir, ex, n);
  const touch = (await timed(() => r.build())).ms;
  return { cold, "no-op": noop, touch };
}

async function timeSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const rows: Row[] = [];
  const targets: Target[] = [];
  for (const name of PROGRAMS) {
    const ex = example(name);
    const speckDir = await exampleCopy(name);
    const dfDir = await exampleCopy(name);
    const runners: Runner[] = [
      { tool: "speck", dir: speckDir, build: () => speckBuild(d, { dir: speckDir, tag: `speck-bench/time-${name}:speck`, timeoutMs: ctx.buildTimeoutMs, ...(ex.toolchain ? { toolchain: ex.toolchain } : {}) }) },
      { tool: "Dockerfile", dir: dfDir, build: () => dockerfileBuild(d, { dir: dfDir, dockerfile: `${name}.Dockerfile`, tag: `speck-bench/time-${name}:dockerfile`, timeoutMs: ctx.buildTimeoutMs }) },
    ];
    const got: Record<Tool, Record<Phase, number[]>> = {
      speck: { cold: [], "no-op": [], touch: [] },
      Dockerfile: { cold: [], "no-op": [], touch: [] },
    };
    try {
      for (let rep = 1; rep <= ctx.reps; rep++) {
        const order = rep % 2 === 1 ? runners : [...runners].reverse();
        for (const r of order) {
          ctx.log(`time: ${name} ${r.tool} repetition ${rep}/${ctx.reps}`);
          const t = await runPhases(d, r, ex, rep);
          for (const p of PHASES) got[r.tool][p].push(t[p]);
        }
      }
    } finally {
      await removeDir(speckDir);
      await removeDir(dfDir);
      await docker(d, ["image", "rm", "-f", `speck-bench/time-${name}:speck`, `speck-bench/time-${name}:dockerfile`], { check: false });
    }
    for (const p of PHASES) {
      const s = median(got.speck[p]);
      const f = median(got.Dockerfile[p]);
      rows.push({
        program: name,
        phase: p,
        "speck s": seconds(s),
        "Dockerfile s": seconds(f),
        "speck/Dockerfile": ratio(s, f),
        "speck runs s": got.speck[p].map((x) => seconds(x).toFixed(2)).join(" "),
        "Dockerfile runs s": got.Dockerfile[p].map((x) => seconds(x).toFixed(2)).join(" "),
      });
      if (p === "no-op") {
        targets.push({ what: `${name} no-op rebuild, speck/Dockerfile`, goal: "<= 1.3x", measured: `${ratio(s, f)}x (${seconds(s)} s vs ${seconds(f)} s)`, met: s / f <= 1.3 });
      }
      if (p === "touch" && ex.toolchain !== undefined) {
        // Go: an edit rebuild must be no slower than the usual Dockerfile's.
        targets.push({ what: `${name} edit rebuild, speck/Dockerfile`, goal: "<= 1.0x", measured: `${ratio(s, f)}x (${seconds(s)} s vs ${seconds(f)} s)`, met: s <= f });
      }
    }
  }
  return {
    tables: [{ title: `time: build wall time, median of ${ctx.reps} interleaved repetitions (docker buildx build --load)`, rows }],
    targets,
    notes: [
      "cold: after `docker builder prune -af` (the toolchain and frontend images stay in the image store); no-op: the same build again; touch: after appending a comment to one source.",
      "Times are the whole `docker buildx build` client run, as a user sees it.",
    ],
  };
}

export const TIME: Section = { id: "time", title: "build times", needsDaemon: true, run: timeSection };
