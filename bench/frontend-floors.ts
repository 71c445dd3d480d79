// The floors under speck's no-op rebuild: what any frontend image costs before
// it does any work. Beside the built-in Dockerfile frontend and speck itself,
// frontend images that differ from speck's in one thing each:
//   - the gateway runtime around an empty build (bench/null-frontend.ts): Ping,
//     capabilities and Return, in the same image with the same bundle machinery;
//   - the same empty build over node:http2 directly (bench/http2-null-frontend.ts):
//     what the runtime would cost without grpc-js and its relay socket;
//   - the same image with ENTRYPOINT `node -e 0`: node starts and exits without
//     calling the gateway, so the build fails ("no result for incomplete build");
//   - an ENTRYPOINT that does not exist: runc fails at exec, so no process runs.
// The failing builds are timed too, but only when they failed for that reason.

import { FRONTEND_IMAGE, type Daemon } from "../test/e2e/daemon.js";
import { docker } from "../test/e2e/docker.js";
import { dockerfileBuild, exampleCopy, removeDir, speckBuild, speckBuildFailing, useFrontend } from "./builds.js";
import { buildEntrypointImage, buildHttp2NullImage, buildNullImage } from "./frontend-images.js";
import { interleave, wallRows } from "./interleave.js";
import type { BenchContext, Table } from "./section.js";
import { median, ratio } from "./stats.js";
import { logSize, readLogFrom } from "./trace-log.js";

/** Issue 15's goal for a no-op rebuild (issue 4 had 1.3x): speck's time over the Dockerfile build's, on this 2-core machine. */
export const NOOP_RATIO_GOAL = 1.6;

const NULL = "speck-bench/frontend-null:latest";
const HTTP2_NULL = "speck-bench/frontend-http2-null:latest";
const BARE = "speck-bench/frontend-bare-node:latest";
const MISSING = "speck-bench/frontend-missing:latest";
/** Not in the image: the entrypoint of MISSING. */
const MISSING_PATH = "/speck/no-such-entrypoint";

/** The floors measured, each as a ratio to the Dockerfile build. */
export interface Floors {
  /** speck's gateway runtime around an empty build. */
  readonly runtime: number;
  /** The same two calls over node:http2, without grpc-js and its relay. */
  readonly http2: number;
  /** Node starting and exiting, no gateway call. */
  readonly bareNode: number;
}

/**
 * What the closing note says about the floors, against the goal: the lowest
 * floor above the goal says what would have to change for speck to meet it.
 */
export function floorNote(f: Floors, goal: number = NOOP_RATIO_GOAL): string {
  if (![f.runtime, f.http2, f.bareNode].every(Number.isFinite)) return "floor: not measured";
  const x = (r: number) => `${r.toFixed(2)}x`;
  const head = `floor: the gateway runtime alone is ${x(f.runtime)} the Dockerfile build, the same calls over node:http2 ${x(f.http2)}, bare Node ${x(f.bareNode)}`;
  if (f.bareNode > goal) return `${head}; the issue's ${goal}x target is below all three: no frontend image that starts Node can meet it`;
  if (f.http2 > goal) return `${head}; the issue's ${goal}x target is below even a runtime without grpc-js: a Node frontend that makes any gateway call cannot meet it`;
  if (f.runtime > goal) return `${head}; the issue's ${goal}x target is below the runtime's floor: speck cannot meet it on grpc-js`;
  return `${head}; all three are within the issue's ${goal}x target, so the rest of speck's ratio is speck's own work`;
}

