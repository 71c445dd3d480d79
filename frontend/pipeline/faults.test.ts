// The real build function against a fake daemon, with one fault injected at a
// time: what the user gets back must name the problem, and the process must
// end promptly (issue 5, "faults").

import { afterAll, describe, expect, it } from "vitest";
import { recordSummary } from "../../test/summary.js";
import { FakeStatus } from "../gateway/testing/fake-bridge.js";
import { MAX_SPEC_BYTES } from "../speckfile/index.js";
import { ALL_LLB_CAPS, fakeBuild, type FakeEntry } from "./testing/fake-daemon.js";

const SPEC = "sources: [main.c]\n";
const FILES: Record<string, FakeEntry> = { "speck.yaml": { data: SPEC }, "main.c": { data: "int main(void){return 0;}\n" } };
const TOOLCHAIN = "context:toolchain=docker-image://local/speck-toolchain:c";
const OPTS = ["filename=speck.yaml", TOOLCHAIN, "platform=linux/amd64"];

let faults = 0;
afterAll(() => recordSummary("unit-faults", { faultsInjected: faults }));

describe("build() under daemon faults", () => {
  it("a daemon without an LLB cap the compile needs: the message names the cap and the minimum version; nothing runs", async () => {
    faults++;
    const out = await fakeBuild({ files: FILES, opts: OPTS, llbCaps: ALL_LLB_CAPS.filter((c) => c !== "exec.meta.network") });
    expect(out.code).toBe(0);
    expect(out.error?.message).toBe(
      'this build needs the LLB capability "exec.meta.network", which this daemon does not have: speck needs BuildKit v0.13 or later (Docker Engine 26.0 or later)',
    );
    // The version line, the build file and the context were loaded; the compile graph was never sent.
    expect(out.definitions).toHaveLength(3);
  });

  it("an image that cannot be resolved: the reference, the platform, the daemon's reason and a hint", async () => {
    faults++;
    const out = await fakeBuild({
      files: FILES,
      opts: ["filename=speck.yaml", "context:toolchain=docker-image://nope/none:1", "platform=linux/amd64"],
      handlers: () => ({
        ResolveSourceMeta: () => {
          throw new FakeStatus({ code: 5, message: "docker.io/nope/none:1: not found", details: [] });
        },
      }),
    });
    expect(out.code).toBe(0);
    expect(out.error?.message).toBe(
      "speck.yaml: cannot resolve the toolchain image docker.io/nope/none:1 for linux/amd64 (from --build-context toolchain=docker-image://nope/none:1): docker.io/nope/none:1: not found " +
        "(check the name and that the image has this platform; without a registry, pass a prepared toolchain with --build-context toolchain=docker-image://<image>)",
    );
  });

  it("a compile step that fails in the daemon: its error reaches the user unchanged", async () => {
    faults++;
    const failed = { code: 2, message: 'process "cc -o /out/main main.c" did not complete successfully: exit code: 1', details: [] };
    let n = 0;
    const out = await fakeBuild({
      files: FILES,
      opts: OPTS,
      handlers: () => ({
        Solve: (r) => {
          if (++n === 3) throw new FakeStatus(failed);
          return { result: { ref: { id: `r${n}`, def: r.Definition }, metadata: {} } };
        },
      }),
    });
    expect(out.code).toBe(0);
    expect(out.error).toEqual(failed);
  });

  it("the connection drops during the compile solve: exit 1 within 2 s, no Return", async () => {
    faults++;
    let n = 0;
    let droppedAt = 0;
    const out = await fakeBuild({
      files: FILES,
      opts: OPTS,
      handlers: ({ socket, stdin }) => ({
        Solve: (r) => {
          if (++n < 3) return { result: { ref: { id: `r${n}`, def: r.Definition }, metadata: {} } };
          // As when buildkitd dies or cancels: both pipes go away, the call never answers.
          droppedAt = performance.now();
          socket()?.destroy();
          stdin.end();
          return new Promise(() => {});
        },
      }),
    });
    expect(out.code).toBe(1);
    expect(out.fake.returns).toHaveLength(0);
    expect(performance.now() - droppedAt).toBeLessThan(2_000);
  });

  it("a build file that is not there: a user error, not a crash", async () => {
    faults++;
    const out = await fakeBuild({
      files: FILES,
      opts: ["filename=spec.yaml", TOOLCHAIN, "platform=linux/amd64"],
      handlers: () => ({
        StatFile: () => {
          throw new FakeStatus({ code: 5, message: "stat spec.yaml: no such file or directory", details: [] });
        },
      }),
    });
    expect(out.code).toBe(0);
    expect(out.error?.message).toBe("cannot read the build file spec.yaml: it is not in the directory given to -f");
  });

  it("a daemon failure while reading the build file passes through, not as a missing file", async () => {
    faults++;
    const lost = { code: 14, message: "session lost", details: [] };
    const out = await fakeBuild({
      files: FILES,
      opts: OPTS,
      handlers: () => ({
        StatFile: () => {
          throw new FakeStatus(lost);
        },
      }),
    });
    expect(out.code).toBe(0);
    expect(out.error).toEqual(lost);
  });

  it("a cancelled image resolution passes through, not as a bad image name", async () => {
    faults++;
    const cancelled = { code: 1, message: "context canceled", details: [] };
    const out = await fakeBuild({
      files: FILES,
      opts: OPTS,
      handlers: () => ({
        ResolveSourceMeta: () => {
          throw new FakeStatus(cancelled);
        },
      }),
    });
    expect(out.code).toBe(0);
    expect(out.error).toEqual(cancelled);
  });

  it("a build file over the size limit is refused from its size, reading at most the limit", async () => {
    faults++;
    const huge = `sources: [main.c]\n${"#".repeat(MAX_SPEC_BYTES)}\n`;
    const out = await fakeBuild({ files: { ...FILES, "speck.yaml": { data: huge } }, opts: OPTS });
    expect(out.error?.message).toBe(`the build file speck.yaml is ${Buffer.byteLength(huge)} bytes; a speck file is at most ${MAX_SPEC_BYTES} bytes`);
    const reads = out.fake.calls.filter((c) => c.method === "ReadFile");
    expect(reads.length).toBeGreaterThan(0);
    for (const r of reads) expect(Number((r.request as { Range?: { Length?: number } }).Range?.Length)).toBeLessThanOrEqual(MAX_SPEC_BYTES + 1);
  });
});

