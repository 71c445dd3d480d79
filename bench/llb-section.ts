// Section "llb" (issue 2): benchLlb() from bench/llb.ts, unchanged, with its
// targets checked. No daemon needed.

import { benchLlb } from "./llb.js";
import type { Row, Section, SectionResult } from "./section.js";
import { median } from "./stats.js";

async function llbSection(): Promise<SectionResult> {
  const { name, rows } = await benchLlb();
  const opsPerSec = median(rows.map((r) => Number(r["ops/s"])));
  // Present since bench/llb.ts reports CPU time: the figure that a busy shared machine distorts least.
  const perCpuSec = median(rows.map((r) => Number(r["ops/cpu-s"])));
  const peakMB = Math.max(...rows.map((r) => Number(r["process max rss MB"] ?? r["peak rss MB"])));
  return {
    tables: [{ title: name, rows: rows as Row[] }],
    targets: [
      { what: "llb ops/s (median of runs)", goal: ">= 50,000", measured: `${Math.round(opsPerSec).toLocaleString("en-US")}${Number.isNaN(perCpuSec) ? "" : ` (per CPU second: ${Math.round(perCpuSec).toLocaleString("en-US")})`}`, met: opsPerSec >= 50_000 },
      { what: "llb peak memory (process max RSS)", goal: "< 200 MB", measured: `${peakMB} MB`, met: peakMB < 200 },
    ],
    notes: ["Runs in this process (LLB_BENCH_RUNS, default 5); the first run includes JIT warm-up."],
  };
}

export const LLB: Section = { id: "llb", title: "LLB builder throughput", needsDaemon: false, run: llbSection };
