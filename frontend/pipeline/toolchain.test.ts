// The toolchain's platform check against a fake daemon: a store that answers
// with another platform's image (the containerd store does, for an image with
// a single manifest) must not get that toolchain run for the asked platform.

import { describe, expect, it } from "vitest";
import { fakeBuild, type FakeEntry } from "./testing/fake-daemon.js";

const FILES: Record<string, FakeEntry> = { "speck.yaml": { data: "sources: [main.c]\n" }, "main.c": { data: "int main(void){return 0;}\n" } };
const CONTEXT = "docker-image://local/speck-toolchain:c";

function answering(config: object) {
  return () => ({
    ResolveSourceMeta: () => ({ Source: new Uint8Array(), Image: { Digest: `sha256:${"b".repeat(64)}`, Config: Buffer.from(JSON.stringify(config)) } }),
  });
}

describe("toolchain platform check", () => {
  it("an image for another architecture: names the platform asked for and the one offered; nothing is compiled", async () => {
    const out = await fakeBuild({
      files: FILES,
      opts: ["filename=speck.yaml", `context:toolchain=${CONTEXT}`, "platform=linux/arm64"],
      handlers: answering({ architecture: "amd64", os: "linux", config: {} }),
    });
    expect(out.code).toBe(0);
    expect(out.error?.message).toBe(
      "speck.yaml: the toolchain image docker.io/local/speck-toolchain:c (from --build-context toolchain=docker-image://local/speck-toolchain:c) has no linux/arm64 variant: " +
        "the daemon offered linux/amd64 (use a multi-platform toolchain image that includes linux/arm64, or drop that platform from --platform)",
    );
    // The build file and the context were read; no compile graph was sent.
    expect(out.definitions).toHaveLength(2);
  });

  it("an arm variant that differs is refused; an arm64 image without a variant is not", async () => {
    const v6 = await fakeBuild({
      files: FILES,
      opts: ["filename=speck.yaml", `context:toolchain=${CONTEXT}`, "platform=linux/arm/v7"],
      handlers: answering({ architecture: "arm", variant: "v6", os: "linux", config: {} }),
    });
    expect(v6.error?.message).toContain("has no linux/arm/v7 variant: the daemon offered linux/arm/v6");
    const arm64 = await fakeBuild({
      files: FILES,
      opts: ["filename=speck.yaml", `context:toolchain=${CONTEXT}`, "platform=linux/arm64"],
      handlers: answering({ architecture: "arm64", os: "linux", config: {} }),
    });
    // Past the platform check: the compile graph went out (the fake has no binary, so verification fails later).
    expect(arm64.error?.message ?? "").not.toContain("variant");
    expect(arm64.definitions.length).toBeGreaterThan(2);
  });
});
