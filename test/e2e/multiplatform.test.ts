// Issue 6 end to end: one `--platform linux/amd64,linux/arm64` build gives one
// index whose images hold a binary for their own machine.
//
// The toolchain is local/speck-toolchain:multi, an index over the amd64 and
// arm64 toolchain images (base-images.sh), given as one named context; arm64
// steps run under qemu-user emulation (testbed.sh `emulation`).

import { closeSync, openSync, readSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { describeDaemons, docker, type Daemon } from "./helpers.js";
import { run } from "./run.js";
import { cleanupImage, exampleCopy, speckBuild, tagFor } from "./speck.js";

const MULTI_TOOLCHAIN = "docker-image://local/speck-toolchain:multi";
const BOTH = "linux/amd64,linux/arm64";
/** ELF e_machine per GOARCH. */
const MACHINE: Readonly<Record<string, number>> = { amd64: 62, arm64: 183 };

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly annotations?: Record<string, string>;
}

interface PlatformImage {
  readonly platform: string;
  readonly config: { architecture: string; os: string; variant?: string; config: { Labels?: Record<string, string> } };
  /** e_machine of each regular file in the layers, by path. */
  readonly machines: Map<string, number>;
  readonly sizes: Map<string, number>;
}

interface OciIndex {
  /** The digest index.json points at: the image index of the build. */
  readonly digest: string;
  readonly images: PlatformImage[];
  /** The build's progress output. */
  readonly progress: string;
}

/** Unpacks an `--output type=oci` tarball and reads each platform's config and binaries. */
async function readOci(tarball: string): Promise<Omit<OciIndex, "progress">> {
  const dir = await mkdtemp(join(tmpdir(), "speck-oci-"));
  try {
    await run(["tar", "-xf", tarball, "-C", dir]);
    const json = async <T>(digest: string): Promise<T> => JSON.parse(await readFile(blob(dir, digest), "utf8")) as T;
    const top = (JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] }).manifests;
    expect(top.length, "index.json names one image index").toBe(1);
    const root = top[0] as Descriptor;
    expect(root.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    const index = await json<{ manifests: Descriptor[] }>(root.digest);
    const images: PlatformImage[] = [];
    for (const m of index.manifests) {
      if (m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") continue;
      const manifest = await json<{ config: Descriptor; layers: Descriptor[] }>(m.digest);
      const config = await json<PlatformImage["config"]>(manifest.config.digest);
      const machines = new Map<string, number>();
      const sizes = new Map<string, number>();
      for (const [i, layer] of manifest.layers.entries()) {
        const out = join(dir, `layer-${m.digest.slice(7, 19)}-${i}`);
        await run(["mkdir", "-p", out]);
        await run(["tar", "-xf", blob(dir, layer.digest), "-C", out]);
        for (const f of await readdir(out, { recursive: true, withFileTypes: true })) {
          if (!f.isFile()) continue;
          const path = join(f.parentPath, f.name);
          const head = readHead(path, 20);
          sizes.set(path.slice(out.length + 1), (await readFile(path)).length);
          if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
            // EI_DATA 1 is little-endian; e_machine is the half-word at offset 18.
            machines.set(path.slice(out.length + 1), head[5] === 1 ? head.readUInt16LE(18) : head.readUInt16BE(18));
          }
        }
      }
      const p = m.platform;
      images.push({ platform: p ? `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}` : "?", config, machines, sizes });
    }
    return { digest: root.digest, images };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function blob(dir: string, digest: string): string {
  const [alg = "", hex = ""] = digest.split(":");
  return join(dir, "blobs", alg, hex);
}

function readHead(path: string, n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, n, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
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
