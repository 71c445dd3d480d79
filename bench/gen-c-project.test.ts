// The CMake variant of the generated program (issue 21), proven with the host's
// own cmake + ninja + cc (a small one: the layout does not depend on the size): it configures, builds and runs; the library and the
// generated header are what the e2e test and the bench rely on; the
// CMakeLists.txt edit and -DGEN_TAG reach the output. (The stand-in's Alpine
// cmake/samurai are proven by the e2e tier.)

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CMAKE_DEFAULT_TAG, CMAKE_DEFAULT_VERSION, CMAKE_TARGET, genCProject, writeCMakeVersion } from "./gen-c-project.js";

const has = (tool: string): boolean => {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "speck-gen-cmake-"));
  dirs.push(d);
  return d;
};
const run = (cmd: string, args: readonly string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
/** Configures (Ninja) into root/b with the host's cc; extra -D arguments appended. */
const configure = (root: string, defs: readonly string[] = []): void => {
  run("cmake", ["-G", "Ninja", "-S", root, "-B", join(root, "b"), "-DCMAKE_BUILD_TYPE=Release", ...defs], root);
};
/** Builds the target; returns the lines ninja printed for what it ran (one per edge). */
const build = (root: string): string[] =>
  run("ninja", ["-C", join(root, "b"), CMAKE_TARGET], root)
    .split("\n")
    .filter((l) => /^\[\d+\/\d+\]/.test(l));
const runGen = (root: string): string => run(join(root, "b", CMAKE_TARGET), [], root).trim();

describe("genCProject, sources layout", () => {
  it("writes no CMake files and lists the sources in speck.yaml", () => {
    const root = tempDir();
    const p = genCProject(root, { work: 1 });
    expect(readFileSync(join(root, "speck.yaml"), "utf8")).toContain('sources: ["src/**/*.c"]');
    expect(() => readFileSync(join(root, "CMakeLists.txt"))).toThrow();
    expect(p.generatedReaders).toEqual([]);
    expect(p.units).toHaveLength(101);
  });
});

describe.skipIf(!has("cmake") || !has("ninja") || !has("cc"))("genCProject, cmake layout (host cmake + ninja + cc)", () => {
  it("configures and builds a static library and the program that links it; the generated header reaches the output", () => {
    const root = tempDir();
    const p = genCProject(root, { build: "cmake", work: 1, dirs: 2, perDir: 3, salt: "unit */ salt\nline" });
    expect(readFileSync(join(root, "speck.yaml"), "utf8")).toMatch(/^build: cmake$/m);
    expect(readFileSync(join(root, "speck.yaml"), "utf8")).toMatch(new RegExp(`^target: ${CMAKE_TARGET}$`, "m"));
    // The salt is a comment CMake accepts (a C comment would be a parse error).
    expect(readFileSync(join(root, "CMakeLists.txt"), "utf8").split("\n")[0]).toBe("# unit  salt line");
    configure(root);
    expect(readFileSync(join(root, "b/generated/gen_config.h"), "utf8")).toContain(`#define GEN_TAG "${CMAKE_DEFAULT_TAG}"`);
    // What the frontend reads back: one compile per unit, one archive, one link.
    const commands = run("ninja", ["-C", join(root, "b"), "-t", "commands", CMAKE_TARGET], root).trim().split("\n");
    expect(commands.filter((c) => / -c \S+\.c$/.test(c))).toHaveLength(p.units.length);
    expect(commands.filter((c) => /\bar\b.* libgenunits\.a /.test(c))).toHaveLength(1);
    expect(commands.at(-1)).toMatch(/ -o gen +libgenunits\.a/);
    expect(build(root)).toHaveLength(p.units.length + 2);
    expect(runGen(root)).toMatch(new RegExp(`^value=1 sum=\\d+ tag=${CMAKE_DEFAULT_TAG} version=${CMAKE_DEFAULT_VERSION.replace(/\./g, "\\.")}$`));
  });

  it("editing the project version reconfigures and recompiles main.c alone; -DGEN_TAG sets the tag", () => {
    const root = tempDir();
    genCProject(root, { build: "cmake", work: 1, dirs: 2, perDir: 3 });
    configure(root);
    build(root);
    const sum = /sum=(\d+)/.exec(runGen(root))?.[1];
    writeCMakeVersion(root, "4.5.6");
    const ran = build(root);
    // ninja reruns cmake itself (build.ninja depends on CMakeLists.txt), then main.c and the link.
    expect(ran.filter((l) => /\.c\.o$/.test(l))).toEqual([expect.stringMatching(/src\/main\.c\.o$/)]);
    expect(ran.some((l) => /Re-running CMake|Re-checking/.test(l))).toBe(true);
    expect(runGen(root)).toBe(`value=1 sum=${sum} tag=${CMAKE_DEFAULT_TAG} version=4.5.6`);
    configure(root, ["-DGEN_TAG=from-option"]);
    build(root);
    expect(runGen(root)).toBe(`value=1 sum=${sum} tag=from-option version=4.5.6`);
  });

  it("refuses a version CMake would not take", () => {
    const root = tempDir();
    genCProject(root, { build: "cmake", work: 1 });
    expect(() => writeCMakeVersion(root, "1.2 )")).toThrow(/dot-separated numbers/);
  });
});
