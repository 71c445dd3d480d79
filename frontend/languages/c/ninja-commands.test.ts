import { describe, expect, it } from "vitest";
import { classify, executableTargets, parseCommandLine, splitShell } from "./ninja-commands.js";

// What CMake 3.25's Ninja generator wrote for a program linking a static library
// (`ninja -t commands hello` on the dev host, paths as speck's ops have them).
const CMAKE = `/usr/bin/clang --target=x86_64-alpine-linux-musl -Os -I/build -I/src/include  -MD -MT CMakeFiles/hello.dir/main.c.o -MF CMakeFiles/hello.dir/main.c.o.d -o CMakeFiles/hello.dir/main.c.o -c /src/main.c
/usr/bin/clang --target=x86_64-alpine-linux-musl -Os -I/build -I/src/include  -MD -MT CMakeFiles/core.dir/core.c.o -MF CMakeFiles/core.dir/core.c.o.d -o CMakeFiles/core.dir/core.c.o -c /src/core.c
/usr/bin/clang --target=x86_64-alpine-linux-musl -Os -I/build -I/src/include  -MD -MT CMakeFiles/core.dir/util.c.o -MF CMakeFiles/core.dir/util.c.o.d -o CMakeFiles/core.dir/util.c.o -c /src/util.c
: && /usr/bin/cmake -E rm -f libcore.a && /usr/bin/llvm-ar qc libcore.a  CMakeFiles/core.dir/core.c.o CMakeFiles/core.dir/util.c.o && /usr/bin/llvm-ranlib libcore.a && :
: && /usr/bin/clang --target=x86_64-alpine-linux-musl -Os   CMakeFiles/hello.dir/main.c.o -o hello  libcore.a && :
`;

describe("splitShell", () => {
  it("reads words, quotes, backslashes and &&", () => {
    expect(splitShell(`cc "-DX=\\"a b\\"" 'y z' a\\ b && : `)).toEqual([["cc", '-DX="a b"', "y z", "a b"], [":"]]);
  });
  it("refuses every other shell construct", () => {
    for (const s of ["a | b", "a; b", "a > f", "a $(b)", "a `b`", "a $X", 'a "$X"', "a *.c", "a & b", "(a)", "a || b", "&& a", "a &&", "'open"]) expect(splitShell(s), s).toBeUndefined();
  });
});

describe("parseCommandLine", () => {
  it("drops CMake's `: &&` wrapper and the remove before an archive", () => {
    const steps = parseCommandLine(CMAKE.split("\n")[3] ?? "");
    expect(steps?.map((s) => s.kind)).toEqual(["archive", "ranlib"]);
    expect(steps?.[0]).toMatchObject({ archive: "libcore.a", members: ["CMakeFiles/core.dir/core.c.o", "CMakeFiles/core.dir/util.c.o"] });
  });
  it("makes Meson's thin archive a regular one of the same members", () => {
    expect(parseCommandLine("rm -f libx.a && llvm-ar csrDT libx.a libx.a.p/a.c.o")).toEqual([{ kind: "archive", argv: ["llvm-ar", "csrD", "libx.a", "libx.a.p/a.c.o"], archive: "libx.a", members: ["libx.a.p/a.c.o"] }]);
    expect(parseCommandLine("llvm-ar qcP libx.a a.o")).toBeUndefined();
  });
  it("refuses a custom command, a remove of something else", () => {
    expect(parseCommandLine("cd /src && python3 gen.py > gen.c")).toBeUndefined();
    expect(parseCommandLine("/usr/bin/python3 /src/gen.py out.c")).toBeUndefined();
    expect(parseCommandLine("rm -f other.a && llvm-ar qc libx.a a.o")).toBeUndefined();
    expect(parseCommandLine("clang -c a.c b.c -o x.o")).toBeUndefined();
  });
  it("reads Meson's compile shape (relative source, -MQ)", () => {
    expect(parseCommandLine("clang -Ihello.p -I. -I../src -fdiagnostics-color=always -MD -MQ hello.p/main.c.o -MF hello.p/main.c.o.d -o hello.p/main.c.o -c ../src/main.c")).toEqual([
      expect.objectContaining({ kind: "compile", source: "../src/main.c", output: "hello.p/main.c.o" }),
    ]);
  });
});

describe("classify", () => {
  it("turns CMake's commands into compiles, an archive and the link", () => {
    const t = classify(CMAKE, "/build");
    if ("why" in t) throw new Error(t.why);
    expect(t.compiles.map((c) => c.source)).toEqual(["/src/main.c", "/src/core.c", "/src/util.c"]);
    expect(t.archives.map((a) => [a.archive.archive, a.ranlib?.archive])).toEqual([["libcore.a", "libcore.a"]]);
    expect(t.link).toMatchObject({ output: "hello", inputs: ["CMakeFiles/hello.dir/main.c.o", "libcore.a"] });
  });
  it("falls back, saying why, on a command it does not know", () => {
    expect(classify(`/usr/bin/python3 /src/gen.py gen.c\n${CMAKE}`, "/build")).toEqual({ why: expect.stringContaining("does not split into steps: `/usr/bin/python3 /src/gen.py gen.c`") });
    expect(classify(CMAKE.replace("-o hello  libcore.a", "-o hello  libother.a"), "/build")).toEqual({ why: "the link reads `libother.a`, which no step here makes" });
    expect(classify(CMAKE.split("\n").slice(0, 3).join("\n"), "/build")).toEqual({ why: "the target's commands have no link" });
  });
});

describe("executableTargets", () => {
  it("lists CMake's and Meson's executables, not libraries or objects", () => {
    const text = [
      "CMakeFiles/core.dir/core.c.o: C_COMPILER__core_",
      "libcore.a: C_STATIC_LIBRARY_LINKER__core_",
      "hello: C_EXECUTABLE_LINKER__hello_",
      "tools/my_tool: CXX_EXECUTABLE_LINKER__my_tool_Release",
      "src/prog: c_LINKER",
      "src/libz.so.1: c_LINKER",
      "all: phony",
    ].join("\n");
    expect(executableTargets(text)).toEqual([
      { target: "hello", output: "hello" },
      { target: "my_tool", output: "tools/my_tool" },
      { target: "src/prog", output: "src/prog" },
    ]);
  });
});
