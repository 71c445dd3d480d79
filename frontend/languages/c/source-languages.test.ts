// Each source compiled as its own language. The host half builds
// examples/mixed with the plan's real argv and the host's g++ (the test
// toolchain's `c++` is Debian's g++ too; the unit tier's set-up installs it)
// and runs it: the exception thrown in C++ must be caught after unwinding
// through the C file's frame, under `size` and `tiny`.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseBuildFile } from "../registry.js";
import { languageSwitch, sourceInputs, sourceLanguage } from "./source-languages.js";
import { planC as plan } from "./plan.js";

const amd64 = { os: "linux", architecture: "amd64" } as const;
const MIXED = resolve(import.meta.dirname, "../../../examples/mixed");

describe("sourceLanguage and sourceInputs", () => {
  it("reads the language from the extension, whatever the program's language", () => {
    expect(["a.c", "b.cpp", "c.cc", "d.C", "e.S", "f.s"].map(sourceLanguage)).toEqual(["c", "c++", "c++", "c++", "assembler", "assembler"]);
    expect(languageSwitch("a.c", "c++")).toBe("c");
    expect(languageSwitch("a.c", "c")).toBeUndefined();
    expect(languageSwitch("a.cpp", "c++")).toBeUndefined();
    expect(languageSwitch("a.S", "c++")).toBeUndefined();
  });

  it("leaves a C program's sources as they are", () => {
    expect(sourceInputs(["a.c", "src/b.c", "start.S"], "c")).toEqual(["a.c", "src/b.c", "start.S"]);
  });

  it("fences each run of C sources of a C++ program with -x c ... -x none", () => {
    expect(sourceInputs(["a.c", "b.c", "main.cpp", "c.c", "start.S", "d.cc"], "c++")).toEqual(
      ["-x", "c", "a.c", "b.c", "-x", "none", "main.cpp", "-x", "c", "c.c", "-x", "none", "start.S", "d.cc"],
    );
    expect(sourceInputs(["main.cpp", "walk.c"], "c++")).toEqual(["main.cpp", "-x", "c", "walk.c"]);
    expect(sourceInputs(["main.cpp", "walk.c"], "c++", true)).toEqual(["main.cpp", "-x", "c", "walk.c", "-x", "none"]);
  });
});

const hasGxx = spawnSync("g++", ["--version"], { stdio: "ignore" }).status === 0;
const dir = mkdtempSync(join(tmpdir(), "speck-mixed-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles examples/mixed with the plan's argv (the host's g++ as `c++`); returns the compiler's exit status and stderr. */
function compile(yaml: string, out: string, edit: (argv: string[]) => string[] = (a) => a): { status: number | null; stderr: string } {
  // toolchain.compiler gcc: its `c++` is what the host's g++ stands in for (clang's argv needs a target root).
  const p = plan(parseBuildFile("speck.yaml", new TextEncoder().encode(`${yaml}toolchain: {compiler: gcc}\n`)), { platform: amd64 });
  expect(p.compile.argv[0]).toBe("c++");
  const argv = edit(p.compile.argv.slice(1).map((a) => (a === p.compile.output ? out : a)));
  const r = spawnSync("g++", argv, { cwd: MIXED, env: { ...process.env, SOURCE_DATE_EPOCH: "0", LC_ALL: "C" }, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

function runs(path: string): { status: number | null; signal: string | null; stdout: string } {
  const r = spawnSync(path, [], { encoding: "utf8", timeout: 10_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout };
}

describe.skipIf(!hasGxx || process.arch !== "x64")("examples/mixed on the host's g++", () => {
  for (const profile of ["size", "tiny"]) {
    it(`${profile}: walk.c is compiled as C and the exception crosses its frame`, () => {
      const out = join(dir, `mixed-${profile}`);
      const c = compile(`sources: [main.cpp, walk.c]\nprofile: ${profile}\n`, out);
      expect(c.stderr).toBe("");
      expect(c.status).toBe(0);
      expect(execFileSync("file", ["-b", out]).toString()).toMatch(/statically linked/);
      expect(runs(out)).toEqual({ status: 0, signal: null, stdout: "walked: 3\ncaught: item 3 refused\n" });
    });
  }

  it("fails without the switch: g++ reads walk.c as C++", () => {
    const c = compile("sources: [main.cpp, walk.c]\n", join(dir, "as-cxx"), (argv) => argv.filter((a, i) => a !== "-x" && argv[i - 1] !== "-x"));
    expect(c.status).not.toBe(0);
    expect(c.stderr).toMatch(/walk\.c:.*error/);
  });

  it("aborts when the C frame has no unwind tables, as tiny would make it for a C program", () => {
    const out = join(dir, "no-tables");
    const c = compile("sources: [main.cpp, walk.c]\nprofile: tiny\ncflags: [-fno-asynchronous-unwind-tables, -fno-unwind-tables]\n", out);
    expect(c.status).toBe(0);
    const r = runs(out);
    // terminate(): the unwinder found no frame description for walk() (and stdout's buffer is lost).
    expect(r.signal).toBe("SIGABRT");
    expect(r.stdout).not.toContain("caught");
  });
});
