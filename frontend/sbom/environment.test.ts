import { describe, expect, it } from "vitest";
import { image, local } from "../../llb/index.js";
import { environmentOf } from "./environment.js";

const amd64 = { os: "linux", architecture: "amd64" };
const DIGEST = `sha256:${"a".repeat(64)}`;

describe("environmentOf", () => {
  it("names the pinned image the compile stage runs in, from its LLB", () => {
    const stage = image(`docker.io/library/alpine:3.22@${DIGEST}`, { platform: amd64 }).run({ args: ["apk", "add", "gcc"] }).root();
    expect(environmentOf(stage, amd64, "alpine:3.22")).toEqual({ image: "docker.io/library/alpine:3.22", digest: DIGEST });
  });

  it("falls back to how the toolchain was given when the stage is not one image", () => {
    expect(environmentOf(local("context", { sessionId: "s" }), amd64, "context toolchain=input:tc")).toEqual({ image: "context toolchain=input:tc" });
  });
});
