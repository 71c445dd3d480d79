import { describe, expect, it } from "vitest";
import { UserError } from "../../errors.js";
import { globToRegExp } from "../../speckfile/sources.js";
import { expandSources } from "./sources.js";

describe("expandSources", () => {
  const files = ["main.c", "src/a.c", "src/b.cpp", "src/a.h", "src/deep/c.c", "README"];
  it("keeps the written order, sorts each glob's matches and takes only sources", () => {
    expect(expandSources(["main.c", "src/*"], files)).toEqual(["main.c", "src/a.c", "src/b.cpp"]);
    expect(expandSources(["src/**/*.c", "src/a.c"], files)).toEqual(["src/a.c", "src/deep/c.c"]);
    expect(expandSources(["src/[ab].c*"], files)).toEqual(["src/a.c", "src/b.cpp"]);
    expect(globToRegExp("a?.c").test("ab.c") && !globToRegExp("a?.c").test("a/.c")).toBe(true);
  });
  it("reports every pattern that finds nothing, at its span", () => {
    const span = { start: { line: 2, column: 11 }, end: { line: 2, column: 18 } };
    try {
      expandSources(["lib/*.c", "gone.c", "README*"], files, { spans: [span] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).problems.map((p) => p.message)).toEqual([
        "`lib/*.c` matches no file in the build context",
        "source `gone.c` is not in the build context",
        "`README*` matches no C/C++ source (only 1 other file)",
      ]);
      expect((e as UserError).problems[0]?.span).toEqual(span);
    }
  });
});
