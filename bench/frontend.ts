// Section "frontend" (issue 3): what the frontend image costs on every build.
// 1. No-op rebuild of pausle through the speck frontend image vs the daemon's
//    built-in Dockerfile frontend (bench/dockerfiles/pausle.Dockerfile), and
//    through the speck image with a warm V8 compile cache baked in;
//    interleaved, warm build cache, medians and ratios.
// 2. The floors under that rebuild (bench/frontend-floors.ts): the gateway
//    runtime alone, bare node, and a frontend that never starts.
// 3. Start-up of the frontend container by `docker run`: bare node vs node
//    loading the bundle, with and without the compile cache.
// 4. Inside the frontend process (test-bed daemons only, whose log we can
//    read): when the bundle is loaded, when Ping returns, every gateway call
//    and the time between calls, from a tracing build of the same bundle.

import { FRONTEND_IMAGE, type Daemon } from "../test/e2e/daemon.js";
import { docker } from "../test/e2e/docker.js";
import { dockerfileBuild, exampleCopy, removeDir, speckBuild, useFrontend } from "./builds.js";
import { measureFloors, NOOP_RATIO_GOAL } from "./frontend-floors.js";
import { buildCompileCacheImage, buildTraceImage } from "./frontend-images.js";
import { interleave, wallRows } from "./interleave.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Table, type Target } from "./section.js";
import { median } from "./stats.js";
import { busyMs, logSize, parseTrace, readLogFrom, type Trace } from "./trace-log.js";

const CACHED = "speck-bench/frontend-cc:latest";
const TRACE = "speck-bench/frontend-trace:latest";
const TRACE_CACHED = "speck-bench/frontend-trace-cc:latest";

const ms1 = (x: number) => +x.toFixed(1);

function traceRow(name: string, traces: readonly Trace[]): Row {
  const m = (f: (t: Trace) => number) => ms1(median(traces.map(f)));
  const pingEnd = (t: Trace) => t.calls.find((c) => c.method === "Ping")?.end ?? Number.NaN;
  const inRpcs = (t: Trace) => busyMs(t.calls.filter((c) => c.method !== "Ping"));
  return {
    frontend: name,
    "bundle loaded ms": m((t) => t.entry),
    "CPU at load ms": m((t) => t.entryCpu),
    "Ping answered ms": m(pingEnd),
    "exit ms": m((t) => t.exit),
    "CPU at exit ms": m((t) => t.exitCpu),
    "gateway calls": m((t) => t.calls.length),
    "in calls after Ping ms": m(inRpcs),
    "between calls after Ping ms": m((t) => t.exit - pingEnd(t) - inRpcs(t)),
  };
}

function callRows(t: Trace): Row[] {
  let prev = 0;
  return t.calls.map((c, i) => {
    const start = c.end - c.took;
    const row: Row = { "#": i + 1, call: c.method, "starts ms": ms1(start), "took ms": ms1(c.took), "gap before ms": ms1(start - (i === 0 ? t.entry : prev)) };
    prev = c.end;
    return row;
  });
}

