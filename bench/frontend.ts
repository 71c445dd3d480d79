// Section "frontend" (issues 3 and 15): what the frontend image costs on every build.
// 1. No-op rebuild of pausle through the speck frontend image vs the daemon's
//    built-in Dockerfile frontend (bench/dockerfiles/pausle.Dockerfile), beside
//    the same image started from the ES module bundle and a compile cache instead
//    of the startup snapshot, and the same snapshot on a Debian base instead of
//    scratch; interleaved, warm build cache, medians and ratios.
// 2. The floors under that rebuild (bench/frontend-floors.ts): the gateway
//    runtime alone, bare node, and a frontend that never starts.
// 3. Start-up of the frontend container by `docker run`: bare node vs speck
//    from the snapshot, from the compile cache, and on the Debian base.
// 4. The image's compressed and unpacked bytes per candidate base
//    (bench/frontend-bytes.ts), and the node binary alone as the floor.
// 5. Inside the frontend process (test-bed daemons only, whose log we can
//    read): when speck's first line runs, when Ping returns, every gateway call
//    and the time between calls, from a tracing build of the same bundle, with
//    the snapshot and with the compile cache.

import { FRONTEND_IMAGE, NODE_IMAGE, type Daemon } from "../test/e2e/daemon.js";
import { docker } from "../test/e2e/docker.js";
import { dockerfileBuild, exampleCopy, removeDir, speckBuild, useFrontend } from "./builds.js";
import { measureFloors, NOOP_RATIO_GOAL } from "./frontend-floors.js";
import { bytesRows, sizeTarget } from "./frontend-bytes.js";
import { buildCompileCacheImage, buildDebianImage, buildNodeOnlyImage, buildTraceImage } from "./frontend-images.js";
import { interleave, wallRows } from "./interleave.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Table, type Target } from "./section.js";
import { median } from "./stats.js";
import { busyMs, logSize, parseTrace, readLogFrom, type Trace } from "./trace-log.js";

const CACHED = "speck-bench/frontend-cc:latest";
const DEBIAN = "speck-bench/frontend-debian:latest";
const NODE_ONLY = "speck-bench/frontend-node-only:latest";
const TRACE = "speck-bench/frontend-trace:latest";
const TRACE_CACHED = "speck-bench/frontend-trace-cc:latest";

const ms1 = (x: number) => +x.toFixed(1);

function traceRow(name: string, traces: readonly Trace[]): Row {
  const m = (f: (t: Trace) => number) => ms1(median(traces.map(f)));
  const pingEnd = (t: Trace) => t.calls.find((c) => c.method === "Ping")?.end ?? Number.NaN;
  const inRpcs = (t: Trace) => busyMs(t.calls.filter((c) => c.method !== "Ping"));
  return {
    frontend: name,
    "first line ms": m((t) => t.entry),
    "CPU at first line ms": m((t) => t.entryCpu),
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
  await buildCompileCacheImage(d, FRONTEND_IMAGE, TRACE_CACHED, ctx.buildTimeoutMs, "bench/frontend-trace.ts");
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
        { name: "speck (traced), startup snapshot", run: one(dirs[0], "speck-bench/fe:trace") },
        { name: "speck (traced), bundle + compile cache", run: one(dirs[1], "speck-bench/fe:trace-cc") },
      ],
      reps,
      ctx.log,
      "frontend: traced no-op rebuilds",
    );
    const rows = [...runs].map(([name, xs]) => traceRow(name, xs.map((x) => x.value)));
    const plain = [...(runs.get("speck (traced), startup snapshot") ?? [])].map((x) => x.value).sort((a, b) => a.exit - b.exit);
    const mid = plain[Math.floor(plain.length / 2)];
    const tables: Table[] = [{ title: `frontend: inside the frontend process, pausle no-op rebuild, medians of ${reps} (ms since node started)`, rows }];
    if (mid !== undefined) tables.push({ title: "frontend: the gateway calls of the median traced no-op build (startup snapshot)", rows: callRows(mid) });
    return {
      tables,
      notes: [
        "Traced bundle: bench/frontend-trace.ts wraps the gateway bridge's call and logs to stderr (the daemon log); the build itself is frontend/frontend-main.ts unchanged. First line: the first line of speck that runs (after deserialising the snapshot, or after loading the bundle).",
        "in calls after Ping: the time at least one call was in flight (calls made at once count once); between calls: the rest, the frontend's own work once connected (parsing, planning, marshalling, encoding).",
      ],
    };
  } finally {
    for (const dir of dirs) await removeDir(dir);
    await docker(d, ["image", "rm", "-f", "speck-bench/fe:trace", "speck-bench/fe:trace-cc", TRACE, TRACE_CACHED], { check: false });
  }
}

/** `docker run` of a frontend image with no BuildKit on stdin: speck starts, finds its input closed and exits 1. */
async function startAlone(d: Daemon, image: string): Promise<void> {
  const r = await docker(d, ["run", "--rm", "--network=none", image], { check: false });
  if (!r.stderr.includes("the connection to BuildKit closed")) throw new Error(`frontend: ${image} did not start as a frontend does without BuildKit:\n${r.stderr}`);
}

