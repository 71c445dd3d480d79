// A real frontend process (testing/child-entry.ts) with its stdin/stdout wired
// to the fake bridge, as buildkitd wires the frontend container's pipes.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { decodeMessage } from "../../proto/gateway.js";
import { SOURCE_DETAIL_TYPE_URL } from "./status.js";
import { startFakeBridge, type FakeBridge } from "./testing/fake-bridge.js";

const entry = fileURLToPath(new URL("./testing/child-entry.ts", import.meta.url));
const bridges: FakeBridge[] = [];
afterEach(async () => {
  for (const b of bridges.splice(0)) await b.close();
});

interface Outcome {
  code: number | null;
  stderr: string;
  ms: number;
}

async function runChild(env: Record<string, string>, fake: FakeBridge, onSpawn?: (kill: () => void) => void): Promise<Outcome> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const sock = fake.attach(child.stdout, child.stdin);
  onSpawn?.(() => {
    sock.unpipe(child.stdin);
    child.stdin.end();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stderr, ms: performance.now() - started };
}

describe("frontend process", () => {
  it("Returns exactly once and exits 0 right after; console.log does not touch stdout", async () => {
    const fake = await startFakeBridge();
    bridges.push(fake);
    const out = await runChild({ SPECK_TEST_MODE: "ok", BUILDKIT_FRONTEND_OPT_3: "target=t=1" }, fake);
    expect(out.code, out.stderr).toBe(0);
    expect(fake.returns).toHaveLength(1);
    const ret = decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array());
    expect(Buffer.from(ret.result?.metadata.target ?? []).toString()).toBe("t=1");
    expect(out.stderr).toContain("log line that must go to stderr");
  });

  it("returns a UserError as a status with a source detail, and still exits 0", async () => {
    const fake = await startFakeBridge();
    bridges.push(fake);
    const out = await runChild({ SPECK_TEST_MODE: "user-error" }, fake);
    expect(out.code, out.stderr).toBe(0);
    expect(fake.returns).toHaveLength(1);
    const status = decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array()).error;
    expect(status?.message).toBe("speck.yaml:2:1: unknown key `clfags` (did you mean `cflags`?)");
    expect(status?.details[0]?.type_url).toBe(SOURCE_DETAIL_TYPE_URL);
  });

  it("exits non-zero when the daemon side fails Return", async () => {
    const fake = await startFakeBridge({
      Return: () => {
        throw new Error("gateway result is already set");
      },
    });
    bridges.push(fake);
    const out = await runChild({ SPECK_TEST_MODE: "ok" }, fake);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("Return failed");
  });

  it("exits non-zero promptly when stdin reaches EOF mid-build", async () => {
    const fake = await startFakeBridge();
    bridges.push(fake);
    let closeAt = 0;
    const out = await runChild({ SPECK_TEST_MODE: "hang" }, fake, (closeStdin) => {
      // Close once the build function is running (Ping answered).
      const timer = setInterval(() => {
        if (fake.calls.some((c) => c.method === "Ping")) {
          clearInterval(timer);
          closeAt = performance.now();
          closeStdin();
        }
      }, 10);
    });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("closed before the build returned");
    expect(fake.returns).toHaveLength(0);
    expect(performance.now() - closeAt).toBeLessThan(2000);
  });
});
