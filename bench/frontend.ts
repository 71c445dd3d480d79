// Section "frontend" (issue 3): what the frontend image costs on every build.
// 1. No-op rebuild of pausle through the speck frontend image vs the daemon's
//    built-in Dockerfile frontend (bench/dockerfiles/pausle.Dockerfile), and
//    through a variant of the speck image with a warm V8 compile cache baked in;
//    interleaved, warm cache, medians and ratios.
// 2. Start-up of the frontend container: `docker run` of bare node (`-e 0`) vs
//    node loading the bundle (`speck.mjs --help`), with and without the cache.

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FRONTEND_IMAGE, type Daemon } from "../test/e2e/daemon.js";
import { buildx, docker } from "../test/e2e/docker.js";
import { DOCKERFILES, dockerfileBuild, exampleCopy, removeDir, speckBuild } from "./builds.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

const CACHED_IMAGE = "speck-bench/frontend-cc:latest";

async function buildCachedFrontend(d: Daemon, ctx: BenchContext): Promise<void> {
  const empty = await mkdtemp(join(tmpdir(), "speck-bench-empty-"));
  try {
    await buildx(d, {
      context: empty,
      file: join(DOCKERFILES, "frontend-compile-cache.Dockerfile"),
      buildArgs: { BASE: FRONTEND_IMAGE },
      tags: [CACHED_IMAGE],
      load: true,
      timeoutMs: ctx.buildTimeoutMs,
    });
  } finally {
    await removeDir(empty);
  }
}

/** Points the copy's `# syntax=` line at another frontend image. */
async function useFrontend(dir: string, image: string): Promise<void> {
  const file = join(dir, "speck.yaml");
  const text = await readFile(file, "utf8");
  await writeFile(file, text.replace(/^# syntax=.*$/m, `# syntax=${image}`));
}

interface Variant {
  readonly name: string;
  run(): Promise<unknown>;
}

/** Runs every variant `reps` times, rotating who goes first; returns ms per variant. */
async function interleave(variants: readonly Variant[], reps: number, log: (l: string) => void, what: string): Promise<Map<string, number[]>> {
  const out = new Map(variants.map((v) => [v.name, [] as number[]]));
  for (const v of variants) await v.run(); // warm-up, not measured
  for (let rep = 0; rep < reps; rep++) {
    log(`frontend: ${what} ${rep + 1}/${reps}`);
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(rep + i) % variants.length];
      if (v === undefined) continue;
      out.get(v.name)?.push((await timed(() => v.run())).ms);
    }
  }
  return out;
}

function summary(times: Map<string, number[]>, base: string): Row[] {
  const b = median(times.get(base) ?? []);
  return [...times].map(([name, xs]) => ({
    variant: name,
    "median s": seconds(median(xs)),
    [`vs ${base}`]: ratio(median(xs), b),
    "runs s": xs.map((x) => seconds(x).toFixed(2)).join(" "),
  }));
}

async function frontendSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const reps = Math.max(ctx.reps, 5);
  ctx.log("frontend: building the compile-cache variant of the frontend image");
  await buildCachedFrontend(d, ctx);
  const speckDir = await exampleCopy("pausle");
  const cachedDir = await exampleCopy("pausle");
  const dfDir = await exampleCopy("pausle");
  try {
    await useFrontend(speckDir, FRONTEND_IMAGE);
    await useFrontend(cachedDir, CACHED_IMAGE);
    const t = ctx.buildTimeoutMs;
    const builds = await interleave(
      [
        { name: "Dockerfile (built-in frontend)", run: () => dockerfileBuild(d, { dir: dfDir, dockerfile: "pausle.Dockerfile", tag: "speck-bench/fe:dockerfile", timeoutMs: t }) },
        { name: `speck (${FRONTEND_IMAGE})`, run: () => speckBuild(d, { dir: speckDir, tag: "speck-bench/fe:speck", timeoutMs: t }) },
        { name: "speck + compile cache", run: () => speckBuild(d, { dir: cachedDir, tag: "speck-bench/fe:speck-cc", timeoutMs: t }) },
      ],
      reps,
      ctx.log,
      "no-op rebuilds",
    );
    const node = ["run", "--rm", "--network=none", "--entrypoint", "/usr/local/bin/node"];
    const starts = await interleave(
      [
        { name: "node -e 0 (container + bare node)", run: () => docker(d, [...node, FRONTEND_IMAGE, "-e", "0"]) },
        { name: "node speck.mjs --help", run: () => docker(d, [...node, FRONTEND_IMAGE, "/speck/speck.mjs", "--help"]) },
        { name: "node speck.mjs --help, compile cache", run: () => docker(d, [...node, CACHED_IMAGE, "/speck/speck.mjs", "--help"]) },
      ],
      reps,
      ctx.log,
      "container start-ups",
    );
    const base = "Dockerfile (built-in frontend)";
    const rows = summary(builds, base);
    const speckRatio = rows.find((r) => String(r["variant"]).startsWith("speck ("))?.[`vs ${base}`];
    const target: Target = {
      what: "pausle no-op rebuild through the speck frontend vs the built-in Dockerfile frontend",
      goal: "<= 1.3x",
      measured: `${String(speckRatio)}x`,
      met: typeof speckRatio === "number" && speckRatio <= 1.3,
    };
    return {
      tables: [
        { title: `frontend: pausle no-op rebuild, ${reps} interleaved runs after one warm-up each`, rows },
        { title: `frontend: container start-up (docker run --rm), ${reps} interleaved runs`, rows: summary(starts, "node -e 0 (container + bare node)") },
      ],
      targets: [target],
      notes: [
        `The compile-cache variant is ${CACHED_IMAGE}: FROM ${FRONTEND_IMAGE}, ENV NODE_COMPILE_CACHE, one --help run at build time to fill it (bench/dockerfiles/frontend-compile-cache.Dockerfile).`,
        "Start-up rows: bundle load time = (speck.mjs --help) - (node -e 0); the container's own cost is in both.",
      ],
    };
  } finally {
    await removeDir(speckDir);
    await removeDir(cachedDir);
    await removeDir(dfDir);
    await docker(d, ["image", "rm", "-f", "speck-bench/fe:dockerfile", "speck-bench/fe:speck", "speck-bench/fe:speck-cc", CACHED_IMAGE], { check: false });
  }
}

export const FRONTEND: Section = { id: "frontend", title: "frontend overhead", needsDaemon: true, run: frontendSection };
