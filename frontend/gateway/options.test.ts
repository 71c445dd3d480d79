import { describe, expect, it } from "vitest";
import { BuildOptions, OptionError, parseFrontendOpts } from "./options.js";

const host = { os: "linux", architecture: "amd64" };
const opts = (entries: Record<string, string>, session = "s0") => new BuildOptions(new Map(Object.entries(entries)), session, host);

describe("parseFrontendOpts", () => {
  it("splits on the first '=' only and ignores other variables", () => {
    const m = parseFrontendOpts({
      BUILDKIT_FRONTEND_OPT_1: "build-arg:A=x=y",
      BUILDKIT_FRONTEND_OPT_0: "no-cache",
      BUILDKIT_FRONTEND_OPT_2: "context:base=docker-image://alpine",
      BUILDKIT_SESSION_ID: "sess",
      OTHER: "filename=nope",
    });
    expect([...m]).toEqual([
      ["no-cache", ""],
      ["build-arg:A", "x=y"],
      ["context:base", "docker-image://alpine"],
    ]);
  });

  it("reads the session id from BUILDKIT_SESSION_ID", () => {
    const o = BuildOptions.fromEnv({ BUILDKIT_SESSION_ID: "abc", BUILDKIT_FRONTEND_OPT_0: "local-sessionid:ctx=other" });
    expect(o.sessionId).toBe("abc");
    expect(o.localSessionId("dockerfile")).toBe("abc");
    expect(o.localSessionId("ctx")).toBe("other");
  });
});

describe("BuildOptions accessors", () => {
  it("filename, target, requestid; undefined when absent", () => {
    expect(opts({ filename: "speck.yaml", target: "debug-llb", requestid: "frontend.outline" })).toMatchObject({
      filename: "speck.yaml",
      target: "debug-llb",
      requestId: "frontend.outline",
    });
    expect(opts({}).filename).toBeUndefined();
  });

  it("platforms are parsed and normalized; multi-platform follows count and flags", () => {
    const o = opts({ platform: "linux/x86_64,linux/aarch64/v8,linux/arm" });
    expect(o.platforms).toEqual([
      { os: "linux", architecture: "amd64" },
      { os: "linux", architecture: "arm64" },
      { os: "linux", architecture: "arm", variant: "v7" },
    ]);
    expect(o.multiPlatform).toBe(true);
    expect(opts({ platform: "linux/amd64" }).multiPlatform).toBe(false);
    expect(opts({ platform: "linux/amd64", "multi-platform": "true" }).multiPlatform).toBe(true);
    expect(opts({ "build-arg:BUILDKIT_MULTI_PLATFORM": "1" }).multiPlatform).toBe(true);
    expect(() => opts({ platform: "linux/amd64,linux/arm64", "multi-platform": "false" }).multiPlatform).toThrow(OptionError);
    expect(() => opts({ "multi-platform": "yes" }).multiPlatform).toThrow(/invalid boolean "yes"/);
    expect(() => opts({ platform: "plan9//" }).platforms).toThrow(/frontend option "platform"/);
  });

  it("build args, labels, named contexts with platform lookup, shared keys", () => {
    const o = opts({
      "build-arg:A": "1",
      "label:org.x": "y",
      "context:base": "docker-image://alpine",
      "context:base::linux/arm64": "docker-image://arm64v8/alpine",
      "sharedkey:localdir:src": "k1",
    });
    expect(o.buildArgs).toEqual(new Map([["A", "1"]]));
    expect(o.labels).toEqual(new Map([["org.x", "y"]]));
    expect(o.namedContext("base", "linux/arm64")).toBe("docker-image://arm64v8/alpine");
    expect(o.namedContext("base", "linux/amd64")).toBe("docker-image://alpine");
    expect(o.namedContext("other")).toBeUndefined();
    expect(o.namedContexts.size).toBe(2);
    expect(o.sharedKey("src")).toBe("k1");
  });

  it("no-cache: absent, all, or a list of names", () => {
    expect(opts({}).noCache).toBeUndefined();
    expect(opts({ "no-cache": "" }).noCache).toEqual({ all: true });
    expect(opts({ "no-cache": "a,b" }).noCache).toEqual({ all: false, names: ["a", "b"] });
  });

  it("image-resolve-mode is validated", () => {
    expect(opts({}).imageResolveMode).toBe("default");
    expect(opts({ "image-resolve-mode": "pull" }).imageResolveMode).toBe("pull");
    expect(() => opts({ "image-resolve-mode": "always" }).imageResolveMode).toThrow(/expected default, pull or local/);
  });

  it("cache-imports JSON and legacy cache-from merge as dockerui does", () => {
    const o = opts({ "cache-imports": '[{"Type":"local","Attrs":{"src":"/c"}}]', "cache-from": "r1,r2" });
    expect(o.cacheImports).toEqual([
      { Type: "local", Attrs: { src: "/c" } },
      { Type: "registry", Attrs: { ref: "r1" } },
      { Type: "registry", Attrs: { ref: "r2" } },
    ]);
    expect(() => opts({ "cache-imports": "{" }).cacheImports).toThrow(/cache-imports.*invalid JSON/);
  });

  it("input-metadata values are base64 bytes", () => {
    const o = opts({ "input-metadata:base": JSON.stringify({ "containerimage.config": Buffer.from('{"os":"linux"}').toString("base64") }) });
    expect(Buffer.from(o.inputMetadata("base")?.get("containerimage.config") ?? []).toString()).toBe('{"os":"linux"}');
    expect(o.inputMetadata("none")).toBeUndefined();
    expect(() => opts({ "input-metadata:x": "[]" }).inputMetadata("x")).toThrow(OptionError);
  });

  it("raw access keeps every option", () => {
    const o = opts({ "attest:sbom": "", custom: "v" });
    expect(o.get("custom")).toBe("v");
    expect(o.has("attest:sbom")).toBe(true);
    expect(new Map(o.entries()).size).toBe(2);
  });
});
