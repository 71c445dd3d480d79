// e2e global setup: make real daemons available to the tests, with the offline base images and
// the frontend image (speck:e2e) built from the project's Dockerfile on each of them.
//
// - SPECK_E2E_DOCKER_HOST set: use only that daemon (with the docker CLI on PATH).
// - Otherwise the test bed provisions its own daemons (SPECK_E2E_FLAVORS, default "d26 d28").
//   Daemons this setup started are stopped at teardown; daemons it found running are left alone.
// - When there is no daemon and no way to provision one (not root, not Debian): with CI set the
//   run fails; otherwise the e2e tests are reported as skipped.
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { cannotProvision, onPath } from "../host.js";
import { EXAMPLES_SYNTAX, FRONTEND_IMAGE, NODE_IMAGE, TOOLCHAIN_IMAGE, type Daemon } from "./daemon.js";
import { daemonEnv, docker } from "./docker.js";
import { run } from "./run.js";
import { REAL_ALPINE } from "./alpine.js";

const here = dirname(fileURLToPath(import.meta.url));
const testbed = join(here, "testbed.sh");
const buildFrontend = join(here, "build-frontend-image.sh");

function note(message: string): void {
  process.stderr.write(`e2e setup: ${message}\n`);
}

async function timed<T>(what: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await f();
  note(`${what} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return value;
}

/** Parses the `export K=V` lines printed by `testbed.sh env|start`. */
function parseEnv(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const m of text.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) vars.set(m[1] ?? "", m[2] ?? "");
  return vars;
}

async function startFlavor(flavor: string, started: string[]): Promise<Daemon> {
  const status = await run([testbed, "status", flavor], { check: false });
  if (status.code !== 0) {
    await timed(`${flavor}: start (fetch if needed)`, () => run([testbed, "start", flavor], { timeoutMs: 900_000 }));
    started.push(flavor);
  } else {
    note(`${flavor}: already running, reusing it (teardown leaves it running)`);
  }
  const vars = parseEnv((await run([testbed, "env", flavor])).stdout);
  const need = (k: string): string => {
    const v = vars.get(k);
    if (v === undefined) throw new Error(`testbed.sh env ${flavor} printed no ${k}`);
    return v;
  };
  return {
    name: flavor,
    dockerHost: need("DOCKER_HOST"),
    dockerConfig: need("DOCKER_CONFIG"),
    binDir: need("SPECK_TESTBED_BIN"),
    logFile: need("SPECK_TESTBED_LOG"),
  };
}

function externalDaemon(dockerHost: string): Daemon {
  const dockerOnPath = onPath("docker");
  if (dockerOnPath === undefined) throw new Error("SPECK_E2E_DOCKER_HOST is set but no docker CLI is on PATH");
  return {
    name: "external",
    dockerHost,
    dockerConfig: process.env["DOCKER_CONFIG"] ?? join(homedir(), ".docker"),
    binDir: resolve(dockerOnPath),
    logFile: null,
  };
}

async function hasImages(d: Daemon, refs: readonly string[]): Promise<boolean> {
  const r = await docker(d, ["image", "inspect", ...refs], { check: false });
  return r.code === 0;
}

async function prepare(d: Daemon): Promise<void> {
  const env = daemonEnv(d);
  await docker(d, ["version"], { timeoutMs: 30_000 });
  if (d.name === "external") {
    // Someone else's daemon: build the base images only if it lacks them. The real-Alpine mode needs
    // none (its builds pull alpine:3.22, and SPECK_RUNTIME_BASE names a public Node image).
    if (!REAL_ALPINE && !(await hasImages(d, [TOOLCHAIN_IMAGE, NODE_IMAGE]))) {
      await timed(`${d.name}: base images`, () => run([testbed, "images"], { env, timeoutMs: 1_200_000 }));
    }
  } else {
    await timed(`${d.name}: base images`, () => run([testbed, "images", d.name], { timeoutMs: 1_200_000 }));
  }
  await timed(`${d.name}: frontend image ${FRONTEND_IMAGE}`, () =>
    run([buildFrontend, FRONTEND_IMAGE], { env, timeoutMs: 600_000 }),
  );
  // The examples name the frontend as users do (`# syntax=local/speck`): the same image.
  await docker(d, ["tag", FRONTEND_IMAGE, EXAMPLES_SYNTAX]);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: string[] = [];
  const teardown = async (): Promise<void> => {
    for (const flavor of started) {
      await timed(`${flavor}: stop`, () => run([testbed, "stop", flavor], { timeoutMs: 120_000 }));
    }
  };

  const external = process.env["SPECK_E2E_DOCKER_HOST"];
  let daemons: Daemon[];
  if (external !== undefined && external !== "") {
    daemons = [externalDaemon(external)];
  } else {
    const why = cannotProvision();
    if (why !== null) {
      if (process.env["CI"]) {
        throw new Error(`e2e: no daemon to test against: ${why}; set SPECK_E2E_DOCKER_HOST or run as root on Debian`);
      }
      note(`skipping the e2e tier: ${why} (set SPECK_E2E_DOCKER_HOST to use a daemon)`);
      project.provide("daemons", []);
      project.provide("e2eSkipReason", why);
      return teardown;
    }
    const flavors = (process.env["SPECK_E2E_FLAVORS"] ?? "d26 d28").split(/\s+/).filter((f) => f !== "");
    try {
      // In parallel: the downloads and daemon start-ups overlap; testbed.sh serialises what it must.
      daemons = await Promise.all(flavors.map((f) => startFlavor(f, started)));
    } catch (e) {
      await teardown();
      throw e;
    }
  }
  try {
    // One after the other: the first builds the image tarballs, the others only import them.
    for (const d of daemons) await prepare(d);
  } catch (e) {
    await teardown();
    throw e;
  }
  project.provide("daemons", daemons);
  project.provide("e2eSkipReason", "");
  return teardown;
}

