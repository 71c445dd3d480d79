// Issue 6 end to end: one `--platform linux/amd64,linux/arm64` build gives one
// index whose images hold a binary for their own machine.
//
// The toolchain is local/speck-toolchain:multi, an index over the amd64 and
// arm64 toolchain images (base-images.sh), given as one named context; arm64
// steps run under qemu-user emulation (testbed.sh `emulation`).

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeDaemons, docker, type Daemon } from "./helpers.js";
import { readOci, type PlatformImage } from "./oci.js";
import { cleanupImage, exampleCopy, speckBuild, tagFor } from "./speck.js";

const MULTI_TOOLCHAIN = "docker-image://local/speck-toolchain:multi";
const BOTH = "linux/amd64,linux/arm64";
/** ELF e_machine per GOARCH. */
const MACHINE: Readonly<Record<string, number>> = { amd64: 62, arm64: 183 };

interface OciIndex {
  /** The digest index.json points at: the image index of the build. */
  readonly digest: string;
  readonly images: PlatformImage[];
  /** The build's progress output. */
  readonly progress: string;
}

async function ociBuild(daemon: Daemon, example: string, extra: { noCache?: boolean; buildArgs?: Record<string, string> } = {}): Promise<OciIndex> {
  const dir = await exampleCopy(example);
  const out = await mkdtemp(join(tmpdir(), "speck-mp-"));
  try {
    const tar = join(out, "i.tar");
    const r = await speckBuild(daemon, { dir, platform: BOTH, buildContexts: { toolchain: MULTI_TOOLCHAIN }, outputs: [`type=oci,dest=${tar}`], ...extra });
    return { ...(await readOci(tar)), progress: r.stderr };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function expectTwoPlatforms(index: OciIndex, binary: string): void {
  expect(index.images.map((i) => i.platform).sort()).toEqual(["linux/amd64", "linux/arm64"]);
  for (const img of index.images) {
    const arch = img.config.architecture;
    expect(img.platform).toBe(`linux/${arch}`);
    expect(img.config.os).toBe("linux");
    expect([...img.machines.keys()], `${img.platform}: the layer holds only the binary`).toEqual([binary]);
    expect(img.machines.get(binary), `${img.platform}: ELF machine`).toBe(MACHINE[arch]);
    // The size label is this platform's binary, not the other's.
    expect(img.config.config.Labels?.["dev.speck.binary.size"]).toBe(String(img.sizes.get(binary)));
  }
  const [a, b] = index.images;
  expect(a?.sizes.get(binary)).not.toBe(b?.sizes.get(binary));
  // The size report is one progress line per platform, naming it.
  for (const img of index.images) {
    const size = (img.sizes.get(binary) ?? 0).toLocaleString("en-US");
    expect(index.progress).toContain(`[${img.platform}] ${binary}: ${size} B, static`);
  }
}

describeDaemons("multi-platform", (daemon) => {
  it("pausle: one index, two manifests, each binary for its machine", async () => {
    expectTwoPlatforms(await ociBuild(daemon, "pausle"), "pausle");
  });

  it("hello: one index; the arm64 image runs under emulation and prints", async () => {
    expectTwoPlatforms(await ociBuild(daemon, "hello"), "hello");
    const dir = await exampleCopy("hello");
    const tag = tagFor(daemon, "mp-hello");
    cleanupImage(daemon, tag);
    await speckBuild(daemon, { dir, platform: BOTH, buildContexts: { toolchain: MULTI_TOOLCHAIN }, tags: [tag], load: true });
    const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", "--platform", "linux/arm64", tag, "x"]);
    expect(stdout).toBe("hello from speck\narg 1: x\n");
    const arch = await docker(daemon, ["image", "inspect", "--platform", "linux/arm64", "-f", "{{.Architecture}}", tag], { check: false });
    if (arch.code === 0) expect(arch.stdout.trim()).toBe("arm64"); // older CLIs lack --platform on inspect
  });

  it("a platform the toolchain cannot serve fails, naming the platform and what is missing", async () => {
    const dir = await exampleCopy("pausle");
    const t0 = performance.now();
    const r = await speckBuild(daemon, { dir, platform: "linux/amd64,linux/riscv64", buildContexts: { toolchain: MULTI_TOOLCHAIN }, check: false, timeoutMs: 180_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/linux\/riscv64: .*toolchain image [^\n]*local\/speck-toolchain:multi/);
    expect(r.stderr).toMatch(/linux\/riscv64/);
    expect(performance.now() - t0).toBeLessThan(60_000);
  });

  it("a single-platform toolchain is refused for the other platform, not run for it", async () => {
    // The containerd store hands back an image's only manifest whatever platform is asked for.
    const dir = await exampleCopy("pausle");
    const r = await speckBuild(daemon, { dir, platform: BOTH, buildContexts: { toolchain: "docker-image://local/speck-toolchain:c" }, check: false, timeoutMs: 180_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/linux\/arm64: the toolchain image [^\n]*local\/speck-toolchain:c[^\n]* has no linux\/arm64 variant: the daemon offered linux\/amd64/);
  });

  it("two --no-cache builds with SOURCE_DATE_EPOCH give the same index digest", async () => {
    const epoch = { SOURCE_DATE_EPOCH: "1700000000" };
    const first = await ociBuild(daemon, "pausle", { noCache: true, buildArgs: epoch });
    const second = await ociBuild(daemon, "pausle", { noCache: true, buildArgs: epoch });
    expectTwoPlatforms(first, "pausle");
    expect(second.digest).toBe(first.digest);
  });
});
