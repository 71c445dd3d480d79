// A plain-HTTP OCI registry on the loopback address for cache export and
// import tests: Debian's docker-registry (distribution 2.8), installed with
// apt-get on first use as testbed.sh installs its host tools. dockerd and its
// BuildKit treat 127.0.0.0/8 as insecure, so no daemon flag is needed.

import { spawn } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { run } from "./run.js";

export interface Registry {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  stop(): Promise<void>;
}

const BINARY = "/usr/bin/docker-registry";

async function ensureInstalled(): Promise<void> {
  const found = await run(["sh", "-c", `command -v ${BINARY}`], { check: false });
  if (found.code === 0) return;
  await run(["apt-get", "install", "-y", "-qq", "docker-registry"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" }, timeoutMs: 300_000 });
}

/** A port nothing listens on now, asked of the kernel on the loopback address. */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once("error", rej);
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      server.close(() => res(port));
    });
  });
}

/** Starts a registry storing under `dir`, bound to 127.0.0.1 only; resolves once /v2/ answers. */
export async function startRegistry(dir: string): Promise<Registry> {
  await ensureInstalled();
  const root = resolve(dir);
  mkdirSync(join(root, "data"), { recursive: true });
  const address = `127.0.0.1:${await freePort()}`;
  const config = join(root, "config.yml");
  writeFileSync(
    config,
    ["version: 0.1", "log:", "  level: warn", "storage:", "  filesystem:", `    rootdirectory: ${join(root, "data")}`, "  delete:", "    enabled: true", "http:", `  addr: ${address}`, ""].join("\n"),
  );
  const log = openSync(join(root, "registry.log"), "a");
  const child = spawn(BINARY, ["serve", config], { stdio: ["ignore", log, log], detached: false });
  const exited = new Promise<void>((res) => child.once("exit", () => res()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    try {
      const r = await fetch(`http://${address}/v2/`);
      if (r.ok) return { address, stop };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`the registry did not answer on ${address}; see ${join(root, "registry.log")}`);
}
