// Section "platforms" (issue 6): the wall time of one two-platform build
// (`--platform linux/amd64,linux/arm64`, arm64 under emulation) beside the sum
// of the two single-platform builds, for pausle and hello. Every build is
// --no-cache to an OCI archive with the multi-platform toolchain index, and the
// three kinds alternate within each repetition; medians are reported.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildx } from "../test/e2e/docker.js";
import { exampleCopy, removeDir } from "./builds.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

const PROGRAMS = ["pausle", "hello"] as const;
const MULTI_TOOLCHAIN = "docker-image://local/speck-toolchain:multi";
const KINDS = [
  { id: "amd64", platform: "linux/amd64" },
  { id: "arm64", platform: "linux/arm64" },
  { id: "both", platform: "linux/amd64,linux/arm64" },
] as const;
type Kind = (typeof KINDS)[number]["id"];

async function platformsSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const rows: Row[] = [];
  for (const name of PROGRAMS) {
    const dir = await exampleCopy(name);
    const out = await mkdtemp(join(tmpdir(), "speck-bench-oci-"));
    const got: Record<Kind, number[]> = { amd64: [], arm64: [], both: [] };
    try {
      for (let rep = 1; rep <= ctx.reps; rep++) {
        // Rotate who goes first, so drift on a shared machine hits every kind alike.
        const order = [...KINDS.slice(rep % 3), ...KINDS.slice(0, rep % 3)];
        for (const k of order) {
          ctx.log(`platforms: ${name} ${k.platform} repetition ${rep}/${ctx.reps}`);
          const t = await timed(() =>
            buildx(d, {
              context: dir,
              file: join(dir, "speck.yaml"),
              platform: k.platform,
              noCache: true,
              buildContexts: { toolchain: MULTI_TOOLCHAIN },
              outputs: [`type=oci,dest=${join(out, `${k.id}.tar`)}`],
              timeoutMs: ctx.buildTimeoutMs,
            }),
          );
          got[k.id].push(t.ms);
        }
      }
    } finally {
      await removeDir(dir);
      await removeDir(out);
    }
    const [a, b, both] = [median(got.amd64), median(got.arm64), median(got.both)];
    rows.push({
      program: name,
      "amd64 s": seconds(a),
      "arm64 s": seconds(b),
      "sum s": seconds(a + b),
      "both in one build s": seconds(both),
      "both/sum": ratio(both, a + b),
      "both runs s": got.both.map((x) => seconds(x).toFixed(2)).join(" "),
    });
  }
  return {
    tables: [{ title: "two-platform build vs the two single-platform builds (--no-cache, medians)", rows }],
    targets: [],
    notes: [
      "arm64 runs under qemu user emulation (binfmt), so its compile is several times slower than amd64's; a two-platform build runs both compiles at once.",
    ],
  };
}

export const PLATFORMS: Section = { id: "platforms", title: "multi-platform build time", needsDaemon: true, run: platformsSection };
