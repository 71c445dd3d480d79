// The real frontend process (`speck frontend`, as the image runs it) wired to
// a fake daemon the way buildkitd wires the frontend container's pipes: a bad
// build file is Returned and the process exits 0; a connection dropped in the
// middle of the compile solve ends the process non-zero, promptly.

import { spawn } from "node:child_process";
import type { Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { decodeMessage } from "../../proto/gateway.js";
import { recordSummary } from "../../test/summary.js";
import { startFakeBridge, type FakeBridge } from "../gateway/testing/fake-bridge.js";
import { fakeDaemonHandlers, frontendEnv, type FakeBuildOptions } from "./testing/fake-daemon.js";

const main = fileURLToPath(new URL("../main.ts", import.meta.url));
const OPTS = ["filename=speck.yaml", "context:toolchain=docker-image://local/speck-toolchain:c", "platform=linux/amd64"];
const MAIN_C = { data: "int main(void){return 0;}\n" };

const bridges: FakeBridge[] = [];
afterEach(async () => {
  for (const b of bridges.splice(0)) await b.close();
});
let faults = 0;
afterAll(() => recordSummary("unit-faults", { faultsInjected: faults }));

interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly fake: FakeBridge;
  readonly exitedAt: number;
}

async function runFrontend(o: FakeBuildOptions): Promise<Outcome> {
  const child = spawn(process.execPath, ["--import", "tsx", main, "frontend"], {
    env: { ...process.env, ...frontendEnv(o.opts) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let socket: Socket | undefined;
  const fake = await startFakeBridge(fakeDaemonHandlers(o, [], { socket: () => socket, stdin: child.stdin }));
  bridges.push(fake);
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin.on("error", () => {}); // EPIPE after a deliberate drop
  socket = fake.attach(child.stdout, child.stdin);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("exit", (c, s) => resolve([c, s])));
  return { code, signal, stderr, fake, exitedAt: performance.now() };
}

describe("speck frontend, as a process", () => {
  it("Returns a bad build file's located message and exits 0", async () => {
    faults++;
    const out = await runFrontend({ files: { "speck.yaml": { data: "sources: [main.c]\nprofil: tiny\n" }, "main.c": MAIN_C }, opts: OPTS });
    expect(out.code, out.stderr).toBe(0);
    expect(out.fake.returns).toHaveLength(1);
    const status = decodeMessage("ReturnRequest", out.fake.returns[0] ?? new Uint8Array()).error;
    expect(status?.message).toBe("speck.yaml:2:1: unknown key `profil` (did you mean `profile`?)");
  });

  it("exits 1 within 2 s when the connection drops during the compile solve, without Returning", async () => {
    faults++;
    let droppedAt = 0;
    let n = 0;
    const out = await runFrontend({
      files: { "speck.yaml": { data: "sources: [main.c]\n" }, "main.c": MAIN_C },
      opts: OPTS,
      handlers: ({ socket, stdin }) => ({
        Solve: (r) => {
          if (++n < 3) return { result: { ref: { id: `r${n}`, def: r.Definition }, metadata: {} } };
          droppedAt = performance.now();
          const s = socket();
          s?.unpipe();
          s?.destroy();
          stdin.end();
          return new Promise(() => {});
        },
      }),
    });
    expect(n).toBe(3);
    expect(out.code, out.stderr).toBe(1);
    expect(out.stderr).toContain("the connection to BuildKit closed before the build returned");
    expect(out.fake.returns).toHaveLength(0);
    expect(out.exitedAt - droppedAt).toBeLessThan(2_000);
  });
});
