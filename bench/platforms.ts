// Section "platforms" (issues 6 and 11): what a foreign platform costs.
//
// For examples/crc32 and a generated C project of ~100 files (gen-c-project.ts),
// every build --no-cache to an OCI archive, interleaved:
//   cross:    linux/amd64 alone, linux/arm64 alone and the four-platform build
//             (amd64, arm64, arm/v7, riscv64), all compiled by clang on the
//             daemon's own platform with the prepared cross toolchain;
//   emulated: the same program with `toolchain.compiler: gcc` on the
//             multi-platform gcc toolchain index, linux/amd64 alone and
//             linux/arm64 alone, arm64 under qemu (the path issue 11 replaced,
//             kept reachable for this comparison). Its toolchain index is made
//             only on request: SPECK_TESTBED_ARM64=1 test/e2e/testbed.sh images.
// Ratios are of medians, each against linux/amd64 alone of the same kind.

import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXAMPLES_SYNTAX, TOOLCHAIN_IMAGE } from "../test/e2e/daemon.js";
import { buildx, docker } from "../test/e2e/docker.js";
import type { Daemon } from "../test/e2e/daemon.js";
import { exampleCopy, removeDir } from "./builds.js";
import { genCProject } from "./gen-c-project.js";
import { interleave, type Variant } from "./interleave.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";
import { median, ratio, seconds } from "./stats.js";

const GCC_TOOLCHAIN = "local/speck-toolchain:multi";
const FOUR = "linux/amd64,linux/arm64,linux/arm/v7,linux/riscv64";
/** The issue's goals, as ratios to linux/amd64 alone. */
const GOAL_ARM64 = 1.3;
const GOAL_FOUR = 2.5;

interface Kind {
  readonly name: string;
  readonly platform: string;
  readonly file: string;
  readonly toolchain: string;
}

const CROSS: readonly Kind[] = [
  { name: "amd64", platform: "linux/amd64", file: "speck.yaml", toolchain: TOOLCHAIN_IMAGE },
  { name: "arm64", platform: "linux/arm64", file: "speck.yaml", toolchain: TOOLCHAIN_IMAGE },
  { name: "four platforms", platform: FOUR, file: "speck.yaml", toolchain: TOOLCHAIN_IMAGE },
];
const EMULATED: readonly Kind[] = [
  { name: "gcc amd64", platform: "linux/amd64", file: "speck-gcc.yaml", toolchain: GCC_TOOLCHAIN },
  { name: "gcc arm64 (emulated)", platform: "linux/arm64", file: "speck-gcc.yaml", toolchain: GCC_TOOLCHAIN },
];

/** The program's folder with speck.yaml (clang) and speck-gcc.yaml (`toolchain.compiler: gcc`). */
async function prepare(program: "crc32" | "generated"): Promise<string> {
  let dir: string;
  if (program === "crc32") dir = await exampleCopy("crc32");
  else {
    dir = await mkdtemp(join(tmpdir(), "speck-bench-gen-"));
    genCProject(dir, { syntax: EXAMPLES_SYNTAX });
  }
  await writeFile(join(dir, "speck-gcc.yaml"), `${await readFile(join(dir, "speck.yaml"), "utf8")}toolchain: {compiler: gcc}\n`);
  return dir;
}

async function hasImage(d: Daemon, ref: string): Promise<boolean> {
  return (await docker(d, ["image", "inspect", ref], { check: false })).code === 0;
}

async function platformsSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const emulated = await hasImage(d, GCC_TOOLCHAIN);
  const kinds = [...CROSS, ...(emulated ? EMULATED : [])];
  const rows: Row[] = [];
  const targets: Target[] = [];
  for (const program of ["crc32", "generated"] as const) {
    const dir = await prepare(program);
    const out = await mkdtemp(join(tmpdir(), "speck-bench-oci-"));
    try {
      const variants: Variant<void>[] = kinds.map((k, i) => ({
        name: k.name,
        run: async () => {
          await buildx(d, {
            context: dir,
            file: join(dir, k.file),
            platform: k.platform,
            noCache: true,
            buildContexts: { toolchain: `docker-image://${k.toolchain}` },
            outputs: [`type=oci,dest=${join(out, `${i}.tar`)}`],
            // Under emulation the generated project takes minutes: give it four times the build timeout.
            timeoutMs: k.name.includes("emulated") ? 4 * ctx.buildTimeoutMs : ctx.buildTimeoutMs,
          });
        },
      }));
      const times = await interleave(variants, ctx.reps, ctx.log, `platforms: ${program}`);
      const med = (name: string) => median((times.get(name) ?? []).map((t) => t.ms));
      const runs = (name: string) => (times.get(name) ?? []).map((t) => seconds(t.ms).toFixed(2)).join(" ");
      for (const k of kinds) {
        const base = k.name.startsWith("gcc") ? "gcc amd64" : "amd64";
        rows.push({ program, build: k.name, "how": k.name.startsWith("gcc") ? (k.platform === "linux/amd64" ? "gcc, native" : "gcc under qemu") : "clang, cross on amd64", "median s": seconds(med(k.name)), "/ amd64 alone": ratio(med(k.name), med(base)), "runs s": runs(k.name) });
      }
      const arm = ratio(med("arm64"), med("amd64"));
      const four = ratio(med("four platforms"), med("amd64"));
      targets.push({ what: `${program}: linux/arm64 alone / linux/amd64 alone (cross)`, goal: `<= ${GOAL_ARM64}x`, measured: `${arm}x`, met: arm <= GOAL_ARM64 });
      targets.push({ what: `${program}: four platforms / linux/amd64 alone (cross)`, goal: `<= ${GOAL_FOUR}x`, measured: `${four}x`, met: four <= GOAL_FOUR });
    } finally {
      await removeDir(dir);
      await removeDir(out);
    }
  }
  return {
    tables: [{ title: "build time per platform: cross-compiled (clang) beside emulated (gcc under qemu), --no-cache, medians", rows }],
    targets,
    notes: [
      `Four platforms: ${FOUR}. Cross builds use the prepared toolchain ${TOOLCHAIN_IMAGE} (clang and lld for linux/amd64 with each target's root); every step runs on amd64.`,
      emulated
        ? `Emulated rows: toolchain.compiler gcc on ${GCC_TOOLCHAIN}; the arm64 toolchain and compile run under qemu-user.`
        : `No emulated rows: ${GCC_TOOLCHAIN} is missing; make it with SPECK_TESTBED_ARM64=1 test/e2e/testbed.sh images (slow: an arm64 toolchain built under emulation).`,
      "The generated project is bench/gen-c-project.ts: 100 sources of six small arithmetic functions each and a main calling them all, compiled in one driver run.",
    ],
  };
}

export const PLATFORMS: Section = { id: "platforms", title: "multi-platform build time: cross vs emulated", needsDaemon: true, run: platformsSection };
