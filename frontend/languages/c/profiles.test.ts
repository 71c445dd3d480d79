// Builds pausle with each profile's real argv for `toolchain.compiler: gcc` on
// the host (musl-gcc stands in for Alpine's cc; the unit tier's set-up
// installs musl-tools) and runs it: the flags must work for gcc too, the
// binary must run, and size/tiny must meet the issue's targets. The default
// clang path needs a target root; it is proven end to end
// (test/e2e/multiplatform.test.ts) and measured by `npm run bench`.

import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseBuildFile } from "../registry.js";
import { planC as plan } from "./plan.js";
import { C_PROFILES as PROFILES } from "./profiles.js";

const hasMusl = (() => {
  try {
    execFileSync("musl-gcc", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const TARGET: Partial<Record<string, number>> = { size: 13_400, tiny: 3_600 };
const dir = mkdtempSync(join(tmpdir(), "speck-profiles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the binary for a moment: pausle must still be blocked in pause(), not crashed. */
function staysUp(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(path, [], { stdio: "ignore" });
    let exited = false;
    child.on("exit", () => (exited = true));
    setTimeout(() => {
      const up = !exited;
      child.kill("SIGKILL");
      resolve(up);
    }, 300);
  });
}

describe.skipIf(!hasMusl)("profiles on the host's musl-gcc", () => {
  writeFileSync(join(dir, "pausle.c"), "#include <unistd.h>\nint main(void){return pause();}\n");
  for (const name of Object.keys(PROFILES)) {
    it(`${name}: builds a static pausle that runs${TARGET[name] ? ` and is at most ${TARGET[name]} B` : ""}`, async () => {
      const p = plan(parseBuildFile("s", new TextEncoder().encode(`sources: [pausle.c]\nprofile: ${name}\ntoolchain: {compiler: gcc}\n`)), { platform: { os: "linux", architecture: "amd64" } });
      const out = join(dir, `pausle-${name}`);
      const argv = p.compile.argv.slice(1).map((a) => (a === p.compile.output ? out : a));
      execFileSync("musl-gcc", argv, { cwd: dir, env: { ...process.env, SOURCE_DATE_EPOCH: "0", LC_ALL: "C" } });
      const size = statSync(out).size;
      process.stderr.write(`profile ${name}: pausle ${size.toLocaleString("en-US")} B\n`);
      expect(execFileSync("file", ["-b", out]).toString()).toMatch(/statically linked/);
      expect(await staysUp(out)).toBe(true);
      const target = TARGET[name];
      if (target !== undefined) expect(size).toBeLessThanOrEqual(target);
    });
  }
});