async function frontendSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const reps = Math.max(ctx.reps, 5);
  const t = ctx.buildTimeoutMs;
  ctx.log("frontend: building the variants of the frontend image (compile cache, Debian base, node alone)");
  await buildCompileCacheImage(d, FRONTEND_IMAGE, CACHED, t);
  await buildDebianImage(d, FRONTEND_IMAGE, NODE_IMAGE, DEBIAN, t);
  await buildNodeOnlyImage(d, FRONTEND_IMAGE, NODE_ONLY, t);
  const dirs = [await exampleCopy("pausle"), await exampleCopy("pausle"), await exampleCopy("pausle"), await exampleCopy("pausle")];
  const [speckDir, cachedDir, debianDir, dfDir] = dirs as [string, string, string, string];
  try {
    await useFrontend(speckDir, FRONTEND_IMAGE);
    await useFrontend(cachedDir, CACHED);
    await useFrontend(debianDir, DEBIAN);
    const base = "Dockerfile (built-in frontend)";
    const speckName = `speck (${FRONTEND_IMAGE}: scratch, startup snapshot)`;
    const builds = await interleave(
      [
        { name: base, run: () => dockerfileBuild(d, { dir: dfDir, dockerfile: "pausle.Dockerfile", tag: "speck-bench/fe:dockerfile", timeoutMs: t }) },
        { name: speckName, run: () => speckBuild(d, { dir: speckDir, tag: "speck-bench/fe:speck", timeoutMs: t }) },
        { name: "speck, bundle + compile cache instead of the snapshot", run: () => speckBuild(d, { dir: cachedDir, tag: "speck-bench/fe:speck-cc", timeoutMs: t }) },
        { name: "speck, snapshot on the Debian base", run: () => speckBuild(d, { dir: debianDir, tag: "speck-bench/fe:speck-debian", timeoutMs: t }) },
      ],
      reps,
      ctx.log,
      "frontend: no-op rebuilds",
    );
    const bare = "node -e 0 (scratch image)";
    const starts = await interleave<unknown>(
      [
        { name: bare, run: () => docker(d, ["run", "--rm", "--network=none", "--entrypoint", "/usr/local/bin/node", FRONTEND_IMAGE, "-e", "0"]) },
        { name: "speck, startup snapshot", run: () => startAlone(d, FRONTEND_IMAGE) },
        { name: "speck, bundle + compile cache", run: () => startAlone(d, CACHED) },
        { name: "speck, snapshot on the Debian base", run: () => startAlone(d, DEBIAN) },
      ],
      reps,
      ctx.log,
      "frontend: container start-ups",
    );
    const bytes = await bytesRows(d, [
      { name: "scratch + snapshot (the project image)", ref: FRONTEND_IMAGE, note: "stripped node, its ldd libraries and loader, the startup snapshot" },
      { name: "scratch + bundle + compile cache", ref: CACHED, note: "the same scratch base, the ES module bundle and a compile cache instead of the snapshot" },
      { name: "Debian base + snapshot", ref: DEBIAN, note: `${NODE_IMAGE}: the test bed's stand-in for node:22-bookworm (Debian essential + binutils + Node, unstripped)` },
      { name: "node:22-bookworm-slim", ref: null, note: "no registry here; its Debian stand-in is the row above" },
      { name: "node:22-alpine", ref: null, note: "no registry here, and no musl build of Node in the npm registry or Debian to stand in for it" },
      { name: "floor: the node binary alone", ref: NODE_ONLY, note: "the project image's stripped node in scratch" },
    ]);
    const size = sizeTarget(bytes.sizes.get("scratch + snapshot (the project image)"), bytes.sizes.get("floor: the node binary alone"));
    const floors = await measureFloors(d, ctx, reps);
    const inside = await traced(d, ctx, reps);
    const rows = wallRows(builds, base);
    const speckRatio = rows.find((r) => r["variant"] === speckName)?.[`/ ${base}`];
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
        { title: `frontend: container start-up with no BuildKit on stdin (docker run --rm, whole CLI round trip), ${reps} interleaved runs`, rows: wallRows(starts, bare) },
        { title: "frontend: image bytes per candidate base (docker save: layer blobs as a registry serves them, gzip; unpacked: the layers' tar streams)", rows: bytes.rows },
        ...inside.tables,
      ],
      targets: [target, size.target],
      notes: [
        "Compile-cache variant: the project image + the ES module bundle + ENV NODE_COMPILE_CACHE filled by one `speck.mjs frontend` start (bench/dockerfiles/frontend-compile-cache.Dockerfile): how the image started before issue 15.",
        "Debian variant: the project image's snapshot, labels and entrypoint on the Dockerfile's runtime-base (bench/dockerfiles/frontend-debian.Dockerfile).",
        size.note,
        ...floors.notes,
        ...inside.notes,
      ],
    };
  } finally {
    for (const dir of dirs) await removeDir(dir);
    const tags = ["speck-bench/fe:dockerfile", "speck-bench/fe:speck", "speck-bench/fe:speck-cc", "speck-bench/fe:speck-debian"];
    await docker(d, ["image", "rm", "-f", ...tags, CACHED, DEBIAN, NODE_ONLY], { check: false });
  }
}

export const FRONTEND: Section = { id: "frontend", title: "frontend overhead", needsDaemon: true, run: frontendSection };
