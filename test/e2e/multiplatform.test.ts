// Issues 6 and 11 end to end: one `--platform` build for four machines gives
// one index whose images each hold one static binary for their machine, all
// cross-compiled on the daemon's own platform (amd64) with clang.
//
// Speck's default path is taken: the test bed's Alpine stand-in (real apk from
// the Alpine minirootfs, a locally signed repository; base-images.sh) as
// `alpine:3.22`, `apk add clang lld`, and each target's libraries through
// `apk add --root /<triple>`. The builds run with the
// targets' qemu interpreters switched off in binfmt_misc, so a step that
// needed emulation would fail; the interpreters are switched on again only to
// run the results.

import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { enableEmulation, QEMU, withoutEmulation } from "./binfmt.js";
import { describeDaemons, docker, fixture, type Daemon } from "./helpers.js";
import { EF_ARM_ABI_FLOAT_HARD, ELF_MACHINE, readOci, type OciIndex } from "./oci.js";
import { cleanupImage, REPO, speckBuild, SYNTAX, tagFor } from "./speck.js";
import { viaAlpine } from "./alpine.js";

const FOUR = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/riscv64"] as const;
const FOREIGN_QEMU = [QEMU.arm64, QEMU.arm, QEMU.riscv64] as unknown as string[];
const viaDefault = viaAlpine();
const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };

/** What each example prints, run with its arguments. */
const EXAMPLES = {
  hello: { binary: "hello", args: ["x"], stdout: "hello from speck\narg 1: x\n" },
  crc32: { binary: "crc32", args: ["hello"], stdout: "3610a686  hello\n" },
  cpp: { binary: "cpp-demo", args: [], stdout: "speck: 4 kB\ncaught: no size recorded for glibc\n" },
} as const;
type Example = keyof typeof EXAMPLES;

