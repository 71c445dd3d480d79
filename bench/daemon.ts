// The daemon the bench builds on: SPECK_E2E_DOCKER_HOST when set (left as
// found), else a private test-bed daemon (test/e2e/testbed.sh) that is started
// here and stopped again by release(). Either way the offline base images and
// the frontend image (speck:e2e, also tagged local/speck:latest, as the
// examples' `# syntax=` line names it) are made the way the e2e tests make them.

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { EXAMPLES_SYNTAX, FRONTEND_IMAGE, NODE_IMAGE, TOOLCHAIN_IMAGE, type Daemon } from "../test/e2e/daemon.js";
import { daemonEnv, docker } from "../test/e2e/docker.js";
import { run } from "../test/e2e/run.js";

const REPO = resolve(import.meta.dirname, "..");
const TESTBED = join(REPO, "test/e2e/testbed.sh");
const BUILD_FRONTEND = join(REPO, "test/e2e/build-frontend-image.sh");

export interface AcquiredDaemon {
  readonly daemon: Daemon;
  /** Stops the daemon if this process started it; a no-op otherwise. */
  release(): Promise<void>;
}

function parseEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) vars.set(m[1] ?? "", m[2] ?? "");
  return vars;
}

function external(dockerHost: string): Daemon {
  const dir = (process.env["PATH"] ?? "").split(delimiter).find((d) => d !== "" && existsSync(join(d, "docker")));
  if (dir === undefined) throw new Error("SPECK_E2E_DOCKER_HOST is set but no docker CLI is on PATH");
  return {
    name: "external",
    dockerHost,
    dockerConfig: process.env["DOCKER_CONFIG"] ?? join(homedir(), ".docker"),
    binDir: resolve(dir),
    logFile: null,
  };
}

async function testbedDaemon(flavor: string, log: (l: string) => void): Promise<{ daemon: Daemon; started: boolean }> {
  const up = (await run([TESTBED, "status", flavor], { check: false })).code === 0;
  if (!up) {
    log(`starting test-bed daemon ${flavor} (SPECK_TESTBED_DIR=${process.env["SPECK_TESTBED_DIR"] ?? "<repo>/.cache/testbed"})`);
    await run([TESTBED, "start", flavor], { timeoutMs: 900_000 });
  } else {
    log(`test-bed daemon ${flavor} already runs; it is left running afterwards`);
  }
  const vars = parseEnv((await run([TESTBED, "env", flavor])).stdout);
  const need = (k: string): string => {
    const v = vars.get(k);
    if (v === undefined) throw new Error(`testbed.sh env ${flavor} printed no ${k}`);
    return v;
  };
  const daemon: Daemon = {
    name: flavor,
    dockerHost: need("DOCKER_HOST"),
    dockerConfig: need("DOCKER_CONFIG"),
    binDir: need("SPECK_TESTBED_BIN"),
    logFile: need("SPECK_TESTBED_LOG"),
  };
  return { daemon, started: !up };
}

/** Base images and the frontend image, as test/e2e/global-setup.ts prepares them. */
async function prepare(d: Daemon, log: (l: string) => void): Promise<void> {
  const env = daemonEnv(d);
  const have = (await docker(d, ["image", "inspect", TOOLCHAIN_IMAGE, NODE_IMAGE], { check: false })).code === 0;
  if (d.name !== "external" || !have) {
    log("base images (testbed.sh images; cached tarballs after the first run)");
    await run(d.name === "external" ? [TESTBED, "images"] : [TESTBED, "images", d.name], { env, timeoutMs: 1_800_000 });
  }
  log(`frontend image ${FRONTEND_IMAGE} (test/e2e/build-frontend-image.sh)`);
  await run([BUILD_FRONTEND, FRONTEND_IMAGE], { env, timeoutMs: 600_000 });
  await docker(d, ["tag", FRONTEND_IMAGE, EXAMPLES_SYNTAX]);
}

export async function acquireDaemon(flavor: string, log: (l: string) => void): Promise<AcquiredDaemon> {
  const host = process.env["SPECK_E2E_DOCKER_HOST"];
  if (host !== undefined && host !== "") {
    const daemon = external(host);
    await prepare(daemon, log);
    return { daemon, release: async () => undefined };
  }
  const { daemon, started } = await testbedDaemon(flavor, log);
  const release = async (): Promise<void> => {
    if (!started) return;
    log(`stopping test-bed daemon ${flavor}`);
    await run([TESTBED, "stop", flavor], { timeoutMs: 120_000, check: false });
  };
  try {
    await prepare(daemon, log);
  } catch (e) {
    await release();
    throw e;
  }
  return { daemon, release };
}
