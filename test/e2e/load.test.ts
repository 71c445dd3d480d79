// Issue 5, load (bounded, loopback only): 20 different builds at once on one
// daemon, then the same 20 again warm. All must succeed; the warm round must
// run no exec at all (every compile step CACHED); and every image must equal,
// digest for digest, the image of the same spec built alone with --no-cache.
// The builds set SOURCE_DATE_EPOCH, as reproducible builds do: without it
// BuildKit's exporter stamps the export time into the config's `created`, so
// only the layers would match.

import { afterAll, expect, it } from "vitest";
import { recordSummary } from "../summary.js";
import { describeDaemons, docker, fixture, inspectImage, type Daemon, type RunResult } from "./helpers.js";
import { speckBuild, SYNTAX, tagFor } from "./speck.js";

const COUNT = 20;
/** Each round must finish within this (2 shared cores; a cold round measured ~1-2 min). */
const ROUND_MS = 540_000;
const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };

let builds = 0;
let unexpected = 0;
afterAll(() => recordSummary("e2e-load", { buildsUnderLoad: builds, unexpected }));

/** Vertex numbers of the compile steps in plain progress output, and which of them were CACHED. */
export function compileSteps(stderr: string): { all: string[]; cached: string[] } {
  const all = [...new Set([...stderr.matchAll(/^#(\d+) \[compile [^\]]+\]/gm)].map((m) => m[1] ?? ""))];
  const cached = all.filter((n) => new RegExp(`^#${n} CACHED$`, "m").test(stderr));
  return { all, cached };
}

interface Built {
  readonly id: string;
  readonly layers: readonly string[];
}

async function identity(daemon: Daemon, tag: string): Promise<Built> {
  const img = await inspectImage(daemon, tag);
  return { id: img.Id, layers: img.RootFS.Layers };
}

describeDaemons("load", (daemon) => {
  it(`${COUNT} builds at once, then warm (all cached), each equal to the same spec built alone`, async () => {
    // A nonce keeps the cold round cold even on a daemon that ran this test before.
    const nonce = `${process.pid}${Date.now()}`;
    const files: Record<string, string> = {
      "n.c": '#include <stdio.h>\n#define S(x) #x\n#define STR(x) S(x)\nint main(void) { printf("%d %s\\n", N, STR(NONCE)); return 0; }\n',
    };
    for (let i = 0; i < COUNT; i++) files[`s${i}.yaml`] = `${SYNTAX}\nsources: [n.c]\nname: load${i}\ndefines: { N: ${i}, NONCE: n${nonce} }\n`;
    const dir = await fixture(files);
    const tags = Array.from({ length: COUNT }, (_, i) => tagFor(daemon, `load${i}`));
    const alone = tags.map((t) => `${t}-alone`);
    try {
      const round = async (): Promise<{ results: RunResult[]; ms: number }> => {
        const t0 = performance.now();
        const results = await Promise.all(
          tags.map((tag, i) => speckBuild(daemon, { dir, file: `s${i}.yaml`, tags: [tag], load: true, buildArgs: EPOCH, check: false, timeoutMs: ROUND_MS })),
        );
        builds += results.length;
        return { results, ms: performance.now() - t0 };
      };
      const cold = await round();
      const coldFailed = cold.results.filter((r) => r.code !== 0);
      expect(coldFailed.map((r) => r.stderr.slice(-2000))).toEqual([]);
      for (const r of cold.results) expect(compileSteps(r.stderr).all.length).toBe(1);

      const warm = await round();
      const warmFailed = warm.results.filter((r) => r.code !== 0);
      expect(warmFailed.map((r) => r.stderr.slice(-2000))).toEqual([]);
      for (const r of warm.results) {
        const steps = compileSteps(r.stderr);
        expect(steps.all.length, r.stderr).toBe(1);
        expect(steps.cached, r.stderr).toEqual(steps.all);
      }

      const together = await Promise.all(tags.map((t) => identity(daemon, t)));
      // One at a time, from scratch: the reference the concurrent images must match.
      const t0 = performance.now();
      for (let i = 0; i < COUNT; i++) {
        await speckBuild(daemon, { dir, file: `s${i}.yaml`, tags: [alone[i] ?? ""], load: true, buildArgs: EPOCH, noCache: true, timeoutMs: 300_000 });
        builds++;
      }
      const aloneMs = performance.now() - t0;
      const single = await Promise.all(alone.map((t) => identity(daemon, t)));
      expect(single).toEqual(together);
      expect(new Set(together.map((b) => b.id)).size).toBe(COUNT);
      const out = await docker(daemon, ["run", "--rm", "--network=none", tags[7] ?? ""]);
      expect(out.stdout).toBe(`7 n${nonce}\n`);
      process.stderr.write(
        `load [${daemon.name}]: ${COUNT} cold builds at once ${(cold.ms / 1000).toFixed(1)} s, warm ${(warm.ms / 1000).toFixed(1)} s, ` +
          `${COUNT} one at a time (--no-cache) ${(aloneMs / 1000).toFixed(1)} s\n`,
      );
    } catch (e) {
      unexpected++;
      throw e;
    } finally {
      await docker(daemon, ["image", "rm", "-f", ...tags, ...alone], { check: false });
    }
  });
});
