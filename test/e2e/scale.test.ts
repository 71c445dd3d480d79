// Issue 5, the seed's scale test in small: 200 containers of examples/pause,
// then 200 of examples/pausle (which, as PID 1, ignores SIGTERM), on the newest test
// daemon (the runtime starting them, not BuildKit, is what it measures). A measurement: it prints a table (start time, memory per container,
// stop time) and asserts only what must hold: all started, all stopped, and
// pause stops far faster than pausle (whose stop waits out `-t 2`). With 200
// at once the daemon's own work per container dominates the total, so a
// single stop is also timed (the median of a few, stopped one at a time).

import { readFileSync } from "node:fs";
import { afterAll, expect, it } from "vitest";
import { recordSummary } from "../summary.js";
import { describeNewestDaemon, docker, type Daemon } from "./helpers.js";
import { canSeeProcesses, daemonTree } from "./procs.js";
import { cleanupImage, exampleCopy, speckBuild, tagFor } from "./speck.js";

const COUNT = Number(process.env["SPECK_SCALE_COUNT"] ?? 200);
/** docker run calls in flight at once: enough to overlap the CLI round trips on 2 cores. */
const PARALLEL = 8;
const STOP_TIMEOUT_S = 2;

let started = 0;
let unexpected = 0;
afterAll(() => recordSummary("e2e-scale", { containersStarted: started, unexpected }));

interface Figures {
  readonly example: string;
  readonly startS: number;
  /** Mean memory.current of the containers' cgroups (what `docker stats` shows). */
  readonly cgroupKiB: number;
  /** Mean RSS of PID 1 of each container. */
  readonly pid1KiB: number;
  /** Mean RSS of the containerd shims, per container. */
  readonly shimKiB: number;
  /** Median time of `docker stop` of one container, over SAMPLES containers stopped one at a time. */
  readonly stopOneS: number;
  /** Time of one `docker stop` of all the others at once. */
  readonly stopS: number;
}

/** Containers stopped one at a time first, to time a single stop without the daemon's queueing. */
const SAMPLES = 5;

function rssKiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** `docker stats` memory column ("1.2MiB / 22GiB") in KiB. */
export function statsKiB(s: string): number {
  const m = /^([\d.]+)([KMG]i?B|B)/.exec(s.trim());
  if (!m) throw new Error(`not a docker stats size: ${s}`);
  const unit = { B: 1 / 1024, KiB: 1, KB: 1000 / 1024, MiB: 1024, MB: 1e6 / 1024, GiB: 1 << 20, GB: 1e9 / 1024 }[m[2] ?? "B"] ?? 1;
  return Number(m[1]) * unit;
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

async function inParallel<T>(items: readonly T[], n: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await f(items[next++] as T);
    }),
  );
}

