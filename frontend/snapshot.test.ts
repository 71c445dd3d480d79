// The frontend image starts speck from a V8 startup snapshot (Dockerfile). This
// builds one the same way with the node running the tests (the image's node is
// 22; `--build-snapshot` exists since 18.20 and 20) and checks it is used: the
// startup report is written only by the function the snapshot registered for
// deserialisation, and the transport (left out of the snapshot, since node:http2
// cannot be in one) still loads and starts after it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFrontend, startupReport, STARTUP_REPORT_ENV, type StartedFrom } from "./startup.js";

const ROOT = resolve(import.meta.dirname, "..");
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "speck-snapshot-"));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[], env: Record<string, string> = {}) {
  // stdin closed at once: there is no BuildKit on the other end.
  return spawnSync(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, input: "", encoding: "utf8", timeout: 60_000 });
}

describe("startup snapshot", () => {
  it("is built from the bundle, and the frontend starts from it", () => {
    const bundled = node([join(ROOT, "scripts/bundle.mjs"), "--snapshot", "--outfile", join(dir, "snapshot.cjs")]);
    expect(bundled.status, bundled.stderr).toBe(0);
    const blob = join(dir, "speck.blob");
    const built = node(["--snapshot-blob", blob, "--build-snapshot", "snapshot.cjs"]);
    expect(built.status, built.stderr).toBe(0);
    expect(statSync(blob).size).toBeGreaterThan(0);

    const started = node(["--snapshot-blob", blob], { [STARTUP_REPORT_ENV]: "1" });
    const lines = started.stderr.split("\n");
    expect(lines[0]).toBe(startupReport("snapshot"));
    // After deserialising, the gateway runtime loaded grpc-js, made its relay and found stdin closed.
    expect(lines).toContain("speck: the connection to BuildKit closed before the build returned");
    expect(started.status).toBe(1);
  }, 120_000);

  it("reports nothing unless asked", () => {
    const started = node(["--snapshot-blob", join(dir, "speck.blob")]);
    expect(started.stderr).not.toContain("started from");
    expect(started.stderr).toContain("the connection to BuildKit closed");
  }, 60_000);

  it("runs the main function at once when not building a snapshot", () => {
    const seen: StartedFrom[] = [];
    startFrontend((from) => seen.push(from));
    expect(seen).toEqual(["script"]);
  });
});
