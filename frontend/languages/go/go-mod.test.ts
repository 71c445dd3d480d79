import { describe, expect, it } from "vitest";
import { UserError } from "../../errors.js";
import { compareGoVersions, escapeModulePath, goModFile, parseGoMod } from "./go-mod.js";

const parse = (text: string) => parseGoMod(goModFile(new TextEncoder().encode(text)));

describe("go.mod", () => {
  it("reads module, go, toolchain and every require with its position, in blocks and single lines", () => {
    const m = parse(`// a comment
module "example.com/app" // quoted, as go mod edit may write it

go 1.24.1
toolchain go1.25.0

require github.com/google/uuid v1.6.0
require (
\tgolang.org/x/text v0.14.0 // indirect
\texample.com/Upper v1.0.0
)
replace example.com/Upper => ./upper
`);
    expect(m.module.value).toBe("example.com/app");
    expect(m.go?.value).toBe("1.24.1");
    expect(m.go?.span.start).toEqual({ line: 4, column: 4 });
    expect(m.toolchain?.value).toBe("go1.25.0");
    expect(m.requires.map((r) => [r.path, r.version, r.span.start.line, r.span.start.column, r.indirect])).toEqual([
      ["github.com/google/uuid", "v1.6.0", 7, 9, false],
      ["golang.org/x/text", "v0.14.0", 9, 2, true],
      ["example.com/Upper", "v1.0.0", 10, 2, false],
    ]);
  });

  it("without a module line is a located error", () => {
    expect(() => parse("go 1.22\n")).toThrow(UserError);
  });

  it("orders versions as the go command does: language < rc < release < patch", () => {
    const sorted = ["1.24.1", "1.24rc1", "1.24", "1.23.9", "go1.24.0", "1.24beta2", "1.25"].sort(compareGoVersions);
    expect(sorted).toEqual(["1.23.9", "1.24", "1.24beta2", "1.24rc1", "go1.24.0", "1.24.1", "1.25"]);
    expect(compareGoVersions("1.99", "go1.24.4")).toBeGreaterThan(0);
    expect(compareGoVersions("1.22", "go1.24.4")).toBeLessThan(0);
  });

  it("escapes upper case in module paths as caches and proxies store them", () => {
    expect(escapeModulePath("github.com/BurntSushi/toml")).toBe("github.com/!burnt!sushi/toml");
  });
});
