import { describe, expect, it } from "vitest";
import { parseWorkers } from "./workers.js";
import { formatPlatform, parsePlatform } from "./platforms.js";

describe("BUILDKIT_WORKERS", () => {
  it("reads id, labels and normalized platforms with case-insensitive keys", () => {
    const w = parseWorkers('[{"ID":"w1","Labels":{"a":"b"},"Platforms":[{"Architecture":"aarch64","OS":"linux","variant":"v8"}],"gcPolicy":[]}]');
    expect(w).toEqual([{ id: "w1", labels: { a: "b" }, platforms: [{ os: "linux", architecture: "arm64" }] }]);
    expect(parseWorkers(undefined)).toEqual([]);
    expect(parseWorkers("not json")).toEqual([]);
  });
});

describe("platforms", () => {
  it("formats result keys as containerd FormatAll(Normalize(p))", () => {
    expect(formatPlatform(parsePlatform("linux/arm/v6"))).toBe("linux/arm/v6");
    expect(formatPlatform({ os: "windows", architecture: "amd64", osVersion: "10.0.17763" })).toBe("windows(10.0.17763)/amd64");
    expect(formatPlatform(parsePlatform("arm64", { os: "linux", architecture: "amd64" }))).toBe("linux/arm64");
    expect(() => parsePlatform("nope/amd64")).toThrow(/unknown operating system/);
  });
});