async function traced(d: Daemon, ctx: BenchContext, reps: number): Promise<{ tables: Table[]; notes: string[] }> {
  const logFile = d.logFile;
  if (logFile === null) return { tables: [], notes: ["frontend trace: skipped (the daemon's log is not readable here)"] };
  ctx.log("frontend: building the tracing frontend image and its compile-cache variant");
  await buildTraceImage(d, TRACE, ctx.buildTimeoutMs);
  await buildCompileCacheImage(d, TRACE, TRACE_CACHED, ctx.buildTimeoutMs);
  const dirs = [await exampleCopy("pausle"), await exampleCopy("pausle")] as const;
  try {
    await useFrontend(dirs[0], TRACE);
    await useFrontend(dirs[1], TRACE_CACHED);
    const one = (dir: string, tag: string) => async (): Promise<Trace> => {
      const offset = logSize(logFile);
      await speckBuild(d, { dir, tag, timeoutMs: ctx.buildTimeoutMs });
      // The daemon copies the frontend's stderr asynchronously: give it a moment.
      for (let i = 0; i < 20; i++) {
        try {
          return parseTrace(readLogFrom(logFile, offset));
        } catch (e) {
          if (i === 19) throw e;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      throw new Error("unreachable");
    };
    const runs = await interleave(
      [
        { name: "speck (traced bundle)", run: one(dirs[0], "speck-bench/fe:trace") },
        { name: "speck (traced) + compile cache", run: one(dirs[1], "speck-bench/fe:trace-cc") },
      ],
      reps,
      ctx.log,
      "frontend: traced no-op rebuilds",
    );
    const rows = [...runs].map(([name, xs]) => traceRow(name, xs.map((x) => x.value)));
    const plain = [...(runs.get("speck (traced bundle)") ?? [])].map((x) => x.value).sort((a, b) => a.exit - b.exit);
    const mid = plain[Math.floor(plain.length / 2)];
    const tables: Table[] = [{ title: `frontend: inside the frontend process, pausle no-op rebuild, medians of ${reps} (ms since node started)`, rows }];
    if (mid !== undefined) tables.push({ title: "frontend: the gateway calls of the median traced no-op build (no compile cache)", rows: callRows(mid) });
    return {
      tables,
      notes: [
        "Traced bundle: bench/frontend-trace.ts wraps the gateway bridge's call and logs to stderr (the daemon log); the build itself is frontend/main.ts unchanged.",
        "in calls after Ping: the time at least one call was in flight (calls made at once count once); between calls: the rest, the frontend's own work once connected (parsing, planning, marshalling, encoding).",
      ],
    };
  } finally {
    for (const dir of dirs) await removeDir(dir);
    await docker(d, ["image", "rm", "-f", "speck-bench/fe:trace", "speck-bench/fe:trace-cc", TRACE, TRACE_CACHED], { check: false });
  }
}

async function frontendSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const reps = Math.max(ctx.reps, 5);
  const t = ctx.buildTimeoutMs;
  ctx.log("frontend: building the compile-cache variant of the frontend image");
  await buildCompileCacheImage(d, FRONTEND_IMAGE, CACHED, t);
  const [speckDir, cachedDir, dfDir] = [await exampleCopy("pausle"), await exampleCopy("pausle"), await exampleCopy("pausle")];
  try {
    await useFrontend(speckDir, FRONTEND_IMAGE);
    await useFrontend(cachedDir, CACHED);
    const base = "Dockerfile (built-in frontend)";
    const builds = await interleave(
      [
        { name: base, run: () => dockerfileBuild(d, { dir: dfDir, dockerfile: "pausle.Dockerfile", tag: "speck-bench/fe:dockerfile", timeoutMs: t }) },
        { name: `speck (${FRONTEND_IMAGE})`, run: () => speckBuild(d, { dir: speckDir, tag: "speck-bench/fe:speck", timeoutMs: t }) },
        { name: "speck + compile cache", run: () => speckBuild(d, { dir: cachedDir, tag: "speck-bench/fe:speck-cc", timeoutMs: t }) },
      ],
      reps,
      ctx.log,
      "frontend: no-op rebuilds",
    );
    const node = ["run", "--rm", "--network=none", "--entrypoint", "/usr/local/bin/node"];
    const bare = "node -e 0";
    const starts = await interleave(
      [
        { name: bare, run: () => docker(d, [...node, FRONTEND_IMAGE, "-e", "0"]) },
        { name: "node speck.mjs --help", run: () => docker(d, [...node, FRONTEND_IMAGE, "/speck/speck.mjs", "--help"]) },
        { name: "node speck.mjs --help, compile cache", run: () => docker(d, [...node, CACHED, "/speck/speck.mjs", "--help"]) },
      ],
      reps,
      ctx.log,
      "frontend: container start-ups",
    );
    const floors = await measureFloors(d, ctx, reps);
    const inside = await traced(d, ctx, reps);
    const rows = wallRows(builds, base);
    const speckRatio = rows.find((r) => String(r["variant"]).startsWith("speck ("))?.[`/ ${base}`];
    const target: Target = {
      what: "pausle no-op rebuild, speck frontend / built-in Dockerfile frontend",
      goal: `<= ${NOOP_RATIO_GOAL}x`,
      measured: `${String(speckRatio)}x`,
      met: typeof speckRatio === "number" && speckRatio <= NOOP_RATIO_GOAL,
    };
    return {
      tables: [
        { title: `frontend: pausle no-op rebuild wall time, ${reps} interleaved runs after one warm-up each`, rows },
        ...floors.tables,
        { title: `frontend: container start-up (docker run --rm, whole CLI round trip), ${reps} interleaved runs`, rows: wallRows(starts, bare) },
        ...inside.tables,
      ],
      targets: [target],
      notes: [
        `Compile-cache variants: FROM the frontend image + ENV NODE_COMPILE_CACHE, filled at image build time by one \`speck.mjs frontend\` start (bench/dockerfiles/frontend-compile-cache.Dockerfile); the project's Dockerfile is unchanged.`,
        ...floors.notes,
        ...inside.notes,
      ],
    };
  } finally {
    for (const dir of [speckDir, cachedDir, dfDir]) await removeDir(dir);
    await docker(d, ["image", "rm", "-f", "speck-bench/fe:dockerfile", "speck-bench/fe:speck", "speck-bench/fe:speck-cc", CACHED], { check: false });
  }
}

export const FRONTEND: Section = { id: "frontend", title: "frontend overhead", needsDaemon: true, run: frontendSection };
