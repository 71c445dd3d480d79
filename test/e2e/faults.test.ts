// Issue 5, faults on the real daemons: a compile error shows the compiler's
// own diagnostics and exports nothing; an image or named context that cannot
// be resolved is reported with its reference; Ctrl-C on buildx ends the
// frontend and the compiler, leaving no process behind.

import { spawn } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { recordSummary } from "../summary.js";
import { buildxArgs, daemonEnv, describeDaemons, fixture, TOOLCHAIN_IMAGE } from "./helpers.js";
import { canSeeProcesses, daemonTree, frontendProcs, waitNoFrontend } from "./procs.js";
import { speckBuild, SYNTAX } from "./speck.js";

let faults = 0;
let unexpected = 0;
afterAll(() => recordSummary("e2e-faults", { faultsInjected: faults, unexpected }));
async function inject(f: () => Promise<void>): Promise<void> {
  faults++;
  try {
    await f();
  } catch (e) {
    unexpected++;
    throw e;
  }
}

const until = async (what: string, ms: number, ok: () => boolean): Promise<number> => {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return performance.now() - t0;
};

describeDaemons("faults", (daemon) => {
  it("a compile error shows the compiler's file:line diagnostics, fails the build and exports nothing", async () => {
    await inject(async () => {
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [broken.c]\n`,
        "broken.c": "#include <stdio.h>\nint main(void) {\n  return undefined_thing;\n}\n",
      });
      const out = await mkdtemp(join(tmpdir(), "speck-fault-out-"));
      const res = await speckBuild(daemon, { dir, outputs: [`type=local,dest=${out}`], check: false, timeoutMs: 300_000 });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toMatch(/broken\.c:3:\d+: error: use of undeclared identifier .undefined_thing./);
      // The failing step is named after the compile and pointed at the spec's `sources` line.
      expect(res.stderr).toMatch(/\[compile linux\/\w+\] clang /);
      expect(res.stderr).toMatch(/speck\.yaml:2\n[\s\S]*>>> sources: \[broken\.c\]/);
      expect(await readdir(out)).toEqual([]);
      await waitNoFrontend(daemon);
    });
  });

  it("a toolchain image that cannot be resolved: the reference and the `toolchain.image` line", async () => {
    await inject(async () => {
      // A registry on a closed loopback port: refused at once, no network needed.
      const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [m.c]\ntoolchain:\n  image: 127.0.0.1:9/nope/none:1\n`, "m.c": "int main(void){return 0;}\n" });
      const res = await speckBuild(daemon, { dir, withoutToolchain: true, check: false, timeoutMs: 120_000 });
      expect(res.timedOut).toBe(false);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("cannot resolve the toolchain image 127.0.0.1:9/nope/none:1 for linux/");
      expect(res.stderr).toContain("speck.yaml:4:10: cannot resolve");
      expect(res.stderr).toMatch(/>>>\s+image: 127\.0\.0\.1:9\/nope\/none:1/);
      await waitNoFrontend(daemon);
    });
  });

  it("a named context that points nowhere (--build-context toolchain=docker-image://nope/none:1)", async () => {
    await inject(async () => {
      const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [m.c]\n`, "m.c": "int main(void){return 0;}\n" });
      const res = await speckBuild(daemon, {
        dir,
        withoutToolchain: true,
        buildContexts: { toolchain: "docker-image://nope/none:1" },
        check: false,
        timeoutMs: 180_000,
      });
      expect(res.timedOut).toBe(false);
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("cannot resolve the toolchain image docker.io/nope/none:1 for linux/");
      expect(res.stderr).toContain("(from --build-context toolchain=docker-image://nope/none:1)");
      await waitNoFrontend(daemon);
    });
  });

  // Needs to see the daemon's processes: a test-bed daemon on this machine.
  it.skipIf(!canSeeProcesses(daemon))("Ctrl-C on buildx mid-build: buildx exits, the frontend and the compiler are gone within seconds", async () => {
    await inject(async () => {
      // A compile that keeps cc1plus busy for a while (constexpr evaluation), so the cancel lands mid-step.
      // gcc's limits are the ones this relies on, so the opt-in gcc compiler runs it.
      const dir = await fixture({
        "speck.yaml": `${SYNTAX}\nsources: [slow.cpp]\ntoolchain: {compiler: gcc}\ncflags: [-fconstexpr-loop-limit=2000000000, -fconstexpr-ops-limit=100000000000]\n`,
        "slow.cpp": [
          "constexpr unsigned long spin(unsigned long n) { unsigned long x = 0; for (unsigned long i = 0; i < n; i++) x = x * 31 + i; return x; }",
          `constexpr unsigned long v = spin(400000000UL);`,
          "int main() { return int(v & 1); }",
          "",
        ].join("\n"),
      });
      const args = buildxArgs({ context: dir, file: join(dir, "speck.yaml"), noCache: true, buildContexts: { toolchain: `docker-image://${TOOLCHAIN_IMAGE}` } });
      const child = spawn(`${daemon.binDir}/docker`, args, { env: daemonEnv(daemon), stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      const compiling = (): boolean => daemonTree(daemon).some((p) => p.comm === "cc1plus");
      try {
        await until("the compile step to start", 120_000, compiling);
        expect(frontendProcs(daemon).length).toBeGreaterThan(0);
        child.kill("SIGINT");
        const t0 = performance.now();
        const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 15_000))]);
        expect(code, stderr).not.toBe("hung");
        expect(code).not.toBe(0);
        const buildxMs = performance.now() - t0;
        const frontendMs = await waitNoFrontend(daemon, 5_000);
        const compilerMs = await until("the compiler to be killed", 15_000, () => !compiling());
        process.stderr.write(`cancel [${daemon.name}]: buildx exited ${buildxMs.toFixed(0)} ms after SIGINT; then the frontend was gone in ${frontendMs.toFixed(0)} ms, the compiler ${compilerMs.toFixed(0)} ms after that\n`);
      } finally {
        child.kill("SIGKILL");
      }
    });
  });
});
