// The toolchain's platform against a fake daemon. With clang (the default) it
// is the worker's platform whatever the target, and so are the compile's
// execs. With gcc it is the target's: a store that answers with another
// platform's image (the containerd store does, for an image with a single
// manifest) must not get that toolchain run for the asked platform.

import { describe, expect, it } from "vitest";
import * as pb from "../../proto/llb.js";
import { fakeBuild, type FakeEntry } from "./testing/fake-daemon.js";

const FILES: Record<string, FakeEntry> = { "speck.yaml": { data: "sources: [main.c]\ntoolchain: {compiler: gcc}\n" }, "main.c": { data: "int main(void){return 0;}\n" } };
const CLANG_FILES: Record<string, FakeEntry> = { ...FILES, "speck.yaml": { data: "sources: [main.c]\n" } };
const CONTEXT = "docker-image://local/speck-toolchain:c";

function answering(config: object) {
  return () => ({
    ResolveSourceMeta: () => ({ Source: new Uint8Array(), Image: { Digest: `sha256:${"b".repeat(64)}`, Config: Buffer.from(JSON.stringify(config)) } }),
  });
}

/** Every exec op's platform (`os/arch`) in the Solve definitions. */
function execPlatforms(definitions: readonly Uint8Array[]): string[] {
  const out: string[] = [];
  for (const d of definitions) {
    for (const bytes of pb.decodeMessage<pb.Definition>("Definition", d).def ?? []) {
      const op = pb.decodeOp(bytes);
      if (op.exec) out.push(`${op.platform?.OS}/${op.platform?.Architecture}`);
    }
  }
  return out;
}

describe("toolchain platform", () => {
  it("clang: the toolchain is resolved for the worker's platform and every exec runs on it, whatever the target", async () => {
    const asked: string[] = [];
    const out = await fakeBuild({
      files: CLANG_FILES,
      opts: ["filename=speck.yaml", `context:toolchain=${CONTEXT}`, "platform=linux/amd64,linux/riscv64"],
      env: { BUILDKIT_WORKERS: JSON.stringify([{ ID: "w", Platforms: [{ OS: "linux", Architecture: "arm64" }, { OS: "linux", Architecture: "amd64" }] }]) },
      handlers: () => ({
        ResolveSourceMeta: (r: { Platform: Uint8Array }) => {
          const p = pb.decodeMessage<pb.Platform>("Platform", r.Platform);
          asked.push(`${p.OS}/${p.Architecture}`);
          return { Source: new Uint8Array(), Image: { Digest: `sha256:${"b".repeat(64)}`, Config: Buffer.from('{"architecture":"arm64","os":"linux","config":{}}') } };
        },
      }),
    });
    expect(out.code).toBe(0);
    expect(asked).toEqual(["linux/arm64", "linux/arm64"]);
    const execs = execPlatforms(out.definitions);
    expect(execs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(execs)).toEqual(new Set(["linux/arm64"]));
  });
});

describe("toolchain platform check (gcc)", () => {
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
    // The version line, the build file and the context were read; no compile graph was sent.
    expect(out.definitions).toHaveLength(3);
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
    expect(arm64.definitions.length).toBeGreaterThan(3);
  });
});
