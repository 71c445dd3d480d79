import { describe, expect, it } from "vitest";
import { classify } from "./ninja-commands.js";
import { contextSource, linkArgv, projectReads, projectScans, unitArgv } from "./project-plan.js";

const COMMANDS = `/usr/bin/clang --target=x86_64-alpine-linux-musl -Os -I/src/include -I/build/generated -MD -MT CMakeFiles/greet.dir/src/main.c.o -MF CMakeFiles/greet.dir/src/main.c.o.d -o CMakeFiles/greet.dir/src/main.c.o -c /src/src/main.c
/usr/bin/clang --target=x86_64-alpine-linux-musl -Os -I/src/include -MD -MT CMakeFiles/words.dir/src/words.c.o -MF CMakeFiles/words.dir/src/words.c.o.d -o CMakeFiles/words.dir/src/words.c.o -c /src/src/words.c
: && /usr/bin/cmake -E rm -f libwords.a && llvm-ar qc libwords.a  CMakeFiles/words.dir/src/words.c.o && llvm-ranlib libwords.a && :
: && /usr/bin/clang --target=x86_64-alpine-linux-musl -Os CMakeFiles/greet.dir/src/main.c.o -o greet  libwords.a && :
`;
const t = classify(COMMANDS, "/build");
if ("why" in t) throw new Error(t.why);

describe("the project's unit graph", () => {
  it("a unit writes its object to its own mount and no depfile", () => {
    expect(unitArgv(t.compiles[0]!)).toEqual({
      argv: ["/usr/bin/clang", "--target=x86_64-alpine-linux-musl", "-Os", "-I/src/include", "-I/build/generated", "-o", "/obj/main.c.o", "-c", "/src/src/main.c"],
      object: "/obj/main.c.o",
    });
  });

  it("scans units with the same flags together, with -M and no -c or -o", () => {
    const scans = projectScans(t.compiles);
    expect(scans.map((s) => s.units)).toEqual([[0], [1]]);
    expect(scans[1]?.argv.slice(4)).toEqual(["/usr/bin/clang", "--target=x86_64-alpine-linux-musl", "-Os", "-I/src/include", "-M", "/src/src/words.c"]);
  });

  it("given the context's files, a scan mounts its own sources and every file that is no unit's source", () => {
    const scans = projectScans(t.compiles, ["CMakeLists.txt", "include/words.h", "src/main.c", "src/words.c"]);
    expect(scans.map((s) => s.reads)).toEqual([
      ["src/main.c", "CMakeLists.txt", "include/words.h"],
      ["src/words.c", "CMakeLists.txt", "include/words.h"],
    ]);
  });

  it("reads: context files and configured-tree files from the scan's rules; a rule that does not fit mounts everything", () => {
    const scans = projectScans(t.compiles);
    const files = ["src/main.c", "src/words.c", "include/words.h"];
    const deps = ["main.o: /src/src/main.c /usr/include/stdio.h /src/include/words.h \\\n generated/greet_config.h\n", "words.o: /src/src/words.c /src/include/words.h\n"];
    expect(projectReads(t.compiles, scans, deps, files)).toEqual([
      { context: ["include/words.h", "src/main.c"], tree: ["generated/greet_config.h"] },
      { context: ["include/words.h", "src/words.c"], tree: [] },
    ]);
    expect(projectReads(t.compiles, scans, ["main.o: /src/src/main.c /src/include/unsent.h\n", "bad"], files)).toEqual([undefined, undefined]);
  });

  it("the link reads each input at its mount and writes speck's output", () => {
    const inputs = new Map([["CMakeFiles/greet.dir/src/main.c.o", "/obj/0/main.c.o"], ["libwords.a", "/obj/1/libwords.a"]]);
    expect(linkArgv(t.link.argv, inputs, "/out/greet")).toEqual(["/usr/bin/clang", "--target=x86_64-alpine-linux-musl", "-Os", "/obj/0/main.c.o", "-o", "/out/greet", "/obj/1/libwords.a"]);
  });

  it("names a source by its context path; one generated into the tree has none", () => {
    expect(contextSource("/src/src/main.c")).toBe("src/main.c");
    expect(contextSource("../src/a.c")).toBe("a.c");
    expect(contextSource("generated/gen.c")).toBeUndefined();
  });
});
