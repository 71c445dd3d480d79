import { describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { parseBuildFile } from "../languages/registry.js";
import { detectSyntax } from "./text.js";
import { spanOf } from "./types.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (s: string) => parseBuildFile("speck.yaml", enc(s));
const problems = (s: string): string[] => {
  try {
    parse(s);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).problems.map((p) => `${p.span?.start.line}:${p.span?.start.column}: ${p.message}${p.hint ? ` (${p.hint})` : ""}`);
  }
  throw new Error("expected a UserError");
};

describe("parseSpec", () => {
  it("fills every default from a one-line spec", () => {
    const s = parse("# syntax=speck\nsources: [pausle.c]\n");
    expect(s).toMatchObject({
      name: "pausle", language: "c", profile: "size", sources: ["pausle.c"], cflags: [], defines: [],
      toolchain: { image: "alpine:3.22" },
      image: { entrypoint: ["/pausle"], cmd: [], env: [], user: "65534:65534", workdir: "/", labels: {}, expose: [], files: [] },
    });
    expect(s.budget).toBeUndefined();
    expect(Object.isFrozen(s) && Object.isFrozen(s.image) && Object.isFrozen(s.sources)).toBe(true);
    expect(spanOf(s, "sources[0]")).toEqual({ start: { line: 2, column: 11 }, end: { line: 2, column: 19 } });
    expect(spanOf(s, "image.user")).toBeUndefined();
  });

  it("normalises every field of a full spec", () => {
    const s = parse(`
name: srv
language: c++
profile: tiny
sources: [main.cpp, ./lib/../util.c]
cflags: [-Wall]
ldflags: ["-Wl,-O1"]
defines: {DEBUG: , PORT: 8080}
include: [include/]
libs: [z]
packages: [zlib-static, zlib-dev, zlib-static]
toolchain: {image: "alpine:3.21"}
budget: 16KiB
image:
  entrypoint: [/srv, --serve]
  cmd: [--port, 8080]
  env: [A=1, B=x=y]
  user: 1000
  workdir: /data/./x
  labels: {b: 2, a: one}
  expose: [8080, 53/udp, "8080/tcp"]
  stopsignal: 2
  files:
    - {src: conf/app.conf, dest: /etc/app.conf, mode: "0600"}
    - {src: README, mode: 0o755}
`);
    expect(s).toMatchObject({
      name: "srv", language: "c++", profile: "tiny", sources: ["main.cpp", "util.c"], cflags: ["-Wall"], ldflags: ["-Wl,-O1"],
      defines: [{ name: "DEBUG" }, { name: "PORT", value: "8080" }], include: ["include"], libs: ["z"],
      packages: ["zlib-dev", "zlib-static"], toolchain: { image: "alpine:3.21" }, budget: 16384,
      image: {
        entrypoint: ["/srv", "--serve"], cmd: ["--port", "8080"], env: ["A=1", "B=x=y"], user: "1000", workdir: "/data/x",
        labels: { a: "one", b: "2" }, expose: ["53/udp", "8080/tcp"], stopsignal: "SIGINT",
        files: [{ src: "conf/app.conf", dest: "/etc/app.conf", mode: 0o600 }, { src: "README", dest: "/README", mode: 0o755 }],
      },
    });
  });

  it("reads `mode: 0644` as octal, the way chmod does, not as YAML 1.2's decimal 644", () => {
    expect(parse("sources: [a.c]\nimage: {files: [{src: x, mode: 0644}]}\n").image.files[0]?.mode).toBe(0o644);
  });

  it("derives the language from extensions", () => {
    expect(parse("sources: [a.c, b.cc]").language).toBe("c++");
    expect(parse("sources: [a.C]").language).toBe("c++");
    expect(parse("sources: [a.c, start.S]").language).toBe("c");
  });

  it("reports every problem at once, sorted, with line and column", () => {
    expect(problems("sorces: [a.c]\nprofile: tiyn\nimage:\n  user: nobody\n")).toEqual([
      "1:1: unknown key `sorces` (did you mean `sources`?)",
      "2:10: unknown profile `tiyn` (did you mean `tiny`?)",
      "4:9: user `nobody` is a name, but a scratch image has no /etc/passwd to look it up (write a numeric `uid` or `uid:gid`, e.g. `65534:65534`)",
    ]);
  });

  it("accepts a BOM and CRLF line ends", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...enc("# syntax=x\r\nsources:\r\n  - a.c\r\nname: b\r\n")]);
    const s = parseBuildFile("f", bytes);
    expect(s.name).toBe("b");
    expect(spanOf(s, "name")?.start).toEqual({ line: 4, column: 7 });
  });

  it("points at the first byte that is not UTF-8", () => {
    const bytes = new Uint8Array([...enc("sources: [a.c]\nname: x"), 0xff, 0x0a]);
    expect(() => parseBuildFile("f", bytes)).toThrow(/f:2:8: the build file is not UTF-8: byte 0xff/);
  });
});

describe("detectSyntax", () => {
  it("reads the directive from the leading comments only", () => {
    expect(detectSyntax("# syntax=ghcr.io/x/speck:1\nsources: [a.c]\n")?.image).toBe("ghcr.io/x/speck:1");
    expect(detectSyntax("#syntax = img\r\n")?.span.start).toEqual({ line: 1, column: 11 });
    expect(detectSyntax("# hello\n# syntax=img\n")?.image).toBe("img");
    expect(detectSyntax("sources: [a.c]\n# syntax=img\n")).toBeUndefined();
    expect(detectSyntax(new Uint8Array([0xef, 0xbb, 0xbf, ...enc("# syntax=img\n")]))?.image).toBe("img");
  });
});
