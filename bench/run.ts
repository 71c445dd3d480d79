// `npm run bench [-- --only llb,size,time,frontend,platforms] [--flavor d28|d26] [--reps N]`
// Runs the benchmark sections in order, prints each as plain-text tables and
// writes everything to bench/results.json. Sections that need a daemon use
// SPECK_E2E_DOCKER_HOST when set; otherwise the test bed starts its own daemon
// (SPECK_TESTBED_DIR decides where) and it is stopped again at the end.
// Benchmarks measure and report; a missed target is printed, not an exit code.

import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { docker } from "../test/e2e/docker.js";
import { acquireDaemon, type AcquiredDaemon } from "./daemon.js";
import { FRONTEND } from "./frontend.js";
import { INCREMENTAL } from "./incremental.js";
import { CMAKE } from "./cmake.js";
import { LLB } from "./llb-section.js";
import { PLATFORMS } from "./platforms.js";
import { RUST } from "./rust.js";
import type { BenchContext, Section, SectionResult } from "./section.js";
import { SIZE } from "./size.js";
import { formatTable } from "./table.js";
import { TIME } from "./time.js";

/** Every section, in the order they run; a new section is one more entry. */
export const SECTIONS: readonly Section[] = [LLB, SIZE, TIME, INCREMENTAL, CMAKE, FRONTEND, PLATFORMS, RUST];

const USAGE = `usage: npm run bench -- [--only ${SECTIONS.map((s) => s.id).join(",")}] [--flavor d28|d26] [--reps N] [--timeout SECONDS] [--out FILE]`;

interface Args {
  readonly sections: readonly Section[];
  readonly flavor: string;
  readonly reps: number;
  readonly timeoutMs: number;
  readonly out: string;
}

function parse(argv: readonly string[]): Args {
  try {
    return parseChecked(argv);
  } catch (e) {
    // node:util's own errors (an unknown option, a missing value) are usage errors too.
    if (e instanceof TypeError && "code" in e && String(e.code).startsWith("ERR_PARSE_ARGS")) throw new UsageError(e.message);
    throw e;
  }
}

function parseChecked(argv: readonly string[]): Args {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: "string" },
      flavor: { type: "string", default: "d28" },
      reps: { type: "string", default: "5" },
      timeout: { type: "string", default: "300" },
      out: { type: "string", default: resolve(import.meta.dirname, "results.json") },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const ids = values.only === undefined ? SECTIONS.map((s) => s.id) : values.only.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const sections = ids.map((id) => {
    const s = SECTIONS.find((x) => x.id === id);
    if (s === undefined) throw new UsageError(`--only: no section "${id}" (sections: ${SECTIONS.map((x) => x.id).join(", ")})`);
    return s;
  });
  if (values.flavor !== "d28" && values.flavor !== "d26") throw new UsageError(`--flavor ${values.flavor}: expected d28 or d26`);
  const reps = Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1 || reps > 50) throw new UsageError(`--reps ${values.reps}: expected a whole number from 1 to 50`);
  const timeout = Number(values.timeout);
  if (!(timeout > 0)) throw new UsageError(`--timeout ${values.timeout}: expected seconds > 0`);
  return { sections, flavor: values.flavor, reps, timeoutMs: timeout * 1000, out: values.out };
}

class UsageError extends Error {
  override readonly name = "UsageError";
}

function render(s: Section, r: SectionResult): string {
  const parts = [`== ${s.id}: ${s.title}`, ...r.tables.map(formatTable)];
  if (r.targets.length > 0) {
    parts.push(formatTable({ title: "targets", rows: r.targets.map((t) => ({ target: t.what, goal: t.goal, measured: t.measured, met: t.met ? "yes" : "NO" })) }));
  }
  for (const n of r.notes) parts.push(`note: ${n}`);
  return `${parts.join("\n")}\n`;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
  let acquired: AcquiredDaemon | null = null;
  const results: Record<string, (SectionResult | { error: string }) & { loadavg1m: { before: number; after: number } }> = {};
  let daemonInfo: Record<string, string> | null = null;
  try {
    if (args.sections.some((s) => s.needsDaemon)) {
      acquired = await acquireDaemon(args.flavor, log);
      const v = await docker(acquired.daemon, ["version", "--format", "{{.Server.Version}}"]);
      daemonInfo = { name: acquired.daemon.name, dockerHost: acquired.daemon.dockerHost, serverVersion: v.stdout.trim() };
    }
    const ctx: BenchContext = { daemon: acquired?.daemon ?? null, reps: args.reps, buildTimeoutMs: args.timeoutMs, log };
    for (const s of args.sections) {
      log(`section ${s.id}`);
      // The machine's load beside the numbers: a shared 2-core host can triple a wall time.
      const before = loadavg()[0] ?? 0;
      const load = () => ({ before: +before.toFixed(1), after: +(loadavg()[0] ?? 0).toFixed(1) });
      try {
        const r = await s.run(ctx);
        results[s.id] = { ...r, loadavg1m: load() };
        process.stdout.write(render(s, r));
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        results[s.id] = { error: msg, loadavg1m: load() };
        process.stdout.write(`== ${s.id}: ${s.title}\nFAILED: ${msg}\n`);
        process.exitCode = 1;
      }
      const l = results[s.id]?.loadavg1m;
      process.stdout.write(`load average (1 min, ${cpus().length} CPUs): ${l?.before ?? "?"} before, ${l?.after ?? "?"} after\n\n`);
    }
  } finally {
    await acquired?.release();
  }
  const doc = {
    date: new Date().toISOString(),
    node: process.version,
    host: { cpus: cpus().length },
    daemon: daemonInfo,
    reps: args.reps,
    sections: results,
  };
  await writeFile(args.out, `${JSON.stringify(doc, null, 2)}\n`);
  log(`wrote ${args.out}`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof UsageError ? `${e.message}\n${USAGE}` : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
