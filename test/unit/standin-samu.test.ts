// The Alpine stand-in's samu (test/e2e/alpine-standin/samu.sh): Debian's ninja
// behind samurai's tool list. Checked here against the host's ninja on a
// hand-written manifest, so CI sees the refusals without a daemon: each
// refusal is one samurai makes (tool.c: `tools[]`, `toolget`, `commands`,
// `compdb`), and the same request to ninja itself succeeds (the control that
// the refusal is the front's, not ninja's).

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const SAMU = resolve(import.meta.dirname, "../e2e/alpine-standin/samu.sh");
const hasNinja = spawnSync("ninja", ["--version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "speck-samu-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "build.ninja"), "rule cc\n  command = cc -c $in -o $out\nbuild a.o: cc a.c\n");
writeFileSync(join(dir, "a.c"), "int a(void) { return 1; }\n");
symlinkSync(SAMU, join(dir, "samu"));
symlinkSync(SAMU, join(dir, "ninja"));

/** Runs the front as `name` (samu or ninja) with the host's ninja behind it. */
const front = (name: string, ...args: string[]) =>
  spawnSync("sh", [join(dir, name), "-C", dir, ...args], { encoding: "utf8", env: { ...process.env, SAMU_NINJA: "ninja" } });
const ninja = (...args: string[]) => spawnSync("ninja", ["-C", dir, ...args], { encoding: "utf8" });

describe.skipIf(!hasNinja)("the stand-in's samu (host ninja behind it)", () => {
  it("refuses a tool samurai lacks, in both spellings and under both names, as samurai words it", () => {
    for (const name of ["samu", "ninja"]) {
      for (const args of [["-t", "deps"], ["-tdeps"], ["-t", "rules"], ["-t", "missingdeps"]]) {
        const r = front(name, ...args);
        expect(r.status).toBe(1);
        expect(r.stderr.trim()).toBe(`${name}: unknown tool '${args.length === 1 ? "deps" : args[1]}'`);
      }
    }
    expect(ninja("-t", "deps").status).toBe(0);
  });
  it("takes no options to -t commands (ninja's -s is a target to samurai)", () => {
    const r = front("samu", "-t", "commands", "-s", "a.o");
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("samu: unknown target '-s'");
    expect(ninja("-t", "commands", "-s", "a.o").status).toBe(0);
  });
  it("passes the tools both have through to ninja", () => {
    expect(front("samu", "-t", "commands", "a.o").stdout.trim()).toBe("cc -c a.c -o a.o");
    expect(front("samu", "-t", "targets", "all").stdout.trim()).toBe("a.o: cc");
    expect(JSON.parse(front("samu", "-t", "compdb", "cc").stdout)).toEqual([expect.objectContaining({ file: "a.c", output: "a.o" })]);
  });
  it("gives an empty compilation database without rule names, where ninja lists every edge", () => {
    expect(JSON.parse(front("samu", "-t", "compdb").stdout)).toEqual([]);
    expect(JSON.parse(ninja("-t", "compdb").stdout)).toHaveLength(1);
  });
  it("reports samurai's ninja version, 1.9.0, so CMake uses no tool of ninja 1.10+", () => {
    expect(front("samu", "--version").stdout).toBe("1.9.0\n");
    expect(ninja("--version").stdout).not.toBe("1.9.0\n");
  });
  it("builds with ninja", () => {
    const r = front("samu", "a.o");
    expect(r.status).toBe(0);
    expect(ninja("-n", "a.o").stdout).toMatch(/no work to do/);
  });
});
