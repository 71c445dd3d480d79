// Transport faults, injected one at a time between a fake LLBBridge and the
// frontend's stdio relay: every one must end in a clear error or a prompt
// non-zero exit, never a hang (issue 5).

import { PassThrough } from "node:stream";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { recordSummary } from "../../test/summary.js";
import { Bridge } from "./bridge.js";
import { CapabilityError } from "./caps.js";
import { GatewayClient } from "./client.js";
import { ResultBuilder } from "./result.js";
import type { BuildFunction } from "./run.js";
import { connectedClient } from "./testing/connected-client.js";
import { runToExit } from "./testing/run-to-exit.js";
import { GatewayError } from "./status.js";
import { FakeStatus, MODERN_GATEWAY_CAPS, startFakeBridge, type FakeHandlers } from "./testing/fake-bridge.js";
import { jsonCodec } from "./testing/json-codec.js";
import { connectStdio } from "./transport.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});
let faults = 0;
afterAll(() => recordSummary("unit-faults", { faultsInjected: faults }));

const ref = { id: "r1", def: new Uint8Array() };

/** The frontend's side of the pipes in the current runWith (a test breaks them to inject a fault). */
let pipes: { readonly stdin: PassThrough; readonly stdout: PassThrough } | undefined;

/** run() with `build` against a fake bridge; resolves with the exit code run() asked for. */
async function runWith(handlers: FakeHandlers, build: BuildFunction) {
  const fake = await startFakeBridge(handlers);
  cleanups.push(() => fake.close());
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  pipes = { stdin, stdout };
  cleanups.push(() => {
    stdin.destroy();
    stdout.destroy();
  });
  const stderr: string[] = [];
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
  const t0 = performance.now();
  const code = await runToExit(build, { codec: jsonCodec, env: {}, stdin, stdout, pingTimeoutMs: 1_000 }, () => fake.attach(stdout, stdin));
  return { code, ms: performance.now() - t0, fake, stderr: stderr.join("") };
}

describe("transport faults under run()", () => {
  it("a daemon that refuses Ping: exit 1 with the reason, no Return", async () => {
    faults++;
    const out = await runWith(
      {
        Ping: () => {
          throw new FakeStatus({ code: 12, message: "unknown service moby.buildkit.v1.frontend.LLBBridge", details: [] });
        },
      },
      async () => new ResultBuilder(false).finalize(),
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("cannot reach BuildKit's gateway");
    expect(out.stderr).toContain("unknown service");
    expect(out.fake.returns).toHaveLength(0);
  });

  it("stdout fails (EPIPE) while a call is pending: exit 1 within 2 s", async () => {
    faults++;
    let t = 0;
    const out = await runWith({ Solve: () => new Promise(() => {}) }, async (client) => {
      const pending = client.solve({ definition: new Uint8Array([1]) });
      // The daemon closed the read end of our stdout.
      setTimeout(() => {
        t = performance.now();
        pipes?.stdout.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
      }, 50);
      await pending;
      return new ResultBuilder(false).finalize();
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("closed before the build returned");
    expect(performance.now() - t).toBeLessThan(2_000);
  });

  it("a daemon error in the middle of a build is Returned, and the process exits 0 (the build failed, the frontend did not)", async () => {
    faults++;
    const out = await runWith(
      {
        ReadFile: () => {
          throw new FakeStatus({ code: 14, message: "connection reset by peer", details: [] });
        },
      },
      async (client) => {
        await client.readFile(ref, "speck.yaml");
        return new ResultBuilder(false).finalize();
      },
    );
    expect(out.code).toBe(0);
    expect(out.fake.returns).toHaveLength(1);
    expect(out.stderr).toContain("connection reset by peer");
  });
});

describe("pending calls when the pipes close", () => {
  it("a call in flight fails with UNAVAILABLE once the daemon's side ends, instead of waiting forever", async () => {
    faults++;
    const fake = await startFakeBridge({ Solve: () => new Promise(() => {}) });
    cleanups.push(() => fake.close());
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const conn = await connectStdio(stdin, stdout);
    cleanups.push(() => conn.close());
    const sock = fake.attach(stdout, stdin);
    const bridge = new Bridge(conn.client);
    const pending = bridge.call("Solve", { Definition: new Uint8Array([1]) }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    sock.unpipe(stdin);
    sock.destroy();
    stdin.end();
    const err = await pending;
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe(14);
    await conn.disconnected;
  });
});

describe("caps the daemon lacks", () => {
  const defer = (close: () => unknown) => cleanups.push(close);
  const clientWith = (gatewayCaps: typeof MODERN_GATEWAY_CAPS) =>
    connectedClient({ ReadDir: () => ({ entries: [] }), StatFile: () => ({ stat: { path: "." } }) }, { gatewayCaps }, defer);

  for (const [cap, call] of [
    ["readdir", (c: GatewayClient) => c.readDir(ref, ".")],
    ["statfile", (c: GatewayClient) => c.statFile(ref, ".")],
    ["gateway.evaluate", (c: GatewayClient) => c.evaluate(ref)],
  ] as const) {
    it(`without "${cap}": a CapabilityError naming it and the minimum version, and nothing is sent`, async () => {
      faults++;
      const { client, fake } = await clientWith(MODERN_GATEWAY_CAPS.filter((c) => c.ID !== cap));
      const err = await call(client).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CapabilityError);
      expect((err as CapabilityError).capId).toBe(cap);
      expect((err as Error).message).toMatch(new RegExp(`needs the gateway API capability "${cap.replace(".", "\\.")}", which this daemon does not have: speck needs BuildKit v0\\.13 or later \\(Docker Engine 26\\.0 or later\\)$`));
      expect(fake.calls.map((c) => c.method)).toEqual([]);
    });
  }

  it("an LLB cap newer than the daemon names the BuildKit release that added it", async () => {
    faults++;
    const codec = { ...jsonCodec, definitionCaps: () => new Set(["file.base", "file.symlink.create"]) };
    const llbCaps = [{ ID: "file.base", Enabled: true, Deprecated: false, DisabledReason: "", DisabledReasonMsg: "", DisabledAlternative: "" }];
    const { client, fake } = await connectedClient({ Solve: () => ({}) }, { codec, llbCaps }, defer);
    await expect(client.solve({ definition: new Uint8Array([1]) })).rejects.toThrow(
      'this build needs the LLB capability "file.symlink.create", which this daemon does not have: it needs BuildKit v0.19 or later (Docker Engine 28.0 or later)',
    );
    expect(fake.calls).toEqual([]);
  });
});