async function measure(daemon: Daemon, example: string, label: string): Promise<Figures> {
  const dir = await exampleCopy(example);
  const tag = tagFor(daemon, `scale-${example}`);
  cleanupImage(daemon, tag);
  await speckBuild(daemon, { dir, tags: [tag], load: true, timeoutMs: 300_000 });

  const ids: string[] = [];
  const t0 = performance.now();
  await inParallel(Array.from({ length: COUNT }, (_, i) => i), PARALLEL, async () => {
    const r = await docker(daemon, ["run", "-d", "--network=none", "--label", label, tag], { timeoutMs: 120_000 });
    ids.push(r.stdout.trim());
  });
  const startS = (performance.now() - t0) / 1000;
  started += ids.length;

  const running = (await docker(daemon, ["ps", "-q", "--no-trunc", "--filter", `label=${label}`, "--filter", "status=running"])).stdout.split("\n").filter(Boolean);
  expect(running.length).toBe(COUNT);

  const stats = (await docker(daemon, ["stats", "--no-stream", "--format", "{{.MemUsage}}", ...ids], { timeoutMs: 300_000 })).stdout.split("\n").filter(Boolean);
  const cgroupKiB = mean(stats.map((s) => statsKiB(s.split("/")[0] ?? "")));
  const pids = (await docker(daemon, ["inspect", "-f", "{{.State.Pid}}", ...ids])).stdout.split("\n").filter(Boolean).map(Number);
  // RSS only where the daemon's processes are visible (a test-bed daemon on this machine).
  const local = canSeeProcesses(daemon);
  const pid1KiB = local ? mean(pids.map(rssKiB)) : Number.NaN;
  const shims = local ? daemonTree(daemon).filter((p) => p.comm.startsWith("containerd-shim")) : [];
  const shimKiB = local ? shims.reduce((a, p) => a + rssKiB(p.pid), 0) / COUNT : Number.NaN;

  const singles: number[] = [];
  for (const id of ids.slice(0, SAMPLES)) {
    const t = performance.now();
    await docker(daemon, ["stop", "-t", String(STOP_TIMEOUT_S), id], { timeoutMs: 60_000 });
    singles.push((performance.now() - t) / 1000);
  }
  const stopOneS = singles.sort((a, b) => a - b)[Math.floor(singles.length / 2)] ?? 0;
  const t1 = performance.now();
  await docker(daemon, ["stop", "-t", String(STOP_TIMEOUT_S), ...ids.slice(SAMPLES)], { timeoutMs: 300_000 });
  const stopS = (performance.now() - t1) / 1000;
  const still = (await docker(daemon, ["ps", "-q", "--filter", `label=${label}`, "--filter", "status=running"])).stdout.trim();
  expect(still).toBe("");
  await docker(daemon, ["rm", "-f", ...ids], { timeoutMs: 300_000 });
  return { example, startS, cgroupKiB, pid1KiB, shimKiB, stopOneS, stopS };
}

function table(daemon: Daemon, rows: readonly Figures[]): string {
  const head = `scale [${daemon.name}]: ${COUNT} containers each (docker run -d --network=none, ${PARALLEL} at a time; docker stop -t ${STOP_TIMEOUT_S})`;
  const cols = ["example", "start all (s)", "per container: cgroup KiB", "PID 1 RSS KiB", "shim RSS KiB", "stop one (s, median)", `stop other ${COUNT - SAMPLES} (s)`];
  const kib = (n: number): string => (Number.isNaN(n) ? "n/a" : n.toFixed(0));
  const lines = rows.map((r) => [r.example, r.startS.toFixed(1), kib(r.cgroupKiB), kib(r.pid1KiB), kib(r.shimKiB), r.stopOneS.toFixed(2), r.stopS.toFixed(1)]);
  const widths = cols.map((c, i) => Math.max(c.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  return [head, fmt(cols), ...lines.map(fmt)].join("\n");
}

describeNewestDaemon("scale", (daemon) => {
  it(`${COUNT} containers of pause, then of pausle: start, memory, stop`, async () => {
    const label = `dev.speck.scale=${process.pid}-${daemon.name}`;
    try {
      const pause = await measure(daemon, "pause", label);
      const pausle = await measure(daemon, "pausle", label);
      process.stderr.write(`${table(daemon, [pause, pausle])}\n`);
      // pausle ignores SIGTERM as PID 1: docker waits out the timeout, then SIGKILLs.
      expect(pausle.stopOneS).toBeGreaterThanOrEqual(STOP_TIMEOUT_S);
      expect(pausle.stopS).toBeGreaterThanOrEqual(STOP_TIMEOUT_S);
      // pause acts on SIGTERM at once: one stop takes a fraction of pausle's; all of them, less time.
      expect(pause.stopOneS * 4).toBeLessThan(pausle.stopOneS);
      expect(pause.stopS).toBeLessThan(pausle.stopS);
    } catch (e) {
      unexpected++;
      throw e;
    } finally {
      const left = (await docker(daemon, ["ps", "-aq", "--filter", `label=${label}`], { check: false })).stdout.split("\n").filter(Boolean);
      if (left.length > 0) await docker(daemon, ["rm", "-f", ...left], { check: false, timeoutMs: 300_000 });
    }
  });
});
