// Runs an HTTP example image on the host's network and checks that it answers
// on loopback and stops within a second of `docker stop`.

import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { docker, type Daemon } from "./helpers.js";

/** Starts `tag` with PORT=`port` on the host network, expects `body` from GET /, then a prompt stop. */
export async function expectAnswersThenStops(daemon: Daemon, tag: string, port: string, body: string): Promise<void> {
  // Host network: the server listens on this machine's loopback only through PORT.
  const { stdout } = await docker(daemon, ["run", "-d", "--network=host", "-e", `PORT=${port}`, tag]);
  const id = stdout.trim();
  try {
    let got = "";
    for (let i = 0; i < 50 && got === ""; i++) {
      got = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text(), () => "");
      if (got === "") await sleep(100);
    }
    expect(got).toBe(body);
    const t0 = performance.now();
    // -t 5: if SIGTERM were ignored, docker would wait 5 s and then SIGKILL.
    await docker(daemon, ["stop", "-t", "5", id]);
    expect(performance.now() - t0).toBeLessThan(1000);
  } finally {
    await docker(daemon, ["rm", "-f", id], { check: false });
  }
}