/** The runc failure for MISSING_PATH in the daemon log, which the client only reports as an exit code. */
async function confirmExecFailure(logFile: string, offset: number): Promise<void> {
  // The daemon writes runc's stderr to its log asynchronously: allow it a moment.
  for (let i = 0; i < 20; i++) {
    const lines = readLogFrom(logFile, offset).split("\n");
    if (lines.some((l) => l.includes(MISSING_PATH) && /no such file|not found/i.test(l))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`frontend floors: the daemon log (${logFile}) shows no failed exec of ${MISSING_PATH}; the missing-entrypoint builds failed for another reason`);
}

export async function measureFloors(d: Daemon, ctx: BenchContext, reps: number): Promise<{ tables: Table[]; notes: string[] }> {
  const t = ctx.buildTimeoutMs;
  ctx.log("frontend: building the floor images (runtime only, over node:http2, bare node, missing entrypoint)");
  const tags = [
    "speck-bench/floor:dockerfile",
    "speck-bench/floor:speck",
    "speck-bench/floor:null",
    "speck-bench/floor:http2-null",
    "speck-bench/floor:bare",
    "speck-bench/floor:missing",
  ] as const;
  const dirs: string[] = [];
  try {
    await buildNullImage(d, NULL, t);
    await buildHttp2NullImage(d, HTTP2_NULL, t);
    await buildEntrypointImage(d, FRONTEND_IMAGE, BARE, ["/usr/local/bin/node", "-e", "0"], t);
    await buildEntrypointImage(d, FRONTEND_IMAGE, MISSING, [MISSING_PATH], t);
    for (let i = 0; i < 6; i++) dirs.push(await exampleCopy("pausle"));
    const [dfDir, speckDir, nullDir, http2Dir, bareDir, missingDir] = dirs as [string, string, string, string, string, string];
    await useFrontend(speckDir, FRONTEND_IMAGE);
    await useFrontend(nullDir, NULL);
    await useFrontend(http2Dir, HTTP2_NULL);
    await useFrontend(bareDir, BARE);
    await useFrontend(missingDir, MISSING);
    const logOffset = d.logFile === null ? 0 : logSize(d.logFile);
    const base = "Dockerfile (built-in frontend)";
    const runtime = "gateway runtime only (empty result)";
    const http2 = "empty result over node:http2 (no grpc-js)";
    const bare = "bare node: node -e 0 (fails: no result)";
    const times = await interleave<unknown>(
      [
        { name: base, run: () => dockerfileBuild(d, { dir: dfDir, dockerfile: "pausle.Dockerfile", tag: tags[0], timeoutMs: t }) },
        { name: `speck (${FRONTEND_IMAGE})`, run: () => speckBuild(d, { dir: speckDir, tag: tags[1], timeoutMs: t }) },
        { name: runtime, run: () => speckBuild(d, { dir: nullDir, tag: tags[2], timeoutMs: t }) },
        { name: http2, run: () => speckBuild(d, { dir: http2Dir, tag: tags[3], timeoutMs: t }) },
        { name: bare, run: () => speckBuildFailing(d, { dir: bareDir, tag: tags[4], timeoutMs: t }, /no result/i) },
        { name: "missing entrypoint (fails at exec)", run: () => speckBuildFailing(d, { dir: missingDir, tag: tags[5], timeoutMs: t }, /exit code:? \d+/i) },
      ],
      reps,
      ctx.log,
      "frontend: floors",
    );
    if (d.logFile !== null) await confirmExecFailure(d.logFile, logOffset);
    const med = (name: string) => median((times.get(name) ?? []).map((x) => x.ms));
    return {
      tables: [{ title: `frontend: floors, pausle no-op rebuild, ${reps} interleaved runs after one warm-up each`, rows: wallRows(times, base) }],
      notes: [
        "floors: every row is the same `docker buildx build --load` of pausle; only the frontend differs.",
        `floors, gateway runtime only: bench/null-frontend.ts built into the frontend image as speck is (same Node, a rehearsed startup snapshot, labels): Ping, then Return an empty result.`,
        "floors, over node:http2: the same two calls from bench/http2-null-frontend.ts, node:http2 on stdin/stdout with no grpc-js and no relay; its gap to the runtime-only row is what grpc-js and the relay cost each build.",
        "floors, bare node: the frontend image with ENTRYPOINT node -e 0; Node starts and exits without a gateway call, the build fails with \"no result for incomplete build\" (checked on every run).",
        `floors, missing entrypoint: ENTRYPOINT ${MISSING_PATH}; BuildKit resolves the image and sets up the container, runc fails at exec (client: "exit code"; ${d.logFile === null ? "the daemon log was not readable to confirm the cause" : "the runc error confirmed in the daemon log"}).`,
        floorNote({ runtime: ratio(med(runtime), med(base)), http2: ratio(med(http2), med(base)), bareNode: ratio(med(bare), med(base)) }),
      ],
    };
  } finally {
    for (const dir of dirs) await removeDir(dir);
    await docker(d, ["image", "rm", "-f", ...tags, NULL, HTTP2_NULL, BARE, MISSING], { check: false });
  }
}
