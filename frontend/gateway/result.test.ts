import { describe, expect, it } from "vitest";
import { ResultBuilder, ResultError } from "./result.js";

const text = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString();
const ref = (id: string) => ({ id, def: new Uint8Array() });

describe("ResultBuilder", () => {
  it("one platform: ref, containerimage.config and refs.platforms", () => {
    const r = new ResultBuilder(false).addPlatform({ os: "linux", architecture: "x86_64" }, ref("a"), { os: "linux", architecture: "amd64" }).finalize();
    expect(r.ref?.id).toBe("a");
    expect(r.refs).toBeUndefined();
    expect(JSON.parse(text(r.metadata.get("containerimage.config")))).toEqual({ os: "linux", architecture: "amd64" });
    expect(text(r.metadata.get("refs.platforms"))).toBe('{"Platforms":[{"ID":"linux/amd64","Platform":{"architecture":"amd64","os":"linux"}}]}');
  });

  it("several platforms (or multi-platform requested): refs and per-platform configs", () => {
    const r = new ResultBuilder(false)
      .addPlatform({ os: "linux", architecture: "amd64" }, ref("a"), "{}")
      .addPlatform({ os: "linux", architecture: "arm", variant: "v7" }, ref("b"), "{}", { baseImageConfig: "{}" })
      .finalize();
    expect([...(r.refs?.keys() ?? [])]).toEqual(["linux/amd64", "linux/arm/v7"]);
    expect([...r.metadata.keys()].sort()).toEqual([
      "containerimage.base.config/linux/arm/v7",
      "containerimage.config/linux/amd64",
      "containerimage.config/linux/arm/v7",
      "refs.platforms",
    ]);
    const forced = new ResultBuilder(true).addPlatform({ os: "linux", architecture: "arm64" }, ref("a")).finalize();
    expect(forced.refs?.get("linux/arm64")?.id).toBe("a");
    const arm = JSON.parse(text(new ResultBuilder(true).addPlatform({ os: "windows", architecture: "arm", variant: "v7", osVersion: "10.0" }, ref("a")).finalize().metadata.get("refs.platforms")));
    expect(arm).toEqual({ Platforms: [{ ID: "windows(10.0)/arm/v7", Platform: { architecture: "arm", os: "windows", "os.version": "10.0", variant: "v7" } }] });
    expect(() => new ResultBuilder(true).addPlatform({ os: "linux", architecture: "amd64" }, ref("a")).addPlatform({ os: "linux", architecture: "x86_64" }, ref("b"))).toThrow(ResultError);
  });

  it("metadata only (subrequests): no refs, no refs.platforms", () => {
    const r = new ResultBuilder(false).setMetadata("result.json", "{}").setMetadata("version", "1.0.0").finalize();
    expect(r.ref).toBeUndefined();
    expect([...r.metadata.keys()]).toEqual(["result.json", "version"]);
  });
});
