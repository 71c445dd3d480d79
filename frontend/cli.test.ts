import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_OK, EXIT_USAGE, main, platformsOf } from "./cli.js";

const PAUSLE = join(resolve(import.meta.dirname, ".."), "examples/pausle/speck.yaml");

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => (out += typeof s === "string" ? s : Buffer.from(s).toString()), err: (s) => (err += s) });
  return { code, out, err };
}

describe("--platform lists", () => {
  it("parses a comma list in order and drops duplicates", () => {
    expect(platformsOf("linux/arm64, linux/amd64,linux/arm64").map((p) => `${p.os}/${p.architecture}`)).toEqual(["linux/arm64", "linux/amd64"]);
  });

  it("explain prints one plan per platform", async () => {
    const r = await cli("explain", PAUSLE, "--platform", "linux/amd64,linux/arm64");
    expect(r.code, r.err).toBe(EXIT_OK);
    const heads = r.out.split("\n").filter((l) => l.startsWith("pausle: a static C binary for "));
    expect(heads.map((l) => l.split(" ")[6])).toEqual(["linux/amd64,", "linux/arm64,"]);
  });

  it("llb takes one platform; an empty entry is a usage error", async () => {
    const two = await cli("llb", PAUSLE, "--platform", "linux/amd64,linux/arm64");
    expect(two.code).toBe(EXIT_USAGE);
    expect(two.err).toContain("one platform at a time");
    const empty = await cli("explain", PAUSLE, "--platform", "linux/amd64,");
    expect(empty.code).toBe(EXIT_USAGE);
    expect(empty.err).toContain("an empty entry");
  });
});
