// The snapshot rehearsal (rehearsal.ts) must carry a whole build from Ping to
// Return: if a change to the build path asks the daemon something the canned
// answers cannot give, this fails here, before an image build would.
import { describe, expect, it } from "vitest";
import { build } from "./pipeline/build.js";
import { pbCodec } from "./pb-codec.js";
import { rehearse } from "./rehearsal.js";

describe("snapshot rehearsal", () => {
  it("runs speck's build function through to a result, for both rehearsal specs", async () => {
    const results: string[] = [];
    await rehearse(async (client) => {
      const r = await build(client);
      results.push(r.ref?.id ?? "");
      expect(r.metadata.get("containerimage.config")).toBeDefined();
      return r;
    }, pbCodec);
    // Each build returned the image it solved last.
    expect(results).toHaveLength(2);
    for (const id of results) expect(id).toMatch(/^rehearsal-\d+$/);
  });

  it("does not depend on the machine that builds the snapshot (the arm64 image's is made by the arm64 node)", async () => {
    const arch = Object.getOwnPropertyDescriptor(process, "arch");
    Object.defineProperty(process, "arch", { value: process.arch === "arm64" ? "x64" : "arm64", configurable: true });
    try {
      await rehearse(build, pbCodec);
    } finally {
      if (arch) Object.defineProperty(process, "arch", arch);
    }
  });

  it("fails when the build fails (a broken rehearsal must not pass quietly)", async () => {
    await expect(rehearse(() => Promise.reject(new Error("broken build")), pbCodec)).rejects.toThrow("broken build");
  });
});