describe("build() and the context", () => {
  it("refuses a source that is a symlink out of the context, at the `sources` line", async () => {
    faults++;
    const out = await fakeBuild({
      files: {
        "speck.yaml": { data: "# a comment\nsources: ['*.c', 'src/*.c']\nname: app\n" },
        "main.c": { data: "int main(void){return 0;}\n" },
        "evil.c": { link: "../../etc/passwd" },
        "src/abs.c": { link: "/etc/shadow" },
        "src/up.c": { link: "../../main.c" },
        "src/ok.c": { link: "../main.c" },
      },
      opts: OPTS,
    });
    expect(out.code).toBe(0);
    expect(out.error?.message.split("\n")).toEqual([
      "speck.yaml:2:10: `evil.c` is a symbolic link to `../../etc/passwd`, outside the build context (copy the file into the context instead of linking to it)",
      "speck.yaml:2:10: `src/abs.c` is a symbolic link to `/etc/shadow`, outside the build context (copy the file into the context instead of linking to it)",
      "speck.yaml:2:10: `src/up.c` is a symbolic link to `../../main.c`, outside the build context (copy the file into the context instead of linking to it)",
    ]);
    // The graph never reached the compile step (the version line, the build file, the context).
    expect(out.definitions).toHaveLength(3);
  });
});
