import { describe, expect, it } from "vitest";
import { UserError } from "../../errors.js";
import { parseBuildFile } from "../registry.js";
import { cKeysOf } from "./spec-part.js";
import { resolveProject } from "./project.js";

const parse = (s: string) => parseBuildFile("speck.yaml", new TextEncoder().encode(s));
const problems = (s: string): string[] => {
  try {
    parse(s);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).problems.map((p) => `${p.span?.start.line}:${p.span?.start.column}: ${p.message}`);
  }
  throw new Error("expected a UserError");
};

describe("build: cmake|meson", () => {
  it("needs no sources, names the binary after the target, keeps options in order", () => {
    const s = parse("build: cmake\ntarget: hello\noptions:\n  WITH_X: ON\n  GREETING: hi\n");
    expect(s.name).toBe("hello");
    expect(s.sources).toEqual([]);
    expect(cKeysOf(s).project).toEqual({ system: "cmake", target: "hello", options: [["WITH_X", "ON"], ["GREETING", "hi"]] });
  });

  it("names the binary after the last part of a Meson target path", () => {
    expect(parse("build: meson\ntarget: src/tool\n").name).toBe("tool");
    expect(parse("build: meson\ntarget: src/tool\nname: t2\n").name).toBe("t2");
  });

  it("a build from sources has no C keys", () => {
    expect(parse("sources: [a.c]\n").languageKeys).toBeUndefined();
  });

  it("refuses keys that cannot apply, each where it is written", () => {
    expect(problems("build: cmake\ntarget: hello\nsources: [a.c]\n")).toEqual(["3:10: a CMake build compiles what its CMakeLists.txt lists, so `sources` cannot apply"]);
    expect(problems("build: meson\ntarget: hello\ntoolchain:\n  compiler: gcc\n")[0]).toMatch(/^4:13: a Meson build is configured for clang/);
    expect(problems("build: cmake\ntarget: hello\ncflags: [\"-DX=a b\"]\n")[0]).toMatch(/^3:10: .*would pass to a shell/);
    expect(problems("build: cmake\n")).toEqual(["1:8: a CMake build needs `target`: the executable to build"]);
    expect(problems("sources: [a.c]\ntarget: hello\n")).toEqual(["2:9: `target` is for a project built by CMake or Meson"]);
    expect(problems("build: make\ntarget: x\n")[0]).toMatch(/^1:8: .*build system/);
    expect(problems("build: cmake\ntarget: ../x\n")[0]).toMatch(/^2:9: `\.\.\/x` is not a target name/);
    expect(problems("build: cmake\ntarget: x\noptions:\n  1X: on\n")[0]).toMatch(/^4:7: `1X` is not an option name/);
  });

  it("with no `build` and no `sources`, the context's top file chooses the build system", () => {
    const s = parse("target: hello\n");
    expect(cKeysOf(s).project).toEqual({ system: "cmake", target: "hello", options: [], fromContext: true });
    expect(cKeysOf(resolveProject(s, ["meson.build", "main.c"])).project?.system).toBe("meson");
    expect(cKeysOf(resolveProject(s, ["CMakeLists.txt", "meson.build"])).project?.system).toBe("cmake");
    let err: unknown;
    try {
      resolveProject(s, ["main.c"]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).problems[0]).toMatchObject({ span: { start: { line: 1, column: 9 } }, message: expect.stringContaining("no CMakeLists.txt or meson.build") });
    // `build` written: the context does not choose.
    expect(resolveProject(parse("build: meson\ntarget: hello\n"), ["CMakeLists.txt"]).languageKeys).toMatchObject({ project: { system: "meson" } });
  });

  it("a Go build reports them as another language's keys", () => {
    expect(problems("sources: [.]\nbuild: cmake\n")[0]).toMatch(/`build` is for C\/C\+\+ projects built by CMake or Meson, but this is a Go build/);
  });
});