async function ociBuild(daemon: Daemon, dir: string, platforms: readonly string[], extra: { noCache?: boolean } = {}): Promise<OciIndex & { progress: string }> {
  const out = await mkdtemp(join(tmpdir(), "speck-mp-"));
  try {
    const tar = join(out, "i.tar");
    const r = await speckBuild(daemon, { dir, platform: platforms.join(","), ...viaDefault, buildArgs: EPOCH, outputs: [`type=oci,dest=${tar}`], timeoutMs: 300_000, ...extra });
    return { ...(await readOci(tar)), progress: r.stderr };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** Every image holds exactly the binary, static, for its own machine (and ABI variant for arm). */
function expectOneBinaryPerMachine(index: OciIndex & { progress: string }, binary: string, platforms: readonly string[]): void {
  expect(index.images.map((i) => i.platform).sort()).toEqual([...platforms].sort());
  for (const img of index.images) {
    const arch = img.config.architecture;
    expect(img.platform).toBe(`linux/${arch}${img.config.variant ? `/${img.config.variant}` : ""}`);
    expect([...img.files.keys()], `${img.platform}: the layer holds only the binary`).toEqual([binary]);
    const f = img.files.get(binary);
    expect(f?.machine, `${img.platform}: ELF machine`).toBe(ELF_MACHINE[arch]);
    if (arch === "arm") expect((f?.flags ?? 0) & EF_ARM_ABI_FLOAT_HARD, "arm: hard-float EABI").toBe(EF_ARM_ABI_FLOAT_HARD);
    expect(img.config.config.Labels?.["dev.speck.binary.size"]).toBe(String(f?.size));
    expect(index.progress).toContain(`[${img.platform}] ${binary}: ${(f?.size ?? 0).toLocaleString("en-US")} B, static`);
  }
  // The toolchain and compile steps ran on amd64: no step is labelled with a foreign toolchain platform.
  expect(index.progress).toMatch(/\[toolchain linux\/amd64\] apk add clang lld\n/);
  for (const p of platforms) expect(index.progress).toMatch(new RegExp(`\\[toolchain ${p}\\] apk add --root /[a-z0-9_]+-alpine-linux-musl[a-z]* `));
}

function binaryOf(index: OciIndex, platform: string, binary: string) {
  const img = index.images.find((i) => i.platform === platform);
  return img?.files.get(binary);
}

describeDaemons("multi-platform, cross-compiled", (daemon) => {
  const built = new Map<Example, OciIndex & { progress: string }>();
  const dirs = new Map<Example, string>();

  beforeAll(async () => {
    await enableEmulation(FOREIGN_QEMU); // to run the results later, not to build them
    // One copy of each example for the whole file: the tests share the builds.
    for (const name of Object.keys(EXAMPLES) as Example[]) {
      const dir = await mkdtemp(join(tmpdir(), `speck-mp-${name}-`));
      await cp(join(REPO, "examples", name), dir, { recursive: true });
      dirs.set(name, dir);
    }
  });
  afterAll(async () => {
    for (const dir of dirs.values()) await rm(dir, { recursive: true, force: true });
  });

  it("hello, crc32 and cpp for four platforms build with emulation switched off", { timeout: 900_000 }, async () => {
    // --no-cache: every toolchain and compile step runs inside the window, none comes from the cache.
    const results = await withoutEmulation(FOREIGN_QEMU, () =>
      Promise.all((Object.keys(EXAMPLES) as Example[]).map(async (name) => [name, await ociBuild(daemon, dirs.get(name) as string, FOUR, { noCache: true })] as const)),
    );
    for (const [name, index] of results) {
      built.set(name, index);
      expectOneBinaryPerMachine(index, EXAMPLES[name].binary, FOUR);
    }
  });

  it("every image runs on its machine and prints the right answer", { timeout: 600_000 }, async () => {
    for (const name of Object.keys(EXAMPLES) as Example[]) {
      const dir = dirs.get(name) as string;
      const tag = tagFor(daemon, `mp-${name}`);
      cleanupImage(daemon, tag);
      await speckBuild(daemon, { dir, platform: FOUR.join(","), ...viaDefault, buildArgs: EPOCH, tags: [tag], load: true, timeoutMs: 300_000 });
      const ex = EXAMPLES[name];
      for (const p of FOUR) {
        const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", "--platform", p, tag, ...ex.args]);
        expect(stdout, `${name} on ${p}`).toBe(ex.stdout);
      }
    }
  });

  it("a platform's binary is the same alone as in the four-platform build; two clean builds give one index digest", { timeout: 900_000 }, async () => {
    const four = built.get("crc32");
    expect(four, "the four-platform build ran").toBeDefined();
    const dir = dirs.get("crc32") as string;
    const again = await ociBuild(daemon, dir, FOUR, { noCache: true });
    expect(again.digest).toBe(four?.digest);
    const alone = await Promise.all(FOUR.map((p) => ociBuild(daemon, dir, [p], { noCache: true })));
    for (const [i, p] of FOUR.entries()) {
      const single = alone[i]?.images;
      expect(single?.map((x) => x.platform)).toEqual([p]);
      expect(single?.[0]?.files.get("crc32")?.sha256, `${p}: alone vs in the four-platform build`).toBe(binaryOf(four as OciIndex, p, "crc32")?.sha256);
    }
  });

  it("a prepared toolchain for the build platform serves every target from its /<triple> roots", async () => {
    const out = await mkdtemp(join(tmpdir(), "speck-mp-"));
    try {
      const tar = join(out, "i.tar");
      const r = await speckBuild(daemon, { dir: dirs.get("hello") as string, platform: FOUR.join(","), outputs: [`type=oci,dest=${tar}`], timeoutMs: 300_000 });
      const index = { ...(await readOci(tar)), progress: r.stderr };
      expect(index.images.map((i) => i.platform).sort()).toEqual([...FOUR].sort());
      for (const img of index.images) expect(img.files.get("hello")?.machine, img.platform).toBe(ELF_MACHINE[img.config.architecture]);
      // Nothing is installed: the context is the toolchain, resolved once per target for linux/amd64.
      expect(r.stderr).not.toContain("apk add");
      expect(r.stderr).toMatch(/\[compile linux\/riscv64\] clang --no-default-config --target=riscv64-alpine-linux-musl --sysroot=\/riscv64-alpine-linux-musl /);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it("toolchain.compiler gcc: warns that the other platform would run emulated; a single-platform toolchain is refused for it", async () => {
    // The containerd store hands back an image's only manifest whatever platform is asked for.
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [p.c]\ntoolchain: {compiler: gcc}\n`, "p.c": "int main(void){return 0;}\n" });
    const r = await speckBuild(daemon, { dir, platform: "linux/amd64,linux/arm64", check: false, timeoutMs: 180_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("linux/arm64: toolchain.compiler is gcc, so the toolchain and the compile run under emulation on linux/arm64");
    // Depending on how the store holds the image, it offers its only variant or none for linux/arm64.
    expect(r.stderr).toMatch(
      /linux\/arm64: (the toolchain image [^\n]*local\/speck-toolchain:c[^\n]* has no linux\/arm64 variant: the daemon offered linux\/amd64|cannot resolve the toolchain image [^\n]*local\/speck-toolchain:c for linux\/arm64)/,
    );
  });
});
