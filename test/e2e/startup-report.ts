// How a test sees that a real build started the speck frontend from its V8 startup snapshot:
// BuildKit passes the frontend image's ENV to the frontend, so an image derived from it with
// SPECK_STARTUP_REPORT=1 makes speck say how it started (frontend/startup.ts), on stderr, which
// the daemon copies into its log.

import { readFileSync, statSync } from "node:fs";
import { startupReport, STARTUP_REPORT_ENV } from "../../frontend/startup.js";
import { buildx, fixture, type Daemon, type RunResult } from "./helpers.js";
import { cleanupImage, speckBuild, tagFor } from "./speck.js";

export interface ReportedBuild {
  readonly build: RunResult;
  /** What the daemon logged during the build (the frontend's stderr among it). */
  readonly log: string;
}

/** Builds a one-file C spec with `# syntax=` naming `frontend` (for `platform`), with the report on. */
export async function buildReportingStartup(daemon: Daemon, frontend: string, platform?: string): Promise<ReportedBuild> {
  const logFile = daemon.logFile;
  if (logFile === null) throw new Error(`${daemon.name}: this check reads the frontend's stderr from the daemon log, and this daemon has none`);
  const reporting = tagFor(daemon, `startup-report-${platform?.replace("/", "-") ?? "native"}`);
  cleanupImage(daemon, reporting);
  const ctx = await fixture({ Dockerfile: `FROM ${frontend}\nENV ${STARTUP_REPORT_ENV}=1\n` });
  await buildx(daemon, { context: ctx, file: `${ctx}/Dockerfile`, tags: [reporting], load: true, ...(platform !== undefined ? { platform } : {}) });

  const dir = await fixture({ "speck.yaml": `# syntax=${reporting}\nsources: [hi.c]\n`, "hi.c": "int main(void) { return 0; }\n" });
  const offset = statSync(logFile).size;
  const build = await speckBuild(daemon, { dir, check: false });
  // The daemon copies the frontend's stderr asynchronously.
  let log = "";
  for (let i = 0; i < 100 && !log.includes(startupReport("snapshot")); i++) {
    await new Promise((r) => setTimeout(r, 50));
    log = readFileSync(logFile).subarray(offset).toString("utf8");
  }
  return { build, log };
}
