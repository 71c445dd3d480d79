// Issue 10, part 1, end to end: examples/mixed, a C++ program with a C file
// whose function calls back into C++ that throws. The C file must be compiled
// as C (it uses `new` and `class` as names, and its `walk` must link
// unmangled), the program linked by c++, and the exception caught after
// unwinding through the C frame, under `size` and under `tiny`.
//
// One daemon is enough: what is checked is the compiler's argv and the
// program it makes, which no BuildKit version changes.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeNewestDaemon, docker, inspectImage } from "./helpers.js";
import { cleanupImage, exampleCopy, speckBuild, tagFor } from "./speck.js";

describeNewestDaemon("mixed C and C++", (daemon) => {
  it.each(["size", "tiny"])("%s: walk.c compiles as C, the program links, and the exception crossing it is caught", async (profile) => {
    const dir = await exampleCopy("mixed");
    const yaml = join(dir, "speck.yaml");
    await writeFile(yaml, `${await readFile(yaml, "utf8")}profile: ${profile}\n`);
    const tag = tagFor(daemon, `mixed-${profile}`);
    cleanupImage(daemon, tag);
    const build = await speckBuild(daemon, { dir, tags: [tag], load: true });
    // The compile step's argv as BuildKit shows it: the C file between -x c and -x none.
    expect(build.stderr).toMatch(/\[compile linux\/amd64\] clang\+\+ [^\n]* main\.cpp -x c walk\.c\n/);
    const size = Number((await inspectImage(daemon, tag)).Config.Labels?.["dev.speck.binary.size"]);
    process.stderr.write(`mixed [${daemon.name}] ${profile}: ${size.toLocaleString("en-US")} B\n`);
    const run = await docker(daemon, ["run", "--rm", "--network=none", tag], { check: false });
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: "walked: 3\ncaught: item 3 refused\n" });
  });
});
