import { describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { parseBuildFile } from "../languages/registry.js";

const parse = (yaml: string) => parseBuildFile("speck.yaml", new TextEncoder().encode(`sources: [a.c]\n${yaml}\n`));
function problems(yaml: string): string[] {
  try {
    parse(yaml);
    return [];
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.problems.map((p) => `${p.span?.start.line}:${p.span?.start.column}: ${p.message}`);
  }
}

describe("flags split at their commas", () => {
  it("keeps flags that are glued but each whole, quoted flags and block lists", () => {
    expect(parse("cflags: [-Wall,-Wextra, -L,lib, -z,now]").cflags).toEqual(["-Wall", "-Wextra", "-L", "lib", "-z", "now"]);
    expect(parse('ldflags: ["-Wl,-z,now", \'-Wa,--noexecstack\']').ldflags).toEqual(["-Wl,-z,now", "-Wa,--noexecstack"]);
    expect(parse("ldflags:\n  - -Wl,-z,now\n  - -Xlinker\n  - -z").ldflags).toEqual(["-Wl,-z,now", "-Xlinker", "-z"]);
    expect(parse("ldflags: [-static, libx.a,extra.o]").ldflags).toEqual(["-static", "libx.a", "extra.o"]);
  });

  it("finds the split flag among others, and only the part YAML glued", () => {
    expect(problems("ldflags: [-s, -Wl,--gc-sections,-z,now, -Wall]")).toEqual([
      "2:15: `-Wl,--gc-sections,-z,now` is split at its commas: in a `[...]` list YAML reads it as 4 flags, `-Wl`, `--gc-sections`, `-z` and `now`",
    ]);
    expect(problems("cflags: [-DV=1,2,3]")).toEqual(["2:10: `-DV=1,2,3` is split at its commas: in a `[...]` list YAML reads it as 3 flags, `-DV=1`, `2` and `3`"]);
  });

  it("refuses a bare -Wl with a space after its comma, and -Xlinker with nothing after it", () => {
    expect(problems("ldflags: [-Wl, -z]")).toEqual(["2:11: `-Wl` alone passes nothing to the linker"]);
    expect(problems("cflags: [-Xassembler]")).toEqual(["2:10: `-Xassembler` needs the assembler's option as the next item"]);
  });

  it("follows aliases without calling them glued", () => {
    // After an alias the comma glues nothing: the alias is a whole item, not text YAML split.
    const spec = parse("ldflags: [&w -Wall]\ncflags: [*w,v, -O2,*w]");
    expect(spec.cflags).toEqual(["-Wall", "v", "-O2", "-Wall"]);
  });
});
