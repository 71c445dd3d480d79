import { describe, expect, it } from "vitest";
import { parseSpec } from "../../speckfile/parse.js";
import { parseBuildFile } from "../registry.js";
import { goKeysOf, goSpecPart } from "./spec-part.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("the Go spec part", () => {
  it("decodes `main` and `cgo` into the spec's languageKeys, read through goKeysOf", () => {
    const spec = parseBuildFile("speck.yaml", bytes("sources: [.]\nmain: ./cmd/tool\ncgo: true\n"));
    expect(goKeysOf(spec)).toEqual({ main: "./cmd/tool", cgo: true, nameFromModule: false });
    expect(spec.name).toBe("tool");
    expect(goKeysOf(parseBuildFile("speck.yaml", bytes("sources: [main.c]\n")))).toBeUndefined();
  });

  it("names the binary after the module once the module path is given", () => {
    const first = parseBuildFile("speck.yaml", bytes("sources: [.]\n"));
    expect(first.name).toBe("");
    expect(goKeysOf(first)?.nameFromModule).toBe(true);
    expect(parseSpec("speck.yaml", bytes("sources: [.]\n"), { parts: [goSpecPart], modulePath: "example.com/tool/v2" }).name).toBe("tool");
  });

  it("refuses a Go spec that was decoded without its part (negative control)", () => {
    const spec = parseBuildFile("speck.yaml", bytes("sources: [.]\nmain: ./cmd/tool\n"));
    expect(() => goKeysOf({ language: spec.language })).toThrow(TypeError);
    expect(() => goKeysOf({ language: spec.language, languageKeys: { main: "." } })).toThrow(TypeError);
  });
});
