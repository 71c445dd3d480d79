// Benchmark: build and marshal a 10,000-op LLB graph (exec chains with bind,
// cache and output mounts, file ops with mkfile and copy), and report ops/s and
// peak memory. Run alone with `npx tsx bench/llb.ts`; bench/run.ts imports benchLlb.

import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { encodeDefinition, image, local, marshal, mkdir, mkfile, copy, mount, scratch, type State } from "../llb/index.js";

const TARGET_OPS = 10_000;
const RUNS = Number(process.env["LLB_BENCH_RUNS"] ?? 5);

function buildGraph(): { state: State; ops: number } {
  const ctx = local("context", { sessionId: "bench", excludePatterns: ["node_modules"] });
  let st = image("alpine:3.20").dir("/work");
  let ops = 2; // image + local
  let i = 0;
  // Each round adds one exec and one file op.
  while (ops + 2 <= TARGET_OPS - 1) {
    const es = st.run({
      args: ["/bin/sh", "-c", `cc -c step${i}.c -o /out/step${i}.o`],
      env: { STEP: String(i) },
      mounts: [
        mount.bind("/src", ctx, { readonly: true }),
        mount.bind("/out", scratch()),
        mount.cache("/root/.cache", "ccache", { sharing: "locked" }),
      ],
      customName: `compile ${i}`,
    });
    st = es.root().file([
      mkdir(`/work/d${i}`, 0o755, { makeParents: true }),
      mkfile(`/work/d${i}/stamp`, 0o644, `step ${i}\n`),
      copy(es.getMount("/out"), `/step${i}.o`, `/work/d${i}/`),
    ]);
    ops += 2;
    i++;
  }
  return { state: st, ops: ops + 1 }; // + terminal
}

/**
 * The peak RSS of a run, from the kernel's high-water mark (Linux: reset by
 * writing 5 to /proc/self/clear_refs, read as VmHWM). A timer cannot sample a
 * run: the run is synchronous, so the event loop never gets to fire it.
 * Elsewhere: the process's max RSS so far, which only ever grows.
 */
const peakRss = {
  reset(): boolean {
    try {
      writeFileSync("/proc/self/clear_refs", "5");
      return true;
    } catch {
      return false;
    }
  },
  read(resetWorked: boolean): number {
    if (resetWorked) {
      const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1];
      if (kb !== undefined) return Number(kb) * 1024;
    }
    return process.resourceUsage().maxRSS * 1024;
  },
};

/**
 * One measured run. A function of its own so that nothing of it stays
 * reachable afterwards: locals of the async loop below survive its `await`
 * (they live in the suspended function), which kept the previous run's graph
 * and Definition (~24 MB) alive through the next run.
 */
function measureRun(run: number): Record<string, string | number> {
  const resetWorked = peakRss.reset();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const { state, ops } = buildGraph();
  const t1 = process.hrtime.bigint();
  const def = marshal(state, { platform: "linux/amd64" });
  const t2 = process.hrtime.bigint();
  const bytes = encodeDefinition(def);
  const t3 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  const peak = peakRss.read(resetWorked);
  // CPU time (user + system) is steadier than wall time on a shared machine;
  // both are reported. GC and compiler threads count towards CPU time too.
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (def.def.length !== ops) throw new Error(`expected ${ops} ops, got ${def.def.length}`);
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const total = ms(t0, t3);
  return {
    run,
    ops,
    "build ms": +ms(t0, t1).toFixed(1),
    "marshal ms": +ms(t1, t2).toFixed(1),
    "encode ms": +ms(t2, t3).toFixed(1),
    "ops/s": Math.round(ops / (total / 1000)),
    "cpu ms": +cpuMs.toFixed(1),
    "ops/cpu-s": Math.round(ops / (cpuMs / 1000)),
    "definition KiB": Math.round(bytes.length / 1024),
    // The whole process (Node itself is ~45 MB of it) while this run ran.
    "peak rss MB": Math.round(peak / 1e6),
  };
}

export async function benchLlb(): Promise<{ name: string; rows: Array<Record<string, string | number>> }> {
  const rows: Array<Record<string, string | number>> = [];
  for (let run = 1; run <= RUNS; run++) {
    // No forced GC between runs: each run also pays for collecting what
    // earlier ones left, as in a long-lived process. (A forced full GC shrank
    // V8's heap limits and made every run ~2x slower, which no real process
    // sees either: a fresh one is also JIT-cold, like run 1 here.)
    rows.push(measureRun(run));
    await new Promise((r) => setImmediate(r));
  }
  return { name: "llb: build + marshal + encode a 10,000-op graph (target >= 50,000 ops/s, < 200 MB)", rows };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { name, rows } = await benchLlb();
  process.stderr.write(`${name}\n`);
  console.table(rows);
}
